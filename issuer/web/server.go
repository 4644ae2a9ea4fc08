// Package web is the issuer's HTTP face: the request pages (Spanish first,
// English and Quechua, no JavaScript needed), the verify pages, the trust
// endpoints verifiers sync from, and the JSON API.
package web

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/minedu-cla/cla/assets"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/issuance"
	"github.com/minedu-cla/cla/issuer/keys"
	"github.com/minedu-cla/cla/issuer/manage"
	"github.com/minedu-cla/cla/issuer/revocation"
	"github.com/minedu-cla/cla/issuer/staff"
	"github.com/minedu-cla/cla/issuer/ubigeo"
)

// TermsVersion is the version of the terms the request pages show.
const TermsVersion = "2026-11"

// Limits are the rate limits (requests a minute, burst). Zero turns a
// limit off.
type Limits struct {
	ChecksPerMinute, ChecksBurst   int // identity checks, per client address
	PerDocPerHour                  int // identity checks, per student document
	LookupsPerMinute, LookupsBurst int // code lookups, per client address
}

// DefaultLimits suit a public deployment: a family needs a handful of
// tries; an enumerator is stopped at once.
var DefaultLimits = Limits{ChecksPerMinute: 10, ChecksBurst: 5, PerDocPerHour: 10, LookupsPerMinute: 60, LookupsBurst: 20}

// Decoder reads the QR texts in an uploaded file (PDF or image).
type Decoder func(ctx context.Context, data []byte) ([]string, error)

// Deps is what the web layer needs.
type Deps struct {
	Service   *issuance.Service
	Keys      *keys.Keys
	Status    *revocation.List
	Catalogue *ubigeo.Catalogue
	Decode    Decoder
	// Health reports the parts' state for /healthz.
	Health func(ctx context.Context) map[string]any
	Limits Limits
	// SecureCookies marks cookies Secure even on plain HTTP (behind a TLS
	// proxy); BehindProxy trusts X-Forwarded-For for rate limits.
	SecureCookies, BehindProxy bool
	Log                        *slog.Logger
	Now                        func() time.Time
	// The admin console, served when Accounts is set.
	Accounts *staff.Accounts
	Manage   *manage.Manager
	// Audit records verifications by code (batched in the background).
	Audit *audit.Recorder
}

type server struct {
	Deps
	rd                     *renderer
	sess                   *sessions
	checks, perDoc, lookup *limiter
	staff                  *staffSessions
	logins                 *limiter
	statsCache             statsCache
}

// New returns the issuer's HTTP handler.
func New(d Deps) (http.Handler, error) {
	rd, err := newRenderer()
	if err != nil {
		return nil, err
	}
	s := &server{Deps: d, rd: rd, sess: newSessions(d.Now, d.SecureCookies),
		staff: &staffSessions{m: map[string]*staffSession{}}, logins: newLimiter(10, 5, d.Now)}
	if l := d.Limits; l.ChecksPerMinute > 0 {
		s.checks = newLimiter(l.ChecksPerMinute, l.ChecksBurst, d.Now)
		s.perDoc = newLimiter(l.PerDocPerHour, l.PerDocPerHour, d.Now)
		s.perDoc.rate = float64(l.PerDocPerHour) / 3600
	}
	if l := d.Limits; l.LookupsPerMinute > 0 {
		s.lookup = newLimiter(l.LookupsPerMinute, l.LookupsBurst, d.Now)
	}
	static, err := fs.Sub(assets.Static, ".")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /privacidad", s.privacy)
	for _, p := range []string{"/solicitar", "/request"} {
		mux.HandleFunc("GET "+p, s.getTerms)
	}
	mux.HandleFunc("POST /solicitar/terminos", s.postTerms)
	mux.HandleFunc("GET /solicitar/datos", s.getForm)
	mux.HandleFunc("POST /solicitar/datos", s.postForm)
	mux.HandleFunc("GET /solicitar/vista-previa", s.getPreview)
	mux.HandleFunc("POST /solicitar/emitir", s.postIssue)
	mux.HandleFunc("GET /solicitar/listo", s.getDone)
	for _, p := range []string{"/verificar", "/validate"} {
		mux.HandleFunc("GET "+p, s.getVerify)
	}
	mux.HandleFunc("POST /verificar", s.postVerify)
	mux.HandleFunc("POST /verificar/archivo", s.postVerifyFile)
	mux.HandleFunc("GET /verificar/{code}/pdf", s.getPDF)
	s.trustRoutes(mux)
	if d.Accounts != nil {
		s.adminRoutes(mux)
	}
	s.apiRoutes(mux)
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticHandler(static)))
	return s.middleware(mux), nil
}

