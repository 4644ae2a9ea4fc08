package web_test

import (
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/minedu-cla/cla/issuer/web"
)

// TestWebVerifyServed: /V and its files are served with the page's own
// headers (WebAssembly compilation, workers, the camera for this origin
// only), the root key and the three languages in the page, the service
// worker's version set and its scope allowed; the rest of the site keeps
// the camera off; unknown files and directory tricks are 404.
func TestWebVerifyServed(t *testing.T) {
	h := newHarness(t, web.Limits{})
	get := func(path string, hdr ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, h.srv.URL+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		tr := &http.Transport{DisableCompression: true}
		resp, err := (&http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	resp, page := get("/V")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/V: %d", resp.StatusCode)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "'wasm-unsafe-eval'") || !strings.Contains(csp, "worker-src 'self'") || strings.Contains(csp, "'unsafe-eval'") || strings.Contains(csp, "'unsafe-inline'") {
		t.Errorf("/V CSP: %s", csp)
	}
	if pp := resp.Header.Get("Permissions-Policy"); !strings.Contains(pp, "camera=(self)") {
		t.Errorf("/V Permissions-Policy: %s", pp)
	}
	m := regexp.MustCompile(`(?s)<script type="application/json" id="cla-config">(.*?)</script>`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no configuration in the page:\n%s", page)
	}
	var cfg struct {
		Roots   []string
		Texts   map[string]map[string]string
		Version string
		Built   bool
	}
	if err := json.Unmarshal(m[1], &cfg); err != nil {
		t.Fatalf("configuration: %v\n%s", err, m[1])
	}
	if len(cfg.Roots) != 1 {
		t.Fatalf("roots: %v", cfg.Roots)
	}
	if k, err := base64.RawURLEncoding.DecodeString(cfg.Roots[0]); err != nil || len(k) != 32 {
		t.Errorf("root %q is not an Ed25519 key", cfg.Roots[0])
	}
	for _, l := range []string{"es", "en", "qu"} {
		if cfg.Texts[l]["status.valid"] == "" || cfg.Texts[l]["webv.scan"] == "" || len(cfg.Texts[l]) != len(cfg.Texts["es"]) {
			t.Errorf("texts %s: %d keys (es %d)", l, len(cfg.Texts[l]), len(cfg.Texts["es"]))
		}
	}
	if cfg.Texts["es"]["status.valid"] != "VÁLIDA" {
		t.Errorf("es status.valid = %q", cfg.Texts["es"]["status.valid"])
	}

	resp, sw := get("/V/sw.js")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Service-Worker-Allowed") != "/V" ||
		!strings.Contains(string(sw), "const VERSION = '"+cfg.Version+"'") || cfg.Version == "" {
		t.Errorf("/V/sw.js: %d allowed %q version %q\n%.300s", resp.StatusCode, resp.Header.Get("Service-Worker-Allowed"), cfg.Version, sw)
	}
	resp, gz := get("/V/app.js", "Accept-Encoding", "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("/V/app.js: %v", resp.Header)
	}
	zr, err := gzip.NewReader(strings.NewReader(string(gz)))
	if err != nil {
		t.Fatal(err)
	}
	js, _ := io.ReadAll(zr)
	if !strings.Contains(string(js), "worker.js") {
		t.Errorf("/V/app.js is not the page's script")
	}
	etag := resp.Header.Get("ETag")
	if resp, _ := get("/V/app.js", "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d", resp.StatusCode)
	}
	for _, p := range []string{"/V/nothing.js", "/V/..%2fweb.go", "/V/gen", "/V/README.md"} {
		if resp, _ := get(p); resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMovedPermanently {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
	resp, verify := get("/verificar")
	if !strings.Contains(resp.Header.Get("Permissions-Policy"), "camera=()") {
		t.Errorf("/verificar must keep the camera off: %s", resp.Header.Get("Permissions-Policy"))
	}
	// /verificar links to /V exactly when the WebAssembly is built in
	// (make wasm, which make test runs first).
	if links := strings.Contains(string(verify), `href="/V?lang=es"`); links != cfg.Built {
		t.Errorf("/verificar links to /V: %v; built: %v", links, cfg.Built)
	}
	if cfg.Built {
		if resp, b := get("/V/cla.wasm"); resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/wasm" ||
			!strings.HasPrefix(string(b), "\x00asm") {
			t.Errorf("/V/cla.wasm: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}
