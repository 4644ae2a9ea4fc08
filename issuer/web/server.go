// Package web is the issuer's public site and the core its other areas
// share: the request pages (Spanish first, English and Quechua, no
// JavaScript needed) and the verify pages; templates, sessions, rate
// limits, security headers. The staff console (issuer/web/console) and
// the JSON API with the trust endpoints (issuer/web/api) are Areas
// mounted on it; issuer/server puts the three together.
package web

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"runtime/debug"
	"strconv"
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

// Limits are the rate limits (requests a minute, burst). Zero turns a
// limit off.
//
// Failed identity checks (data that did not match the registry) are
// counted per document and client address together, and per client
// address: never per document alone, or anyone knowing a DNI could spend
// its holder's tries and keep them out (ten wrong requests did, then one
// every six minutes). A holder with the right data, from their own
// address, always gets a check. See docs/ISSUER.md, "Rate limits".
type Limits struct {
	ChecksPerMinute, ChecksBurst int // identity checks, per client address
	FailsPerDocHour              int // failed checks, per student document and client address
	FailsPerHour                 int // failed checks, per client address, whatever the document
	LookupsPerMinute             int // code lookups, per client address
	LookupsBurst                 int
	StartsPerMinute, StartsBurst int // request forms started (terms accepted), per client address
}

// DefaultLimits suit a public deployment: a family needs a handful of
// tries; an enumerator is stopped at once.
var DefaultLimits = Limits{ChecksPerMinute: 10, ChecksBurst: 5, FailsPerDocHour: 3, FailsPerHour: 20,
	LookupsPerMinute: 60, LookupsBurst: 20, StartsPerMinute: 10, StartsBurst: 30}

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
	// proxy).
	SecureCookies bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For hops
	// are believed (see ClientKey); none: the connection's address.
	TrustedProxies []netip.Prefix
	Log            *slog.Logger
	Now            func() time.Time
	// The staff console (issuer/web/console), served when Accounts is set:
	// its area is one of Areas.
	Accounts *staff.Accounts
	Manage   *manage.Manager
	// Areas add their routes to the site (the console: console.Mount).
	Areas []Area
	// Audit records verifications by code (batched in the background).
	Audit *audit.Recorder
	// Buckets, when set (the issuer on PostgreSQL), keep the rate limits
	// in the database, one budget for every replica (ShareLimit).
	Buckets Buckets
	// Sessions, when set (the issuer on PostgreSQL), keep the request
	// form's and the console's sessions in the database, sealed under
	// keys of Service.Secret, for every replica (SharedSessions).
	Sessions SessionStore
}

// Server is the site's shared core: dependencies, templates, request
// sessions and rate limits. Areas (the staff console) build on it.
type Server struct {
	Deps
	rd   *renderer
	sess *sessions
	// Shared is set when sessions are the database's (Deps.Sessions):
	// the console keeps its own there too.
	Shared *SharedSessions
	// Rate limits (nil: off): identity checks per address and per
	// document, code lookups per address, forms started per address (each
	// a session kept: in the database when shared).
	Checks, Lookups, Starts *Limiter
	// docFails and clientFails count failed identity checks (CheckGate).
	docFails, clientFails *Limiter
	bodyLimits            map[string]int64 // path prefix → body cap, over MaxForm
	web                   *webVerifier
}

// ShareLimit keeps l's buckets in Deps.Buckets, if set, under name.
func (s *Server) ShareLimit(l *Limiter, name string) {
	if s.Buckets == nil || l == nil {
		return
	}
	l.Share(s.Buckets, name, func(err error) {
		if s.Log != nil {
			s.Log.Error("shared rate limit (counting in this replica meanwhile)", "limit", name, "err", err)
		}
	})
}

// Area adds a part of the site (its routes) to mux.
type Area func(s *Server, mux *http.ServeMux)

// LimitBody caps request bodies under a path prefix at n bytes instead of
// MaxForm (uploads of key files). Call it while mounting an Area.
func (s *Server) LimitBody(prefix string, n int64) { s.bodyLimits[prefix] = n }

