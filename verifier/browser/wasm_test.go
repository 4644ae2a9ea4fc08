//go:build !js

package browser_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/draw"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/internal/testissuer"
	"github.com/minedu-cla/cla/qr"
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/browser"
)

// buildWasm builds cmd/cla-wasm for the browser into dir, as make wasm
// does (cla.wasm, or cla-pdf.wasm with the clapdf tag), and returns its
// path and Go's wasm_exec.js.
func buildWasm(t *testing.T, dir string, pdf bool) (wasm, wasmExec string) {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	goroot := strings.TrimSpace(string(out))
	for _, p := range []string{"lib/wasm/wasm_exec.js", "misc/wasm/wasm_exec.js"} {
		if _, err := os.Stat(filepath.Join(goroot, p)); err == nil {
			wasmExec = filepath.Join(goroot, p)
			break
		}
	}
	if wasmExec == "" {
		t.Fatalf("no wasm_exec.js under %s", goroot)
	}
	args := []string{"build", "-trimpath", "-ldflags=-s -w"}
	wasm = filepath.Join(dir, "cla.wasm")
	if pdf {
		args, wasm = append(args, "-tags", "clapdf"), filepath.Join(dir, "cla-pdf.wasm")
	}
	cmd := exec.Command("go", append(args, "-o", wasm, "../../cmd/cla-wasm")...)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", wasm, err, out)
	}
	return wasm, wasmExec
}

// harnessOut is what testdata/harness.mjs prints.
type harnessOut struct {
	Vectors  map[string]verifier.Result `json:"vectors"`
	BenchNs  float64                    `json:"bench_ns"`
	FrameNs  float64                    `json:"frame_ns"`
	Opened   browser.Opened             `json:"opened"`
	Synced   browser.Synced             `json:"synced"`
	Texts    []verifier.Result          `json:"texts"`
	Frame    browser.Found              `json:"frame"`
	File     browser.Files              `json:"file"`
	PDF      browser.Files              `json:"pdf"`
	Reopened browser.Opened             `json:"reopened"`
	Offline  browser.Synced             `json:"offline"`
}

func runHarness(t *testing.T, plan any) harnessOut {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		if testing.Short() {
			t.Skip("node not found")
		}
		t.Fatal("node not found: make deps installs it")
	}
	wasm, wasmExec := buildWasm(t, t.TempDir(), false)
	in, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "testdata/harness.mjs", wasmExec, wasm)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node harness: %v\n%s", err, stderr.Bytes())
	}
	var h harnessOut
	if err := json.Unmarshal(out, &h); err != nil {
		t.Fatalf("harness output: %v\n%s", err, out)
	}
	return h
}

type vector struct {
	Name     string          `json:"name"`
	QR       string          `json:"qr"`
	JWKS     json.RawMessage `json:"jwks"`
	Expected string          `json:"expected"`
}

func credentialVectors(t *testing.T) []vector {
	t.Helper()
	files, err := filepath.Glob("../../testdata/vectors/credential/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no credential vectors: %v", err)
	}
	var vs []vector
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v vector
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		vs = append(vs, v)
	}
	return vs
}

