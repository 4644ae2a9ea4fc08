// Package console is the issuer's staff console (/admin): staff sign in
// with a password (and a TOTP code for admins), get a session of their
// own, and see only what their role allows; anything else is 403. Every
// sign-in, sign-out, expiry and action goes to the audit trail. It is an
// area of the site (issuer/web), mounted with Mount.
package console

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/manage"
	"github.com/minedu-cla/cla/issuer/staff"

	"github.com/minedu-cla/cla/issuer/lima"

	"github.com/minedu-cla/cla/issuer/web"
)

const (
	staffCookie = "cla_admin"
	loginCookie = "cla_admin_login"
	// staffIdle ends a session nobody used for a while; staffMax ends any
	// session, used or not (a workday).
	staffIdle = 15 * time.Minute
	staffMax  = 8 * time.Hour
)

// server is the console's handlers, over the site's shared core.
type server struct {
	*web.Server
	staff  *staffSessions
	logins *web.Limiter // sign-in attempts, per client address
	// accountFails counts failed sign-ins (and step-up confirmations) per
	// account and client address, clientFails per client address: a
	// person signing in from elsewhere is never stopped by someone else's
	// failures, and an unknown name is treated exactly like a real one.
	accountFails, clientFails *web.Limiter
	statsCache                statsCache
}

// Mount adds the console's routes to mux (a web.Area).
// Without staff accounts (Deps.Accounts) there is no console.
func Mount(ws *web.Server, mux *http.ServeMux) {
	if ws.Accounts == nil {
		return
	}
	s := &server{Server: ws, staff: &staffSessions{m: map[string]*staffSession{}, shared: ws.Shared}, logins: web.NewLimiter(10, 5, ws.Now),
		accountFails: web.NewLimiterEvery(FailsPerAccount, FailWindow, ws.Now), clientFails: web.NewLimiterEvery(FailsPerClient, time.Hour, ws.Now)}
	ws.ShareLimit(s.logins, "staff_logins")
	ws.ShareLimit(s.accountFails, "staff_account_fails")
	ws.ShareLimit(s.clientFails, "staff_client_fails")
	ws.LimitBody("/admin/claves/", 2*maxKeyUpload+web.MaxForm)
	s.adminRoutes(mux)
}

// staffSession is one signed-in staff member.
type staffSession struct {
	id, csrf      string
	user          string
	role          staff.Role
	account       string // shared sessions: the account's fingerprint at sign-in
	started, last time.Time
	pending       *pendingAction // a change waiting for its step-up (stepup.go)
}

func (ss *staffSession) endsAt() time.Time {
	return minTime(ss.last.Add(staffIdle), ss.started.Add(staffMax))
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// staffHandler is an admin page: it runs only for a signed-in staff
// member of an allowed role, with the CSRF token checked on POST.
type staffHandler func(w http.ResponseWriter, r *http.Request, ss *staffSession)

// roles each console area allows.
var (
	anyStaff     = []staff.Role{staff.Admin, staff.Registrar, staff.Auditor}
	registrars   = []staff.Role{staff.Admin, staff.Registrar}
	auditors     = []staff.Role{staff.Admin, staff.Auditor}
	adminsOnly   = []staff.Role{staff.Admin}
	consoleAreas = []consoleArea{
		{"constancias", "admin.nav.constancias", registrars},
		{"solicitudes", "admin.nav.requests", registrars},
		{"claves", "admin.nav.keys", adminsOnly},
		{"usuarios", "admin.nav.users", adminsOnly},
		{"auditoria", "admin.nav.audit", auditors},
		{"estadisticas", "admin.nav.stats", auditors},
	}
)

type consoleArea struct {
	Path, Key string
	Roles     []staff.Role
}

// staffOnly wraps h with the session, role and CSRF checks.
func (s *server) staffOnly(roles []staff.Role, h staffHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		ss := s.staffSession(r)
		if ss == nil {
			s.Lang(w, r) // keep a ?lang= choice through the sign-in
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/admin/entrar", http.StatusSeeOther)
				return
			}
			s.adminFail(w, r, nil, http.StatusUnauthorized, "admin.err.signin")
			return
		}
		if !slices.Contains(roles, ss.role) {
			s.audit(r.Context(), ss, "forbidden", r.Pattern)
			s.adminFail(w, r, ss, http.StatusForbidden, "admin.err.forbidden")
			return
		}
		if r.Method == http.MethodPost &&
			subtle.ConstantTimeCompare([]byte(ss.csrf), []byte(r.PostFormValue("csrf"))) != 1 {
			s.adminFail(w, r, ss, http.StatusForbidden, "web.err.csrf")
			return
		}
		h(w, r, ss)
	}
}

