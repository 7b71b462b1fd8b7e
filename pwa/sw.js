// The service worker. The server prepends VERSION (a hash of every shell
// file) and SHELL (the files to precache), so each release gets a new cache.
const CACHE = `jobdeck-shell-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) =>
      Promise.all(keys.filter((k) => k.startsWith("jobdeck-shell-") && k !== CACHE).map((k) => caches.delete(k))),
    ),
  );
});

// The shell from the cache; the API never: offline data lives in IndexedDB.
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin || url.pathname.startsWith("/api/")) return;
  const key = event.request.mode === "navigate" ? "/" : event.request;
  event.respondWith(caches.match(key).then((hit) => hit || fetch(event.request)));
});