// TestWasm runs the engine built for the browser (cmd/cla-wasm) in Node,
// as the page's worker does: every credential test vector against its
// JWKS; then, on an issuer over HTTP, open on an empty claIDB, sync with
// fetch, verify a valid and a revoked code as text, from RGBA pixels and
// from a PNG; a PDF asks for the PDF module; a second engine on the same
// claIDB finds the trust data kept; an unreachable issuer is offline.
func TestWasm(t *testing.T) {
	vs := credentialVectors(t)
	is := testissuer.New("wasm", time.Now())
	good, bad := is.Issue(2), is.Issue(3)
	is.Revoke(bad)
	srv := httptest.NewServer(testissuer.NewServer(is))
	defer srv.Close()

	code, err := qr.Encode(good.Text)
	if err != nil {
		t.Fatal(err)
	}
	gray := code.Image(4)
	rgba := image.NewRGBA(gray.Bounds())
	draw.Draw(rgba, rgba.Bounds(), gray, image.Point{}, draw.Src)
	png, err := code.PNG(4)
	if err != nil {
		t.Fatal(err)
	}
	jwks, err := keyset.MarshalJWKS(is.Keyset().Keys)
	if err != nil {
		t.Fatal(err)
	}
	goodLink, err := credential.Link(srv.URL, good.Text) // the printed QR's form
	if err != nil {
		t.Fatal(err)
	}
	plan := map[string]any{
		"vectors": vs,
		"bench": map[string]any{"jwks": json.RawMessage(jwks), "qr": good.Text, "n": 3000,
			"frame": map[string]int{"w": 1280, "h": 720}},
		"sync": map[string]any{
			"roots": []string{base64.RawURLEncoding.EncodeToString(is.RootPublic())},
			"base":  srv.URL,
			"texts": []string{good.Text, bad.Text, goodLink},
			"frame": map[string]any{"rgba": rgba.Pix, "w": rgba.Rect.Dx(), "h": rgba.Rect.Dy()},
			"png":   png,
		},
	}
	h := runHarness(t, plan)

	for _, v := range vs {
		if got := h.Vectors[v.Name]; string(got.Status) != v.Expected {
			t.Errorf("vector %s: %s (%s), want %s", v.Name, got.Status, got.Detail, v.Expected)
		}
	}
	// The same verification natively, for comparison (the same JWKS engine).
	native, err := browser.OpenKeys(jwks)
	if err != nil {
		t.Fatal(err)
	}
	// As the WebAssembly side: warmed up, and the answer in JSON as the
	// page receives it.
	const n = 1000
	for range n {
		json.Marshal(native.VerifyText(good.Text))
	}
	start := time.Now()
	for range n {
		json.Marshal(native.VerifyText(good.Text))
	}
	perOp := time.Since(start) / n
	t.Logf("VerifyText: %.0f µs in WebAssembly (Node %s), %.0f µs native: %.1f×", h.BenchNs/1e3, nodeVersion(),
		float64(perOp.Microseconds()), h.BenchNs/float64(perOp.Nanoseconds()))
	px := make([]byte, 1280*720*4)
	for y := range 720 {
		for x := range 1280 {
			i := (y*1280 + x) * 4
			v := byte((x*7 + y*13) % 256)
			px[i], px[i+1], px[i+2] = v, v, v
		}
	}
	native.ScanRGBA(context.Background(), px, 1280, 720) // warm-up, as the WebAssembly side
	start = time.Now()
	for range 5 {
		native.ScanRGBA(context.Background(), px, 1280, 720)
	}
	frame := time.Since(start) / 5
	t.Logf("a 720p frame with no code: %.0f ms in WebAssembly, %.0f ms native (the frame budget is %v)",
		h.FrameNs/1e6, float64(frame.Microseconds())/1e3, 1500*time.Millisecond)

	if h.Opened.Info.Freshness != browser.FreshNone || h.Opened.Error != "" {
		t.Errorf("open on an empty claIDB: %+v", h.Opened)
	}
	if s := h.Synced; s.Error != "" || !s.Changed || s.Info.Freshness != browser.FreshFresh || s.Info.StatusSeq != is.ListSeq() ||
		s.Info.KeysetSeq != 1 || s.Info.LastSuccess == "" || s.Info.Floor == "" {
		t.Errorf("sync: %+v", s)
	}
	if len(h.Texts) != 3 || h.Texts[0].Status != "valid" || h.Texts[1].Status != "revoked" || h.Texts[2].Status != "valid" {
		t.Errorf("texts after the sync: %+v", h.Texts)
	}
	if f := h.Frame; len(f.Codes) != 1 || f.Codes[0] != good.Text || len(f.Results) != 1 || f.Results[0].Status != "valid" {
		t.Errorf("frame: %+v", f)
	}
	if f := h.File; len(f.Results) != 1 || f.Results[0].Status != "valid" || len(f.Codes) != 1 || f.Codes[0] != good.Text {
		t.Errorf("PNG file: %+v", f)
	}
	if !h.PDF.NeedPDF {
		t.Errorf("a PDF to cla.wasm: %+v, want need_pdf", h.PDF)
	}
	if r := h.Reopened; r.Info.StatusSeq != h.Synced.Info.StatusSeq || r.Info.Freshness != browser.FreshFresh ||
		r.Info.LastSuccess != h.Synced.Info.LastSuccess || r.Error != "" {
		t.Errorf("reopened: %+v, after the sync %+v", r, h.Synced.Info)
	}
	if o := h.Offline; !o.Offline || o.Refused || o.Info.StatusSeq != is.ListSeq() {
		t.Errorf("unreachable issuer: %+v", o)
	}
}

func nodeVersion() string {
	out, _ := exec.Command("node", "--version").Output()
	return strings.TrimSpace(string(out))
}