// staffSession returns the request's live staff session and marks it
// used; sessions that ended meanwhile are closed in the audit trail.
func (s *server) staffSession(r *http.Request) *staffSession {
	now := s.Now()
	for _, ss := range s.staff.expired(r.Context(), now) {
		s.audit(context.WithoutCancel(r.Context()), ss, audit.SessionExpired, "", "ended_at",
			ss.endsAt().UTC().Format(time.RFC3339))
	}
	c, err := r.Cookie(staffCookie)
	if err != nil {
		return nil
	}
	ss, err := s.staff.lookup(r.Context(), c.Value, now)
	if err != nil {
		s.Log.Error("staff session", "err", err)
	}
	if ss == nil || !s.current(r, ss) {
		return nil
	}
	s.staff.mu.Lock()
	ss.last = now
	s.staff.mu.Unlock()
	if err := s.staff.save(r.Context(), ss); err != nil {
		s.Log.Error("staff session not saved", "err", err)
	}
	return ss
}

func (s *server) staffCookie(r *http.Request, name, value, path string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: path, HttpOnly: true, MaxAge: maxAge,
		Secure: s.SecureCookies || r.TLS != nil, SameSite: http.SameSiteStrictMode}
}

// adminPage is the page of a console screen.
func (s *server) adminPage(w http.ResponseWriter, r *http.Request, ss *staffSession, titleKey, nav string) (*web.Page, i18n.Lang) {
	p, l := s.NewPage(w, r, titleKey, nav)
	if ss != nil {
		v := &staffView{Name: ss.user, Role: i18n.T(l, "admin.role."+string(ss.role)), CSRF: ss.csrf}
		for _, a := range consoleAreas {
			if slices.Contains(a.Roles, ss.role) {
				v.Areas = append(v.Areas, areaLink{Path: "/admin/" + a.Path, Label: i18n.T(l, a.Key),
					Current: a.Path == nav})
			}
		}
		p.Staff = v
		p.CSRF = ss.csrf
	}
	return p, l
}

type staffView struct {
	Name, Role, CSRF string
	Areas            []areaLink
}

type areaLink struct {
	Path, Label string
	Current     bool
}

func (s *server) adminFail(w http.ResponseWriter, r *http.Request, ss *staffSession, status int, key string, args ...any) {
	p, l := s.adminPage(w, r, ss, "web.error.title", "")
	p.Message = i18n.T(l, key, args...)
	s.Render(w, r, status, "admin_error", p)
}

func (s *server) adminRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/entrar", s.getLogin)
	mux.HandleFunc("POST /admin/entrar", s.postLogin)
	mux.HandleFunc("POST /admin/salir", s.staffOnly(anyStaff, s.postLogout))
	mux.HandleFunc("GET /admin/{$}", s.staffOnly(anyStaff, s.getDashboard))
	mux.HandleFunc("GET /admin", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/admin/", http.StatusMovedPermanently)
	})
	s.userRoutes(mux)
	s.constanciaRoutes(mux)
	s.requestRoutes(mux)
	s.keyRoutes(mux)
	s.auditRoutes(mux)
	s.statsRoutes(mux)
}

type loginView struct {
	User     string
	NoStaff  bool
	Attempts int
}

func (s *server) getLogin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if ss := s.staffSession(r); ss != nil {
		http.Redirect(w, r, "/admin/", http.StatusSeeOther)
		return
	}
	tok := web.RandomID()
	http.SetCookie(w, s.staffCookie(r, loginCookie, tok, "/admin", 0))
	p, _ := s.adminPage(w, r, nil, "admin.login.title", "login")
	p.CSRF = tok
	n, err := s.Accounts.Count(r.Context())
	p.Data = &loginView{NoStaff: err == nil && n == 0}
	s.Render(w, r, http.StatusOK, "admin_login", p)
}

func (s *server) postLogin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	c, err := r.Cookie(loginCookie)
	if err != nil || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("csrf"))) != 1 {
		s.adminFail(w, r, nil, http.StatusForbidden, "web.err.csrf")
		return
	}
	user, pass, code := r.PostFormValue("usuario"), r.PostFormValue("clave"), r.PostFormValue("codigo")
	again := func(status int, key string, args ...any) {
		p, l := s.adminPage(w, r, nil, "admin.login.title", "login")
		p.CSRF = c.Value
		p.Errors = []string{i18n.T(l, key, args...)}
		p.Data = &loginView{User: user}
		s.Render(w, r, status, "admin_login", p)
	}
	client := s.ClientKey(r)
	if wait := s.failWait(user, client); wait > 0 || !s.logins.Allow(client) {
		wait = max(wait, s.logins.Wait(client))
		w.Header().Set("Retry-After", web.RetryAfter(wait))
		s.audit(r.Context(), &staffSession{user: triedName(user)}, audit.LoginFailed, "", "reason", "too_many")
		again(http.StatusTooManyRequests, "admin.err.slow", web.WaitMinutes(wait))
		return
	}
	u, err := s.Accounts.Authenticate(r.Context(), user, pass, code)
	switch {
	case errors.Is(err, staff.ErrBadLogin):
		s.failed(user, client)
		s.audit(r.Context(), &staffSession{user: triedName(user)}, audit.LoginFailed, "", "reason", "bad_login")
		again(http.StatusUnauthorized, "admin.err.badlogin")
		return
	case errors.Is(err, staff.ErrNoSecondFactor):
		s.audit(r.Context(), &staffSession{user: triedName(user)}, audit.LoginFailed, "", "reason", "no_second_factor")
		again(http.StatusForbidden, "admin.err.nototp")
		return
	case err != nil:
		s.Log.Error("staff login", "err", err)
		again(http.StatusServiceUnavailable, "web.refusal.unavailable")
		return
	}
	s.startSession(w, r, u.Name, u.Role)
	http.SetCookie(w, s.staffCookie(r, loginCookie, "", "/admin", -1))
	http.Redirect(w, r, "/admin/", http.StatusSeeOther)
}

