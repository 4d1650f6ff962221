{% autoescape off %}// SEMPRE's service worker (docs/offline.md), served from /sw.js by microprojects.offline.
// Keeps the field app usable without a signal: the quick log, the measurement form, the queue page
// and the person's own projects (network first, the kept copy when there is no network); the
// static files; for any other page, a page saying what works offline. A form sent while the
// network fails is kept in the device's queue (static/js/offline-queue.js) instead of being lost.
const CONFIG = {{ config }};
importScripts(CONFIG.workbox, CONFIG.queue_script);
workbox.setConfig({ modulePathPrefix: CONFIG.workbox.replace(/[^/]*$/, ""), debug: false });

const PAGES = "sempre-pages-" + CONFIG.version;
const STATIC = "sempre-static-" + CONFIG.version;
const onlyGood = {
  // A login page (a redirect) or an error is never kept in place of the page.
  cacheWillUpdate: async ({ response }) => (response && response.status === 200 && !response.redirected ? response : null),
};

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const pages = await caches.open(PAGES);
      const files = new Set(CONFIG.static);
      await Promise.all(
        CONFIG.pages.map(async (url) => {
          try {
            const response = await fetch(url, { credentials: "same-origin" });
            if (response.status !== 200 || response.redirected) return;
            // The stylesheets and scripts each page names, whatever they are called this version.
            if ((response.headers.get("Content-Type") || "").startsWith("text/html")) {
              for (const match of (await response.clone().text()).matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)) files.add(match[1]);
            }
            await pages.put(url, response);
          } catch (error) {
            // offline while installing: kept at the next visit
          }
        }),
      );
      const kept = await caches.open(STATIC);
      await Promise.all([...files].map((url) => kept.add(url).catch(() => {})));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((name) => name.startsWith("sempre-") && name !== PAGES && name !== STATIC).map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

const { registerRoute, setCatchHandler, setDefaultHandler } = workbox.routing;
const { NetworkFirst, NetworkOnly, StaleWhileRevalidate } = workbox.strategies;

// ignoreVary: the answers vary by language and cookie, headers that the service worker's own
// requests (at install) and the browser's differ in; the kept copy is this person's either way.
registerRoute(
  ({ url, request }) => url.origin === self.location.origin && request.method === "GET" && CONFIG.pages.includes(url.pathname),
  new NetworkFirst({ cacheName: PAGES, networkTimeoutSeconds: 6, plugins: [onlyGood], matchOptions: { ignoreSearch: true, ignoreVary: true } }),
);
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith("/static/"),
  new StaleWhileRevalidate({ cacheName: STATIC, plugins: [onlyGood], matchOptions: { ignoreVary: true } }),
);

// A form of the field app sent while the network fails: kept in the queue, then the queue page.
registerRoute(
  ({ url, request }) => url.origin === self.location.origin && request.mode === "navigate" && url.pathname in CONFIG.forms,
  async ({ url, request }) => {
    const copy = request.clone();
    try {
      return await fetch(request);
    } catch (error) {
      const entry = SempreQueue.entryFromForm(CONFIG.forms[url.pathname], await copy.formData(), url);
      await SempreQueue.add(entry);
      await SempreQueue.notify();
      return Response.redirect(CONFIG.queue + "?saved=1", 303);
    }
  },
  "POST",
);

setDefaultHandler(new NetworkOnly());
setCatchHandler(async ({ request }) => {
  if (request.mode === "navigate") {
    return (await caches.match(CONFIG.offline, { cacheName: PAGES })) || Response.error();
  }
  return Response.error();
});

// Sending: when the browser says the connection is back (Background Sync), when a page asks.
self.addEventListener("sync", (event) => {
  if (event.tag === SempreQueue.SYNC_TAG) event.waitUntil(SempreQueue.send().then(() => SempreQueue.notify()));
});
self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "send") event.waitUntil(SempreQueue.send().then(() => SempreQueue.notify()));
});
{% endautoescape %}
