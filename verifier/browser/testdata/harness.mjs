// Runs cla.wasm in Node as worker.js runs it in a browser: Go's
// wasm_exec.js, claIDB in memory, fetch from Node. TestWasm
// (wasm_test.go) hands it a plan as JSON on stdin and checks the answers
// it prints as JSON on stdout.
//
//   node harness.mjs wasm_exec.js cla.wasm < plan.json
//
// plan: {vectors: [{name, qr, jwks}], bench: {jwks, qr, n},
//        sync: {roots, base, texts: [...], frame: {rgba (base64), w, h}, png (base64)}}
'use strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [wasmExec, wasmPath] = process.argv.slice(2);
createRequire(import.meta.url)(wasmExec); // defines globalThis.Go
const wasm = await WebAssembly.compile(readFileSync(wasmPath));

// claIDB as worker.js has it, in memory: survives an engine's restart.
let stored = null;
const aside = [];
globalThis.claIDB = {
  async load() { return stored ? stored.slice() : null; },
  async save(u8) { stored = u8.slice(); },
  async quarantine() { aside.push(stored); stored = null; return 'aside-' + aside.length; },
};

async function start() {
  const go = new Go();
  const instance = await WebAssembly.instantiate(wasm, go.importObject);
  go.run(instance); // main installs claEngine, then waits for calls
  return globalThis.claEngine;
}

// call turns the engine's answers (JSON, a Promise of it, or an Error)
// into objects.
async function call(engine, op, ...args) {
  const r = await engine[op](...args);
  if (r instanceof Error) throw r;
  return JSON.parse(r);
}

const plan = JSON.parse(readFileSync(0, 'utf8'));
const out = { vectors: {} };
let engine = await start();
for (const v of plan.vectors || []) {
  await call(engine, 'openKeys', JSON.stringify(v.jwks));
  out.vectors[v.name] = (await call(engine, 'verifyText', v.qr)).result;
}
if (plan.bench) {
  await call(engine, 'openKeys', JSON.stringify(plan.bench.jwks));
  // V8 compiles WebAssembly twice: a quick baseline first, the optimised
  // code later. Warm up, so that the optimised code is what is timed.
  for (let i = 0; i < plan.bench.n; i++) engine.verifyText(plan.bench.qr);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < plan.bench.n; i++) engine.verifyText(plan.bench.qr);
  out.bench_ns = Number(process.hrtime.bigint() - t0) / plan.bench.n;
  if (plan.bench.frame) { // a frame with no code in it: every view of the reader runs
    const { w, h } = plan.bench.frame;
    const px = new Uint8Array(w * h * 4);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px.fill((x * 7 + y * 13) % 256, (y * w + x) * 4, (y * w + x) * 4 + 3);
    for (let i = 0; i < 2; i++) await call(engine, 'scanRGBA', px, w, h); // warm-up
    const t1 = process.hrtime.bigint();
    for (let i = 0; i < 5; i++) await call(engine, 'scanRGBA', px, w, h);
    out.frame_ns = Number(process.hrtime.bigint() - t1) / 5;
  }
}
if (plan.sync) {
  const s = plan.sync;
  out.opened = await call(engine, 'open', s.roots);
  out.synced = await call(engine, 'sync', s.base);
  out.texts = [];
  for (const t of s.texts) out.texts.push((await call(engine, 'verifyText', t)).result);
  const px = Buffer.from(s.frame.rgba, 'base64');
  out.frame = await call(engine, 'scanRGBA', new Uint8Array(px.buffer, px.byteOffset, px.length), s.frame.w, s.frame.h);
  out.file = await call(engine, 'verifyFile', 'code.png', new Uint8Array(Buffer.from(s.png, 'base64')));
  out.pdf = await call(engine, 'verifyFile', 'a.pdf', new TextEncoder().encode('%PDF-1.7\n'));
  // A new engine on the same IndexedDB: the trust data was kept.
  engine = await start();
  out.reopened = await call(engine, 'open', s.roots);
  out.offline = await call(engine, 'sync', 'http://127.0.0.1:1');
}
process.stdout.write(JSON.stringify(out), () => process.exit(0));
