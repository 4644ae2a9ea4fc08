// The browser verifier's worker (docs/WEBVERIFY.md). It runs the
// project's verification engine, compiled to WebAssembly (cla.wasm, built
// from cmd/cla-wasm), and answers the page (app.js): messages {id, op, …},
// replies {id, ok: true, …} or {id, ok: false, error}.
//
//   open {roots}          → {info}
//   sync {base}           → {info, error?, refused?, offline?}
//   verifyText {text}     → {result}
//   frame {bitmap}        → {texts, codes, results, decoder: "native"|"wasm"}
//   file {name, bytes}    → {results, codes}
//
// Everything that judges a code is in the engine; this script moves
// pixels and bytes, and keeps the engine's trust data in IndexedDB
// (claIDB). QR codes in camera frames are read by the browser's
// BarcodeDetector where it has one, else (or when it finds nothing) by the
// engine's own reader; ?decoder=native or ?decoder=wasm forces one.
// PDFs need cla-pdf.wasm, the same engine with the PDF reader: it is
// fetched the first time a PDF is chosen and then replaces cla.wasm.
'use strict';

importScripts('/V/wasm_exec.js');

const forced = new URL(self.location.href).searchParams.get('decoder'); // tests: "native" or "wasm"

// ---- claIDB: the engine's trust data, one record in IndexedDB -----------

const DB_NAME = 'cla-verify';
const DB_STORE = 'trust';
const DB_KEY = 'snapshot';
let dbOpen = null;

function db() {
  if (!dbOpen) {
    dbOpen = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(DB_STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => { dbOpen = null; reject(req.error); };
    });
  }
  return dbOpen;
}

// tx runs f on the store and settles when the transaction completes (its
// writes are durable then, not when a request succeeds).
async function tx(mode, f) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const t = d.transaction(DB_STORE, mode, { durability: 'strict' });
    let out;
    f(t.objectStore(DB_STORE), (v) => { out = v; });
    t.oncomplete = () => resolve(out);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error || new Error('IndexedDB transaction aborted'));
  });
}

self.claIDB = {
  // load → the bytes saved last (Uint8Array), or null.
  load() {
    return tx('readonly', (s, set) => {
      const r = s.get(DB_KEY);
      r.onsuccess = () => set(r.result ? new Uint8Array(r.result) : null);
    });
  },
  // save replaces them; it resolves once the transaction completed.
  save(bytes) {
    return tx('readwrite', (s) => { s.put(bytes.slice().buffer, DB_KEY); });
  },
  // quarantine moves damaged bytes aside (never deleted) and names where.
  quarantine() {
    const aside = 'damaged-' + new Date().toISOString();
    return tx('readwrite', (s, set) => {
      const r = s.get(DB_KEY);
      r.onsuccess = () => {
        if (r.result !== undefined) s.put(r.result, aside);
        s.delete(DB_KEY);
        set('IndexedDB ' + DB_NAME + '/' + DB_STORE + '/' + aside);
      };
    });
  },
};

// ---- the engine ----------------------------------------------------------

let engine = null; // the running module's claEngine
let roots = null;
let pdfEngine = null; // a Promise while cla-pdf.wasm is being fetched
let trustQueue = Promise.resolve(); // syncs and the switch to cla-pdf, one at a time

// start runs a module and returns its claEngine. Go's main installs it
// before it blocks, that is before run returns.
async function start(url) {
  const go = new Go();
  let instance;
  try {
    ({ instance } = await WebAssembly.instantiateStreaming(fetch(url), go.importObject));
  } catch (e) {
    // A server or proxy that does not say application/wasm.
    const resp = await fetch(url);
    if (!resp.ok) throw new Error(url + ': HTTP ' + resp.status);
    ({ instance } = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject));
  }
  go.run(instance);
  const e = self.claEngine;
  if (!e) throw new Error(url + ' did not start');
  return e;
}

// call runs one of the engine's functions: they answer JSON, a Promise of
// it, or an Error.
async function call(op, ...args) {
  if (!engine) throw new Error('the engine is not open');
  const r = await engine[op](...args);
  if (r instanceof Error) throw r;
  return JSON.parse(r);
}

function trust(f) {
  const p = trustQueue.then(f);
  trustQueue = p.catch(() => {});
  return p;
}

// usePDFEngine replaces cla.wasm by cla-pdf.wasm, opened on the same
// trust data (after any sync under way). Calls under way on cla.wasm end
// there; then nothing refers to it and it is collected, memory and all (a
// Go module cannot exit safely while it has a timer scheduled).
function usePDFEngine() {
  if (engine && engine.pdf) return Promise.resolve();
  if (!pdfEngine) {
    pdfEngine = trust(async () => {
      const e = await start('/V/cla-pdf.wasm');
      const r = await e.open(roots);
      if (r instanceof Error) throw r;
      engine = e;
    }).catch((err) => { pdfEngine = null; throw err; });
  }
  return pdfEngine;
}

// ---- QR codes in camera frames -------------------------------------------

let detector; // undefined: not asked yet; null: none
let canvas = null;

async function nativeDetector() {
  if (detector === undefined) {
    detector = null;
    try {
      if ('BarcodeDetector' in self && (await self.BarcodeDetector.getSupportedFormats()).includes('qr_code')) {
        detector = new self.BarcodeDetector({ formats: ['qr_code'] });
      }
    } catch (e) { /* none */ }
  }
  return detector;
}

async function frame(bitmap) {
  try {
    if (forced !== 'wasm') {
      const d = await nativeDetector();
      if (!d && forced === 'native') throw new Error('this browser has no BarcodeDetector for QR codes');
      if (d) {
        const texts = (await d.detect(bitmap)).map((c) => c.rawValue).filter((t) => t);
        if (texts.length || forced === 'native') {
          return Object.assign(await call('verifyTexts', texts), { decoder: 'native' });
        }
      }
    }
    const w = bitmap.width;
    const h = bitmap.height;
    if (!canvas || canvas.width !== w || canvas.height !== h) canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(bitmap, 0, 0);
    const img = ctx.getImageData(0, 0, w, h);
    const px = new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength);
    return Object.assign(await call('scanRGBA', px, w, h), { decoder: 'wasm' });
  } finally {
    bitmap.close();
  }
}

// ---- messages --------------------------------------------------------------

let opened = null;

async function handle(m) {
  switch (m.op) {
    case 'open':
      if (!opened) {
        roots = m.roots || [];
        opened = (async () => {
          engine = await start('/V/cla.wasm');
          return call('open', roots);
        })();
        opened.catch(() => { opened = null; });
      }
      return opened;
  }
  if (!opened) throw new Error('the engine is not open');
  await opened;
  switch (m.op) {
    case 'sync':
      return trust(() => call('sync', m.base || self.location.origin));
    case 'info':
      return { info: await call('info') };
    case 'verifyText':
      return call('verifyText', String(m.text || ''));
    case 'frame':
      return frame(m.bitmap);
    case 'file': {
      const bytes = new Uint8Array(m.bytes);
      let r = await call('verifyFile', String(m.name || ''), bytes);
      if (r.need_pdf) {
        await usePDFEngine();
        r = await call('verifyFile', String(m.name || ''), bytes);
      }
      return { results: r.results, codes: r.codes };
    }
  }
  throw new Error('unknown op ' + m.op);
}

self.onmessage = async (ev) => {
  const m = ev.data || {};
  try {
    const body = await handle(m);
    self.postMessage(Object.assign({}, body, { id: m.id, ok: true }));
  } catch (e) {
    self.postMessage({ id: m.id, ok: false, error: String((e && e.message) || e) });
  }
};
