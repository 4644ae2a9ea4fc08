//go:build !js

package browser_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/internal/browsertest"
	"github.com/minedu-cla/cla/internal/testissuer"
	"github.com/minedu-cla/cla/internal/testpdf"
	"github.com/minedu-cla/cla/qr"
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/browser"
)

// workerPage drives worker.js as app.js does: runWorker(script, decoder,
// roots, text) opens the engine, syncs, verifies a text, a camera frame (the
// PNG, as an ImageBitmap), the PNG and a PDF as files, and answers all of
// it as JSON.
const workerPage = `<!doctype html><meta charset=utf-8><script>
async function runWorker(script, decoder, roots, text) {
  const w = new Worker('/V/' + script + (decoder ? '?decoder=' + decoder : ''));
  const errors = [];
  w.onerror = (ev) => { errors.push(ev.message || 'error'); };
  let seq = 0;
  const call = (op, args, transfer) => new Promise((resolve, reject) => {
    const id = ++seq;
    const on = (ev) => {
      if (ev.data.id !== id) return;
      w.removeEventListener('message', on);
      if (ev.data.ok) resolve(ev.data); else reject(new Error(op + ': ' + ev.data.error));
    };
    w.addEventListener('message', on);
    w.postMessage(Object.assign({ id, op }, args), transfer || []);
  });
  const out = {};
  out.open = await call('open', { roots });
  out.sync = await call('sync', { base: location.origin });
  out.text = await call('verifyText', { text });
  const bitmap = await createImageBitmap(await (await fetch('/V/code.png')).blob());
  out.frame = await call('frame', { bitmap }, [bitmap]);
  const png = await (await fetch('/V/code.png')).arrayBuffer();
  out.file = await call('file', { name: 'code.png', bytes: png }, [png]);
  const pdf = await (await fetch('/V/code.pdf')).arrayBuffer();
  out.pdf = await call('file', { name: 'code.pdf', bytes: pdf }, [pdf]);
  out.text2 = await call('verifyText', { text });
  await new Promise((resolve) => setTimeout(resolve, 2000)); // any stray timer of the dropped module fires
  out.errors = errors;
  w.terminate();
  return JSON.stringify(out);
}
</script>`

type workerOut struct {
	Open browser.Opened `json:"open"`
	Sync browser.Synced `json:"sync"`
	Text struct {
		Result verifier.Result `json:"result"`
	} `json:"text"`
	Frame struct {
		browser.Found
		Decoder string `json:"decoder"`
	} `json:"frame"`
	File  browser.Files `json:"file"`
	PDF   browser.Files `json:"pdf"`
	Text2 struct {
		Result verifier.Result `json:"result"`
	} `json:"text2"`
	Errors []string `json:"errors"`
}

