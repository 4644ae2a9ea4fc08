package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/minedu-cla/cla/assets"
	"github.com/minedu-cla/cla/i18n"
)

// The browser verifier (docs/WEBVERIFY.md): a page at /V that verifies
// constancias in the browser with the engine compiled to WebAssembly, and
// keeps working offline once visited. A constancia's QR opens it with the
// signed code in the URL's fragment, which never reaches this server.
//
// Everything under /V is static: the page (with the issuer's root keys and
// the three languages' texts in it), the scripts, the WebAssembly, the
// manifest and icons. The service worker (/V/sw.js) keeps them; its
// VERSION is a hash of all of them, so a new release replaces the cache.

// PathWebVerify is the browser verifier's page, and the path a
// constancia's QR link opens.
const PathWebVerify = "/V"

// webFile is one file of the browser verifier, ready to serve.
type webFile struct {
	name, ctype string
	data        []byte
	etag        string
	gzOnce      sync.Once
	gz          []byte // nil: not worth compressing
}

// webVerifier serves /V and /V/*.
type webVerifier struct {
	files   map[string]*webFile
	version string // hash of every file and the page: the service worker's cache name
	built   bool   // the WebAssembly is in this build
	page    *template.Template
	roots   []string
	texts   map[string]map[string]string // language → the keys the page's script uses
}

// webTextPrefixes are the catalogue keys the page's script shows.
var webTextPrefixes = []string{"webv.", "status.", "reason.", "warn.", "level.", "result.", "grade.", "dur.",
	"app.result.", "sync.", "web.privacy"}

func newWebVerifier(roots [][]byte) (*webVerifier, error) {
	v := &webVerifier{files: map[string]*webFile{}, texts: map[string]map[string]string{}}
	for _, r := range roots {
		v.roots = append(v.roots, base64.RawURLEncoding.EncodeToString(r))
	}
	err := fs.WalkDir(assets.WebVerify, "webverify", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := assets.WebVerify.ReadFile(p)
		if err != nil {
			return err
		}
		name := path.Base(p)
		ctype := mime.TypeByExtension(path.Ext(name))
		switch path.Ext(name) {
		case ".wasm":
			ctype = "application/wasm"
		case ".webmanifest":
			ctype = "application/manifest+json"
		case ".js":
			ctype = "text/javascript; charset=utf-8"
		}
		v.files[name] = &webFile{name: name, ctype: ctype, data: data}
		return nil
	})
	if err != nil {
		return nil, err
	}
	_, v.built = v.files["cla.wasm"]
	for _, l := range i18n.Langs {
		cat, err := i18n.Catalog(l)
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		for k, s := range cat {
			for _, p := range webTextPrefixes {
				if strings.HasPrefix(k, p) {
					m[k] = s
				}
			}
		}
		v.texts[string(l)] = m
	}
	v.page, err = template.New("webverify.html").Funcs(template.FuncMap{
		"t": func(lang, key string, args ...any) string { return i18n.T(i18n.Lang(lang), key, args...) },
	}).ParseFS(assets.Templates, "templates/webverify.html")
	if err != nil {
		return nil, err
	}
	// The version covers every file and what the page embeds.
	h := sha256.New()
	names := make([]string, 0, len(v.files))
	for n := range v.files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f := v.files[n]
		sum := sha256.Sum256(f.data)
		f.etag = `"` + hex.EncodeToString(sum[:12]) + `"`
		h.Write([]byte(n))
		h.Write(sum[:])
	}
	cfg, _ := json.Marshal(v.config())
	h.Write(cfg)
	tpl, _ := assets.Templates.ReadFile("templates/webverify.html")
	h.Write(tpl)
	v.version = hex.EncodeToString(h.Sum(nil)[:8])
	if sw, ok := v.files["sw.js"]; ok {
		sw.data = bytes.ReplaceAll(sw.data, []byte("__VERSION__"), []byte(v.version))
		sum := sha256.Sum256(sw.data)
		sw.etag = `"` + hex.EncodeToString(sum[:12]) + `"`
	}
	return v, nil
}

// webConfig is what the page hands its script (a JSON data block).
type webConfig struct {
	Roots   []string                     `json:"roots"`
	Texts   map[string]map[string]string `json:"texts"`
	Version string                       `json:"version"`
	Built   bool                         `json:"built"`
}

func (v *webVerifier) config() webConfig {
	return webConfig{Roots: v.roots, Texts: v.texts, Version: v.version, Built: v.built}
}

// webHeaders are the page's own security headers: the site's, plus
// WebAssembly compilation, workers and the camera for this origin only.
func webHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "+
		"script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; manifest-src 'self'; "+
		"media-src 'self' blob:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
	h.Set("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
	// The page is the service worker's to keep: the browser revalidates
	// it (ETag) when it asks at all.
	h.Set("Cache-Control", "no-cache")
}

type webPage struct {
	Lang    string
	Origin  string
	Config  template.JS
	Version string
	Built   bool
}

func (s *Server) getWebVerify(w http.ResponseWriter, r *http.Request) {
	v := s.web
	webHeaders(w.Header())
	l, _ := s.lang(w, r)
	cfg, err := json.Marshal(v.config())
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	// JSON inside <script type="application/json">: "<" escaped, so no
	// text in it can close the element.
	cfg = bytes.ReplaceAll(cfg, []byte("<"), []byte(`\u003c`))
	var buf bytes.Buffer
	p := webPage{Lang: string(l), Config: template.JS(cfg), Version: v.version, Built: v.built}
	if err := v.page.ExecuteTemplate(&buf, "webverify.html", p); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	sum := sha256.Sum256(buf.Bytes())
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Vary", "Accept-Language, Cookie")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	writeMaybeGzip(w, r, buf.Bytes(), nil)
}

func (s *Server) getWebVerifyFile(w http.ResponseWriter, r *http.Request) {
	f, ok := s.web.files[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	webHeaders(w.Header())
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("ETag", f.etag)
	if f.name == "sw.js" {
		// Its scope is the page at /V, outside /V/.
		h.Set("Service-Worker-Allowed", PathWebVerify)
	}
	if r.Header.Get("If-None-Match") == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	writeMaybeGzip(w, r, f.data, f)
}

// writeMaybeGzip sends data gzip-compressed when the client takes it and it
// is worth it; f caches the compressed bytes of a static file.
func writeMaybeGzip(w http.ResponseWriter, r *http.Request, data []byte, f *webFile) {
	w.Header().Add("Vary", "Accept-Encoding")
	compressible := f == nil || !strings.HasPrefix(f.ctype, "image/")
	if !compressible || !acceptsGzip(r.Header.Get("Accept-Encoding")) || len(data) < 512 {
		w.Write(data)
		return
	}
	var gz []byte
	if f != nil {
		f.gzOnce.Do(func() { f.gz = gzipBytes(f.data) })
		gz = f.gz
	} else {
		gz = gzipBytes(data)
	}
	w.Header().Set("Content-Encoding", "gzip")
	w.Write(gz)
}

func gzipBytes(data []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(data)
	zw.Close()
	return buf.Bytes()
}

func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			return !strings.Contains(strings.ReplaceAll(params, " ", ""), "q=0") ||
				strings.Contains(params, "q=0.")
		}
	}
	return false
}