// New returns the issuer's HTTP handler.
func New(d Deps) (http.Handler, error) {
	rd, err := newRenderer()
	if err != nil {
		return nil, err
	}
	s := &Server{Deps: d, rd: rd, sess: newSessions(d.Now, d.SecureCookies), bodyLimits: map[string]int64{}}
	if d.Sessions != nil {
		if s.Shared, err = NewSharedSessions(d.Sessions, d.Service.Secret); err != nil {
			return nil, err
		}
		s.sess.shared = s.Shared
	}
	if l := d.Limits; l.ChecksPerMinute > 0 {
		s.Checks = NewLimiter(l.ChecksPerMinute, l.ChecksBurst, d.Now)
	}
	if l := d.Limits; l.FailsPerDocHour > 0 {
		s.docFails = perHour(l.FailsPerDocHour, d.Now)
	}
	if l := d.Limits; l.FailsPerHour > 0 {
		s.clientFails = perHour(l.FailsPerHour, d.Now)
	}
	if l := d.Limits; l.LookupsPerMinute > 0 {
		s.Lookups = NewLimiter(l.LookupsPerMinute, l.LookupsBurst, d.Now)
	}
	s.ShareLimit(s.Checks, "checks")
	s.ShareLimit(s.docFails, "doc_fails")
	s.ShareLimit(s.clientFails, "client_fails")
	if l := d.Limits; l.StartsPerMinute > 0 {
		s.Starts = NewLimiter(l.StartsPerMinute, l.StartsBurst, d.Now)
	}
	s.ShareLimit(s.Lookups, "lookups")
	s.ShareLimit(s.Starts, "starts")
	var roots [][]byte
	if d.Keys != nil {
		roots = append(roots, d.Keys.Root())
	}
	if s.web, err = newWebVerifier(roots); err != nil {
		return nil, err
	}
	static, err := fs.Sub(assets.Static, ".")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /privacidad", s.privacy)
	mux.HandleFunc("POST /cookies", s.postCookies)
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
	mux.HandleFunc("GET "+PathWebVerify, s.getWebVerify)
	mux.HandleFunc("GET "+PathWebVerify+"/{file}", s.getWebVerifyFile)
	mux.Handle("GET /v", http.RedirectHandler(PathWebVerify, http.StatusMovedPermanently))
	for _, area := range d.Areas {
		area(s, mux)
	}
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
		if r.URL.Path == "" || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // files only: no directory listings
			return
		}
		r.URL.Path = "static/" + r.URL.Path
		files.ServeHTTP(w, r)
	})
}

// MaxForm caps a form or JSON body; uploads have their own cap.
const MaxForm = 64 << 10

// middleware adds security headers, body caps, panic recovery and one log
// line a request — the route pattern, never the path (a path can hold a
// virtual code) and never a form value.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.Now()
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
			"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		// same-origin, not no-referrer: no other site learns a path (it can
		// hold a virtual code), and our own forms keep a real Origin header
		// (under no-referrer browsers send "Origin: null", which sameOrigin
		// must refuse: it is also what a sandboxed frame sends).
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil || s.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		if r.URL.Path != "/verificar/archivo" { // uploads have their own cap
			r.Body = http.MaxBytesReader(w, r.Body, s.bodyLimit(r.URL.Path))
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		if !s.sameOrigin(r) {
			// Beside the CSRF token: a browser says where a form came from.
			s.Log.Info("request", "method", r.Method, "route", "cross-origin", "status", http.StatusForbidden)
			http.Error(w, "cross-origin request refused", http.StatusForbidden)
			return
		}
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

// sameOrigin reports whether a state-changing request may come from where
// the browser says it comes from: a POST (or any method but GET, HEAD,
// OPTIONS) whose Origin is not this site's, or that the browser marks
// cross-site (Sec-Fetch-Site), is refused. Clients that send neither (a
// script, an old browser) pass: the CSRF token still guards the forms.
// This site is the request's Host, or, from a trusted proxy, the
// X-Forwarded-Host it sets.
func (s *Server) sameOrigin(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site == "cross-site" || site == "same-site" {
		return false
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return false
	}
	hosts := []string{r.Host}
	if peer, ok := addrOf(r.RemoteAddr); ok && isTrusted(peer, s.TrustedProxies) {
		for _, h := range strings.Split(strings.Join(r.Header.Values("X-Forwarded-Host"), ","), ",") {
			hosts = append(hosts, strings.TrimSpace(h))
		}
	}
	for _, h := range hosts {
		if h != "" && strings.EqualFold(u.Host, h) {
			return true
		}
	}
	return false
}

func (s *Server) bodyLimit(path string) int64 {
	for prefix, n := range s.bodyLimits {
		if strings.HasPrefix(path, prefix) {
			return n
		}
	}
	return MaxForm
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

// Lang picks the page language: ?lang=, then the cookie, then the
// Spanish (the browser's Accept-Language only suggests another: see
// NewPage). A ?lang= choice is remembered in a cookie once the person
// accepted cookies (always in the staff console); before that the
// pages' links carry it.
func (s *Server) Lang(w http.ResponseWriter, r *http.Request) i18n.Lang {
	l, _ := s.lang(w, r)
	return l
}

// lang is Lang, and whether the person chose it (?lang= or the cookie).
func (s *Server) lang(w http.ResponseWriter, r *http.Request) (i18n.Lang, bool) {
	if l, ok := i18n.Parse(r.URL.Query().Get("lang")); ok {
		if !cookiesAccepted(r) && !strings.HasPrefix(r.URL.Path, "/admin") {
			return l, true // kept in the links instead (Page.Carry)
		}
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(l), Path: "/", HttpOnly: true,
			SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 3600, Secure: s.SecureCookies || r.TLS != nil})
		return l, true
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := i18n.Parse(c.Value); ok {
			return l, true
		}
	}
	return i18n.ES, false
}

