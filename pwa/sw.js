// The service worker. The server prepends VERSION (a hash of every shell
// file) and SHELL (the files to precache), so each release gets a new cache.
//
// The shell comes from the cache first (the app opens instantly, and with
// the server stopped); the API is never cached: offline data lives in
// IndexedDB, written by the data layer. A new worker waits until the page
// asks it to take over (the "new version — reload" prompt).
const PREFIX = "jobdeck-shell-";
const CACHE = `${PREFIX}${VERSION}`;
// The app's own pages: every one is the shell, routed by the hash.
const APP_PAGES = new Set(["/", "/index.html"]);

self.addEventListener("install", (event) => {
  // Bypass the HTTP cache so the files stored are the ones VERSION names.
  event.waitUntil(caches.open(CACHE).then((cache) =>
    cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" })))));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const keys = await caches.keys();
    await Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k)));
    // The first worker takes the page that installed it, so it works offline at once.
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const { type, urls } = event.data ?? {};
  if (type === "skip-waiting") self.skipWaiting();
  // The page that installed this worker loaded its files before the worker
  // was there to see them; it sends their addresses so that whatever the
  // precache list missed is kept too. The answer says the app works offline.
  if (type === "cache-urls" && Array.isArray(urls)) {
    event.waitUntil(keep(urls).then(() => event.ports[0]?.postMessage({ type: "cached", version: VERSION })));
  }
});

// Opened once per worker: every request of a start-up goes through here.
let opened = null;
const shellCache = () => (opened ??= caches.open(CACHE));

async function keep(urls) {
  const cache = await shellCache();
  await Promise.all(urls.slice(0, 500).map(async (address) => {
    const url = new URL(address, self.location.origin);
    if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
    if (await cache.match(url.pathname)) return;
    await cache.add(new Request(url.pathname, { cache: "reload" })).catch(() => {});
  }));
}

async function fromCache(key) {
  const cache = await shellCache();
  return cache.match(key, { ignoreSearch: key === "/" });
}

async function navigate(request, url) {
  if (APP_PAGES.has(url.pathname)) {
    return (await fromCache("/")) ?? fetch(request);
  }
  // Other pages (the login exchange, the API reference) need the server;
  // without it, the shell opens and says it is offline.
  try {
    return await fetch(request);
  } catch (err) {
    const shell = await fromCache("/");
    if (shell) return shell;
    throw err;
  }
}

// Precached files from the cache. Anything else the shell loads (a file type
// the server's precache list misses) is kept once fetched, so the next offline
// start still finds it; only complete same-origin answers are kept.
async function asset(request) {
  const hit = await fromCache(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    const copy = response.clone();
    shellCache().then((cache) => cache.put(request, copy)).catch(() => {});
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  event.respondWith(request.mode === "navigate" ? navigate(request, url) : asset(request));
});