// startSession opens a staff session for this browser (its cookie set)
// and records the sign-in; detail pairs go to the audit entry.
func (s *server) startSession(w http.ResponseWriter, r *http.Request, user string, role staff.Role, detail ...string) *staffSession {
	u, err := s.Accounts.Get(r.Context(), user)
	if err != nil {
		u = &staff.User{Name: user, Role: role} // a shared session then ends at its next request
	}
	ss := s.staff.newStaffSession(u, s.Now())
	ss.role = role
	if err := s.staff.add(r.Context(), ss); err != nil {
		s.Log.Error("staff session not saved", "err", err)
	}
	s.audit(r.Context(), ss, audit.Login, "", detail...)
	http.SetCookie(w, s.staffCookie(r, staffCookie, ss.id, "/admin", 0))
	return ss
}

// Sign-in failure limits (see server.accountFails).
const (
	FailsPerAccount = 5
	FailWindow      = 15 * time.Minute
	FailsPerClient  = 20 // an hour, whatever the account
)

// failWait is how long client must wait before trying user's password
// again: 0 when it may.
func (s *server) failWait(user, client string) time.Duration {
	return max(s.accountFails.Wait(failKey(user, client)), s.clientFails.Wait(client))
}

// failed counts a failed password or code of user from client.
func (s *server) failed(user, client string) {
	s.accountFails.Allow(failKey(user, client))
	s.clientFails.Allow(client)
}

func failKey(user, client string) string { return strings.ToLower(user) + "\x00" + client }

func (s *server) postLogout(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	s.staff.remove(r.Context(), ss)
	s.audit(r.Context(), ss, audit.Logout, "")
	http.SetCookie(w, s.staffCookie(r, staffCookie, "", "/admin", -1))
	http.Redirect(w, r, "/admin/entrar", http.StatusSeeOther)
}

type dashboardView struct {
	Open, Overdue int
	Signer, Until string
	KeysetSeq     uint64
	NoSigner      bool
}

func (s *server) getDashboard(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	p, _ := s.adminPage(w, r, ss, "admin.home.title", "")
	v := &dashboardView{}
	if slices.Contains(registrars, ss.role) {
		reqs, err := s.Manage.Requests(r.Context())
		if err != nil {
			s.Log.Error("requests", "err", err)
		}
		now := s.Now()
		for _, q := range reqs {
			if q.State == manage.Open {
				v.Open++
				if q.Overdue(now) {
					v.Overdue++
				}
			}
		}
	}
	ks, _ := s.Keys.Keyset()
	v.KeysetSeq = ks.Seq
	if _, k, err := s.Keys.Signer(); err == nil {
		v.Signer, v.Until = hexOf(k.ID), k.NotAfter.In(lima.Zone).Format("2006-01-02")
	} else {
		v.NoSigner = true
	}
	p.Data = v
	s.Render(w, r, http.StatusOK, "admin_home", p)
}

// audit writes an entry for a staff action that has no transaction of its
// own. A failure is logged: the action already happened.
func (s *server) audit(ctx context.Context, ss *staffSession, action audit.Action, target string, details ...string) {
	if err := s.Manage.Record(ctx, manage.Actor{User: ss.user, Role: string(ss.role)}, action, target, details...); err != nil {
		s.Log.Error("audit trail", "action", string(action), "err", err)
	}
}

func actorOf(ss *staffSession) manage.Actor {
	return manage.Actor{User: ss.user, Role: string(ss.role)}
}

// triedName is a failed login's user name as the trail records it: only
// a well-formed account name, so a password or a DNI typed in the wrong
// box never reaches the trail.
func triedName(name string) string {
	if len(name) < 3 || len(name) > 32 {
		return "(invalid)"
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return "(invalid)"
		}
	}
	return name
}