// TestWorkerInChromium runs worker.js in headless Chromium on the engine
// built for the browser: IndexedDB, fetch, OffscreenCanvas, the switch to
// cla-pdf.wasm for a PDF; then again on the same origin, where the trust
// data kept in IndexedDB is found (no new list to fetch).
func TestWorkerInChromium(t *testing.T) {
	ctx := browsertest.Browser(t)
	dir := t.TempDir()
	_, wasmExec := buildWasm(t, dir, false)
	buildWasm(t, dir, true)
	exec, err := os.ReadFile(wasmExec)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "wasm_exec.js"), exec, 0o644)

	is := testissuer.New("worker", time.Now())
	c := is.Issue(6)
	code, err := qr.Encode(c.Text)
	if err != nil {
		t.Fatal(err)
	}
	png, _ := code.PNG(4)
	link, err := credential.Link("https://cla.minedu.gob.pe", c.Text)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := testpdf.Make([]testpdf.Page{{QR: c.Text}}, map[string][]byte{"registro.cla": c.Record})
	if err != nil {
		t.Fatal(err)
	}
	trustSrv := testissuer.NewServer(is)
	mux := http.NewServeMux()
	mux.Handle("/trust/", trustSrv)
	mux.HandleFunc("/V/{file}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		switch {
		case name == "test.html":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(workerPage))
		case name == "code.png":
			w.Write(png)
		case name == "code.pdf":
			w.Write(pdf)
		case name == "worker-native.js", name == "worker-empty.js":
			// worker.js in a browser whose BarcodeDetector reads the
			// code (a stand-in: desktop Chromium on Linux has none), or
			// finds nothing in the frame (the engine's reader then runs).
			texts := "[]"
			if name == "worker-native.js" {
				b, _ := json.Marshal([]string{link})
				texts = string(b)
			}
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprintf(w, standInDetector, texts)
		case name == "worker.js":
			w.Header().Set("Content-Type", "text/javascript")
			http.ServeFile(w, r, "../../assets/webverify/worker.js")
		case strings.HasSuffix(name, ".wasm") || name == "wasm_exec.js":
			if strings.HasSuffix(name, ".wasm") {
				w.Header().Set("Content-Type", "application/wasm")
			}
			http.ServeFile(w, r, filepath.Join(dir, name))
		default:
			http.NotFound(w, r)
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	roots := []string{base64.RawURLEncoding.EncodeToString(is.RootPublic())}
	runScript := func(script, decoder string) workerOut {
		t.Helper()
		args, _ := json.Marshal([]any{script, decoder, roots, c.Text})
		if _, err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/V/test.html")); err != nil {
			t.Fatal(err)
		}
		js, err := chromedp.Run(ctx, chromedp.Evaluate[string]("runWorker(..."+string(args)+")", chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("worker (%s %s): %v", script, decoder, err)
		}
		var out workerOut
		if err := json.Unmarshal([]byte(js), &out); err != nil {
			t.Fatalf("%v: %s", err, js)
		}
		return out
	}
	run := func(decoder string) workerOut { return runScript("worker.js", decoder) }

	first := run("wasm")
	if len(first.Errors) > 0 {
		t.Errorf("the worker threw: %q", first.Errors)
	}
	if first.Open.Info.Freshness != browser.FreshNone {
		t.Errorf("first open: %+v", first.Open)
	}
	if s := first.Sync; s.Error != "" || s.Info.Freshness != browser.FreshFresh || s.Info.StatusSeq != is.ListSeq() {
		t.Errorf("sync: %+v", s)
	}
	if first.Text.Result.Status != "valid" || first.Text2.Result.Status != "valid" {
		t.Errorf("text: %+v; after the switch to cla-pdf.wasm: %+v", first.Text.Result, first.Text2.Result)
	}
	if f := first.Frame; f.Decoder != "wasm" || len(f.Codes) != 1 || f.Codes[0] != c.Text || f.Results[0].Status != "valid" {
		t.Errorf("frame: %+v", f)
	}
	if f := first.File; len(f.Results) != 1 || f.Results[0].Status != "valid" {
		t.Errorf("PNG: %+v", f)
	}
	if f := first.PDF; len(f.Results) != 1 || f.Results[0].Status != "valid" || f.Results[0].Constancia == nil ||
		f.Results[0].Constancia.Record == nil {
		t.Fatalf("PDF with its record: %+v", f)
	}

	t.Logf("first visit: %s, list %d; frame by %s; PDF %s (record attached: %v)", first.Sync.Info.Freshness,
		first.Sync.Info.StatusSeq, first.Frame.Decoder, first.PDF.Results[0].Status, first.PDF.Results[0].Constancia.Record != nil)
	requests := func() int {
		trustSrv.Mu.Lock()
		defer trustSrv.Mu.Unlock()
		return trustSrv.Requests["/trust/status"] + trustSrv.Requests["/trust/keysets"]
	}
	before := requests()
	again := run("wasm")
	if again.Open.Info.Freshness != browser.FreshFresh || again.Open.Info.StatusSeq != is.ListSeq() {
		t.Errorf("reopened on the IndexedDB: %+v", again.Open)
	}
	if n := requests(); n != before+1 {
		t.Errorf("the second visit's sync made %d requests of the keysets and the whole list, want 1 (keysets)", n-before)
	}

	// BarcodeDetector: where the browser has one, frames go to it first;
	// what it reads is verified by the engine (here the link form, as a
	// phone reads a new constancia). Where it finds nothing, the engine's
	// own reader looks at the same frame.
	native := runScript("worker-native.js", "")
	if f := native.Frame; f.Decoder != "native" || len(f.Codes) != 1 || f.Codes[0] != link || len(f.Results) != 1 || f.Results[0].Status != "valid" {
		t.Errorf("frame through BarcodeDetector: %+v", f)
	}
	if len(native.Errors) > 0 {
		t.Errorf("the worker threw: %q", native.Errors)
	}
	empty := runScript("worker-empty.js", "")
	if f := empty.Frame; f.Decoder != "wasm" || len(f.Codes) != 1 || f.Codes[0] != c.Text || len(f.Results) != 1 || f.Results[0].Status != "valid" {
		t.Errorf("frame where BarcodeDetector found nothing: %+v", f)
	}
}

// standInDetector is a BarcodeDetector for a worker, then worker.js: it
// answers the texts given (a JSON array) for any frame, checking that it
// was handed an image, as the browser's does.
const standInDetector = `'use strict';
self.BarcodeDetector = class {
  static async getSupportedFormats() { return ['qr_code', 'ean_13']; }
  constructor(opts) {
    if (!opts || !opts.formats || opts.formats.join() !== 'qr_code') throw new Error('asked for ' + JSON.stringify(opts));
  }
  async detect(image) {
    if (!image || !(image.width > 0)) throw new TypeError('not an image');
    return %s.map((rawValue) => ({ rawValue, format: 'qr_code', boundingBox: { x: 0, y: 0, width: 1, height: 1 } }));
  }
};
importScripts('/V/worker.js');
`
