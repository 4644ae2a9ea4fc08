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
	version string                 // hash of every file and the page: the service worker's cache name
	built   bool                   // the WebAssembly is in this build
	pages   map[i18n.Lang]*webFile // the page in each language, rendered once
	roots   []string
	texts   map[string]map[string]string // language → the keys the page's script uses
}

// webTextPrefixes are the catalogue keys the page's script shows.
var webTextPrefixes = []string{"webv.", "import.reason.", "status.", "reason.", "warn.", "level.", "result.", "grade.", "dur.",
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
	page, err := template.New("webverify.html").Funcs(template.FuncMap{
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
		f.etag = etagOf(f.data)
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
		sw.etag = etagOf(sw.data)
	}
	// The page is the same for everyone in a language: rendered once.
	// Its JSON sits inside <script type="application/json">, "<" escaped
	// so no text in it can close the element.
	cfg, err = json.Marshal(v.config()) // now with the version
	if err != nil {
		return nil, err
	}
	cfg = bytes.ReplaceAll(cfg, []byte("<"), []byte(`\u003c`))
	v.pages = map[i18n.Lang]*webFile{}
	for _, l := range i18n.Langs {
		var buf bytes.Buffer
		p := webPage{Lang: string(l), Config: template.JS(cfg), Version: v.version, Built: v.built}
		if err := page.ExecuteTemplate(&buf, "webverify.html", p); err != nil {
			return nil, err
		}
		v.pages[l] = &webFile{name: "webverify.html", ctype: "text/html; charset=utf-8", data: buf.Bytes(), etag: etagOf(buf.Bytes())}
	}
	return v, nil
}

func etagOf(data []byte) string {
	sum := sha256.Sum256(data)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
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
	l, _ := s.lang(w, r)
	w.Header().Set("Vary", "Accept-Language, Cookie")
	serveWebFile(w, r, s.web.pages[l])
}

func (s *Server) getWebVerifyFile(w http.ResponseWriter, r *http.Request) {
	f, ok := s.web.files[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if f.name == "sw.js" {
		// Its scope is the page at /V, outside /V/.
		w.Header().Set("Service-Worker-Allowed", PathWebVerify)
	}
	serveWebFile(w, r, f)
}

// serveWebFile sends f with the page's headers, its ETag, and gzip'd when
// the client takes it and it is worth it (compressed once, then kept).
func serveWebFile(w http.ResponseWriter, r *http.Request, f *webFile) {
	webHeaders(w.Header())
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("ETag", f.etag)
	if r.Header.Get("If-None-Match") == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Add("Vary", "Accept-Encoding")
	if strings.HasPrefix(f.ctype, "image/") || len(f.data) < 512 || !acceptsGzip(r.Header.Get("Accept-Encoding")) {
		w.Write(f.data)
		return
	}
	f.gzOnce.Do(func() { f.gz = gzipBytes(f.data) })
	h.Set("Content-Encoding", "gzip")
	w.Write(f.gz)
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
