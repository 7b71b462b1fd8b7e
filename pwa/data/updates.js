// Registers the service worker and tells the UI when a new version is ready.
// A new worker waits (it does not take over a page mid-use); applyUpdate()
// lets it take over, and the page reloads into the new version.
const callbacks = new Set();
let waiting = null;
let reloading = false;
let registration = null;

function ready(worker) {
  waiting = worker;
  for (const cb of callbacks) cb();
}

function watch(reg) {
  // A worker already waiting (installed while this page was closed), once a worker controls the page.
  if (reg.waiting && navigator.serviceWorker.controller) ready(reg.waiting);
  reg.addEventListener("updatefound", () => {
    const worker = reg.installing;
    worker?.addEventListener("statechange", () => {
      // With no controller this is the first install: nothing to replace.
      if (worker.state === "installed" && navigator.serviceWorker.controller) ready(worker);
    });
  });
}

async function register() {
  if (!("serviceWorker" in navigator)) return null;
  registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  watch(registration);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloading) location.reload();
  });
  // A long-open tab looks for a new release when it comes back into view.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") registration.update().catch(() => {});
  });
  return registration;
}

const registered = register().catch(() => null);

// Hands the active worker the files this page loaded, and resolves true once
// it holds them all: from then on the app opens with the server stopped.
async function warm() {
  const worker = (await navigator.serviceWorker.ready).active;
  const urls = performance.getEntriesByType("resource").map((e) => e.name)
    .filter((u) => u.startsWith(location.origin) && !u.startsWith(`${location.origin}/api/`));
  urls.push(location.origin + "/");
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(true);
    worker.postMessage({ type: "cache-urls", urls }, [channel.port2]);
  });
}

/** Resolves true when this app is cached for offline use (false without service workers). */
export const offlineReady = registered.then((reg) => (reg ? warm() : false)).catch(() => false);

/** cb() runs when a new version is installed and waiting (at once if one already is). */
export function onUpdateReady(cb) {
  callbacks.add(cb);
  if (waiting) cb();
  return () => callbacks.delete(cb);
}

/** Let the waiting worker take over; the page reloads when it has. */
export function applyUpdate() {
  if (!waiting) return false;
  reloading = true;
  waiting.postMessage({ type: "skip-waiting" });
  return true;
}

/** Ask the server whether a new release exists (the browser also checks on navigation). */
export async function checkForUpdate() {
  const reg = await registered;
  await reg?.update();
  return Boolean(reg);
}

export const serviceWorkerReady = registered;