// staticHandler serves the embedded files (icon.png sits at the assets
// root) with a day of caching.
func staticHandler(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		if r.URL.Path == "icon.png" {
			http.ServeFileFS(w, r, fsys, "icon.png")
			return
		}
		r.URL.Path = "static/" + r.URL.Path
		files.ServeHTTP(w, r)
	})
}

// maxForm caps a form or JSON body; uploads have their own cap.
const maxForm = 64 << 10

// middleware adds security headers, body caps, panic recovery and one log
// line a request — the route pattern, never the path (a path can hold a
// virtual code) and never a form value.
func (s *server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.Now()
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
			"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil || s.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		switch {
		case r.URL.Path == "/verificar/archivo":
		case strings.HasPrefix(r.URL.Path, "/admin/claves/"):
			r.Body = http.MaxBytesReader(w, r.Body, 2*maxKeyUpload+maxForm)
		default:
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if v := recover(); v != nil {
				if errors.Is(asError(v), http.ErrAbortHandler) {
					panic(v)
				}
				s.Log.Error("panic", "route", r.Pattern, "panic", v, "stack", string(debug.Stack()))
				if rec.status == http.StatusOK && !rec.wrote {
					http.Error(rec, "internal error", http.StatusInternalServerError)
				}
			}
			s.Log.Info("request", "method", r.Method, "route", r.Pattern, "status", rec.status,
				"ms", s.Now().Sub(start).Milliseconds())
		}()
		next.ServeHTTP(rec, r)
	})
}

func asError(v any) error {
	if err, ok := v.(error); ok {
		return err
	}
	return nil
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

// lang picks the page language: ?lang=, then the cookie, then the
// browser's Accept-Language, then Spanish. A ?lang= choice is remembered.
func (s *server) lang(w http.ResponseWriter, r *http.Request) i18n.Lang {
	if l, ok := i18n.Parse(r.URL.Query().Get("lang")); ok {
		http.SetCookie(w, &http.Cookie{Name: "cla_idioma", Value: string(l), Path: "/", HttpOnly: true,
			SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 3600, Secure: s.SecureCookies || r.TLS != nil})
		return l
	}
	if c, err := r.Cookie("cla_idioma"); err == nil {
		if l, ok := i18n.Parse(c.Value); ok {
			return l
		}
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		if l, ok := i18n.Parse(strings.TrimSpace(part)); ok {
			return l
		}
	}
	return i18n.ES
}

func (s *server) newPage(w http.ResponseWriter, r *http.Request, titleKey, nav string) (*page, i18n.Lang) {
	l := s.lang(w, r)
	return &page{Lang: string(l), Title: i18n.T(l, titleKey), Nav: nav, TermsVersion: TermsVersion}, l
}

func (s *server) home(w http.ResponseWriter, r *http.Request) {
	p, _ := s.newPage(w, r, "web.home.title", "")
	s.rd.render(w, r, http.StatusOK, "home", p)
}

func (s *server) privacy(w http.ResponseWriter, r *http.Request) {
	p, _ := s.newPage(w, r, "web.privacy", "")
	s.rd.render(w, r, http.StatusOK, "privacy", p)
}

// fail shows an error page in the person's language.
func (s *server) fail(w http.ResponseWriter, r *http.Request, status int, msgKey string, args ...any) {
	p, l := s.newPage(w, r, "web.error.title", "")
	p.Message = i18n.T(l, msgKey, args...)
	s.rd.render(w, r, status, "error", p)
}

func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	out := map[string]any{"status": "ok"}
	if s.Health != nil {
		for k, v := range s.Health(r.Context()) {
			out[k] = v
		}
	}
	writeJSON(w, http.StatusOK, out)
}
