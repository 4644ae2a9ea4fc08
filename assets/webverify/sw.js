// The browser verifier's service worker (docs/WEBVERIFY.md): it keeps the
// page, its scripts and the WebAssembly, so that after one visit the page
// opens and verifies with no network at all. The trust data is not kept
// here but in IndexedDB, by the engine (worker.js), which judges it.
//
// VERSION is a hash of every file it keeps, set by the issuer when it
// serves this file: a release changes it, the browser installs the new
// worker, which fetches the new files and drops the old cache.
'use strict';

const VERSION = '__VERSION__';
const CACHE = 'cla-v-' + VERSION;
const SHELL = ['/V', '/V/app.js', '/V/app.css', '/V/worker.js', '/V/wasm_exec.js', '/V/cla.wasm',
  '/V/manifest.webmanifest', '/V/icon-192.png', '/static/style.css', '/static/icon.png'];
// Kept when first used: the PDF reader is large and most people scan.
const LAZY = ['/V/cla-pdf.wasm'];

self.addEventListener('install', (ev) => {
  ev.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL.map((u) => new Request(u, { cache: 'no-cache' })))).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (ev) => {
  ev.waitUntil((async () => {
    for (const k of await caches.keys()) {
      if (k.startsWith('cla-v-') && k !== CACHE) await caches.delete(k);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (ev) => {
  const req = ev.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (SHELL.includes(path)) {
    // The page with any ?lang= or #code, the worker with its test flag:
    // one cached copy each.
    ev.respondWith(fromCache(path, req));
  } else if (LAZY.includes(path)) {
    ev.respondWith(fromCache(path, req, true));
  }
  // Everything else (the trust data, the site) goes to the network as
  // usual: the engine keeps what it verified.
});

async function fromCache(path, req, keep) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(path);
  if (hit) return hit;
  const resp = await fetch(req.mode === 'navigate' ? path : req);
  if (resp.ok && (keep || SHELL.includes(path))) await cache.put(path, resp.clone());
  return resp;
}