// APILang is the language of the API's messages: ?lang=, else the
// client's Accept-Language, else Spanish (docs/API.md). No cookie.
func APILang(r *http.Request) i18n.Lang {
	if l, ok := i18n.Parse(r.URL.Query().Get("lang")); ok {
		return l
	}
	if l, ok := AcceptLang(r.Header.Get("Accept-Language")); ok {
		return l
	}
	return i18n.ES
}

// AcceptLang is the supported language the browser prefers most
// (Accept-Language, by q-value; Spanish on a tie), or false.
func AcceptLang(header string) (i18n.Lang, bool) {
	best, bestQ := i18n.Lang(""), 0.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 && f <= 1 {
				q = f
			}
		}
		l, ok := i18n.Parse(tag)
		if !ok || q <= 0 {
			continue
		}
		if q > bestQ || (q == bestQ && l == i18n.ES) {
			best, bestQ = l, q
		}
	}
	return best, best != ""
}

func (s *Server) NewPage(w http.ResponseWriter, r *http.Request, titleKey, nav string) (*Page, i18n.Lang) {
	l, chosen := s.lang(w, r)
	p := &Page{Lang: string(l), Title: i18n.T(l, titleKey), Nav: nav, TermsVersion: TermsVersion,
		Cookies: cookieState(r), Carry: carry(r), Back: backPath(r.URL.Path), Announce: s.announce(), Chosen: chosen,
		Browser: s.web != nil && s.web.built}
	// Spanish first (the ministry's links, /request and /validate
	// included, are the Spanish service); a browser that prefers English
	// or Quechua is offered it, in its language, and the choice is kept.
	if pref, ok := AcceptLang(r.Header.Get("Accept-Language")); ok && pref != l && !chosen {
		p.Suggest = &langLink{Code: string(pref), Label: i18n.T(pref, "web.lang.suggest"), URL: langURL(r, pref)}
	}
	return p, l
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	p, _ := s.NewPage(w, r, "web.home.title", "")
	s.Render(w, r, http.StatusOK, "home", p)
}

// Fail shows an error page in the person's language.
func (s *Server) Fail(w http.ResponseWriter, r *http.Request, status int, msgKey string, args ...any) {
	p, l := s.NewPage(w, r, "web.error.title", "")
	p.Message = i18n.T(l, msgKey, args...)
	s.Render(w, r, status, "error", p)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	out := map[string]any{"status": "ok"}
	if s.Health != nil {
		for k, v := range s.Health(r.Context()) {
			out[k] = v
		}
	}
	WriteJSON(w, http.StatusOK, out)
}

// WriteJSON writes v as JSON with status, never cached.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
