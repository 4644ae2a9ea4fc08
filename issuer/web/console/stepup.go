package console

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/staff"
	"github.com/minedu-cla/cla/issuer/web"
)

// Step-up: changing who can sign in (making a user, a password, a second
// factor, enabling or disabling an account) needs the acting person's
// password and a current code again, not only their session: a stolen
// session must not become a permanent takeover. The first POST is kept on
// the session, unchanged, and a confirmation page asks for both; the
// confirmation replays it. Nothing typed (a new password) goes back into
// the page.

// stepUpFor is how long a pending action waits for its confirmation.
const stepUpFor = 5 * time.Minute

// pendingAction is a POST waiting for its step-up.
type pendingAction struct {
	id, path string
	form     url.Values
	at       time.Time
}

type stepUpView struct {
	ID, Action, What string
}

// stepUp reports whether the request may go ahead: true when it is the
// confirmation of the pending action, with the right password and code
// (r.PostForm is then the action's own form). Otherwise it answers (the
// confirmation page, or why not) and returns false.
func (s *server) stepUp(w http.ResponseWriter, r *http.Request, ss *staffSession, what string) bool {
	l := s.Lang(w, r)
	now := s.Now()
	id := r.PostFormValue("confirmar")
	if id == "" {
		form := url.Values{}
		for k, v := range r.PostForm {
			if k != "csrf" {
				form[k] = v
			}
		}
		s.staff.mu.Lock()
		ss.pending = &pendingAction{id: web.RandomID(), path: r.URL.Path, form: form, at: now}
		p := ss.pending
		s.staff.mu.Unlock()
		s.stepUpPage(w, r, ss, http.StatusOK, &stepUpView{ID: p.id, Action: p.path, What: what})
		return false
	}
	s.staff.mu.Lock()
	p := ss.pending
	s.staff.mu.Unlock()
	if p == nil || p.id != id || p.path != r.URL.Path || now.Sub(p.at) > stepUpFor {
		s.adminFail(w, r, ss, http.StatusForbidden, "admin.stepup.expired")
		return false
	}
	client := s.ClientKey(r)
	if wait := s.failWait(ss.user, client); wait > 0 {
		w.Header().Set("Retry-After", web.RetryAfter(wait))
		s.adminFail(w, r, ss, http.StatusTooManyRequests, "admin.err.slow", web.WaitMinutes(wait))
		return false
	}
	_, err := s.Accounts.Authenticate(r.Context(), ss.user, r.PostFormValue("mi_clave"), r.PostFormValue("mi_codigo"))
	if err != nil {
		if errors.Is(err, staff.ErrBadLogin) {
			s.failed(ss.user, client)
		}
		s.audit(r.Context(), ss, audit.LoginFailed, "", "reason", "step_up")
		s.stepUpPage(w, r, ss, http.StatusUnauthorized, &stepUpView{ID: p.id, Action: p.path, What: what},
			i18n.T(l, "admin.err.badlogin"))
		return false
	}
	s.staff.mu.Lock()
	ss.pending = nil
	s.staff.mu.Unlock()
	r.PostForm = p.form
	r.Form = p.form
	return true
}

func (s *server) stepUpPage(w http.ResponseWriter, r *http.Request, ss *staffSession, status int, v *stepUpView, errs ...string) {
	p, _ := s.adminPage(w, r, ss, "admin.stepup.title", "usuarios")
	p.Data, p.Errors = v, errs
	s.Render(w, r, status, "admin_stepup", p)
}

// renewSession ends every session of ss's user (their credentials just
// changed) and opens a new one for this browser: a session id seen before
// the change is worth nothing after it.
func (s *server) renewSession(w http.ResponseWriter, r *http.Request, ss *staffSession) *staffSession {
	s.endSessionsOf(r, ss.user)
	return s.startSession(w, r, ss.user, ss.role, "reason", "credentials_changed")
}
