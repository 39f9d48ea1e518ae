// The service worker of the walk app (served at /wijkschouw/sw.js, scope /wijkschouw/).
//
// - precaches the assets the capture page needs (the list is filled in by the server);
// - the capture page (/wijkschouw/<id>/meelopen/): network first, the last copy when there is no network;
// - the walk's GeoJSON and the municipality's outline: network first, the last copy offline;
// - static files and map tiles: cache first;
// - writes (POST and the like) are never touched: they go to the network as they are.
// The page works without this worker; it only makes it open and draw without a connection.

const ASSETS = /*ASSETS*/[];
const VERSION = /*VERSION*/"dev";
const STATIC_CACHE = `samenlab-walk-static-${VERSION}`;
const PAGE_CACHE = "samenlab-walk-pages";
const DATA_CACHE = "samenlab-walk-data";
const TILE_CACHE = "samenlab-walk-tiles";
const KEEP = new Set([STATIC_CACHE, PAGE_CACHE, DATA_CACHE, TILE_CACHE]);
const PAGE_PATH = /^\/wijkschouw\/\d+\/meelopen\/$/;
const DATA_PATH = /^(\/api\/v1\/walks\/\d+\/observations\/|\/kaart\/gemeente\.geojson)$/;
const PAGE_TIMEOUT_MS = 6000;
const TILE_CONCURRENCY = 4;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(STATIC_CACHE);
    // One by one: an asset that cannot be fetched must not stop the others from being kept.
    await Promise.all(ASSETS.map(async (url) => {
      try {
        const response = await fetch(url, { cache: "no-cache" });
        if (response.ok) await cache.put(url, response);
      } catch {
        /* kept on first use instead */
      }
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith("samenlab-walk-") && !KEEP.has(name))
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

function pageKey(url) {
  return `${url.origin}${url.pathname}`;
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); },
      (error) => { clearTimeout(timer); reject(error); });
  });
}

async function networkFirst(request, cacheName, key, timeout) {
  const cache = await caches.open(cacheName);
  try {
    const fetching = fetch(request);
    const response = await (timeout ? withTimeout(fetching, timeout) : fetching);
    if (response.ok && !response.redirected) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw error;
  }
}

async function cacheFirst(request, cacheName) {
  const kept = await caches.match(request, { ignoreVary: true });
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok || response.type === "opaque") {
    const cache = await caches.open(cacheName);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // writes always go to the network, untouched
  const url = new URL(request.url);
  if (url.origin === self.location.origin) {
    if (request.mode === "navigate" && PAGE_PATH.test(url.pathname)) {
      event.respondWith(networkFirst(request, PAGE_CACHE, pageKey(url), PAGE_TIMEOUT_MS));
    } else if (DATA_PATH.test(url.pathname)) {
      event.respondWith(networkFirst(request, DATA_CACHE, request.url, 0));
    } else if (url.pathname.startsWith("/static/")) {
      event.respondWith(cacheFirst(request, STATIC_CACHE));
    }
    return;
  }
  if (request.destination === "image") {
    event.respondWith(cacheFirst(request, TILE_CACHE).catch(() => Response.error()));
  }
});

async function fetchTile(cache, url) {
  if (await cache.match(url)) return true;
  let response;
  try {
    response = await fetch(url, { mode: "cors", credentials: "omit" });
  } catch {
    response = await fetch(url, { mode: "no-cors", credentials: "omit" });
  }
  if (!response.ok && response.type !== "opaque") return false;
  await cache.put(url, response);
  return true;
}

async function prefetchTiles(urls, port) {
  const cache = await caches.open(TILE_CACHE);
  const queue = [...urls];
  let done = 0;
  let failed = 0;
  async function worker() {
    while (queue.length) {
      const url = queue.shift();
      try {
        if (!(await fetchTile(cache, url))) failed += 1;
      } catch {
        failed += 1;
      }
      done += 1;
      if (port && done % 10 === 0) port.postMessage({ type: "progress", done, failed, total: urls.length });
    }
  }
  await Promise.all(Array.from({ length: TILE_CONCURRENCY }, worker));
  if (port) port.postMessage({ type: "done", done, failed, total: urls.length });
}

async function keepPage(path, port) {
  const url = new URL(path, self.location.origin);
  let ok = false;
  if (PAGE_PATH.test(url.pathname)) {
    try {
      const response = await fetch(url.href, { credentials: "same-origin" });
      if (response.ok && !response.redirected) {
        await (await caches.open(PAGE_CACHE)).put(pageKey(url), response);
        ok = true;
      }
    } catch {
      ok = Boolean(await caches.match(pageKey(url)));
    }
  }
  if (port) port.postMessage({ type: "kept", ok });
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  const port = event.ports && event.ports[0];
  if (message.type === "prefetch-tiles" && Array.isArray(message.urls)) {
    event.waitUntil(prefetchTiles(message.urls.filter((u) => typeof u === "string" && /^https?:/.test(u)), port));
  } else if (message.type === "keep-page" && typeof message.url === "string") {
    event.waitUntil(keepPage(message.url, port));
  }
});
