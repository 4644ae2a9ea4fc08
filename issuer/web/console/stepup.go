package console

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
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
	// files are the uploaded files (a key, a keyset), read and capped;
	// one over the cap is left out, so the action finds no file.
	files map[string][]byte
	at    time.Time
}

type stepUpView struct {
	ID, Action, What string
	// Explain is the message key that says why; Back is where Cancel goes.
	Explain, Back string
}

// uploadsKey carries a confirmed action's files in its request's context.
type uploadsKey struct{}

// formFiles reads the files of a multipart request, each capped.
func formFiles(r *http.Request) map[string][]byte {
	if r.MultipartForm == nil {
		return nil
	}
	out := map[string][]byte{}
	for name, hs := range r.MultipartForm.File {
		if len(hs) == 0 {
			continue
		}
		f, err := hs[0].Open()
		if err != nil {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(f, maxKeyUpload+1))
		f.Close()
		if err == nil && len(b) <= maxKeyUpload {
			out[name] = b
		}
	}
	return out
}

// stepUpViewFor describes the confirmation of the action at path.
func stepUpViewFor(p *pendingAction, what string) *stepUpView {
	v := &stepUpView{ID: p.id, Action: p.path, What: what, Explain: "admin.stepup.explain", Back: "/admin/usuarios"}
	if strings.HasPrefix(p.path, "/admin/claves") {
		v.Explain, v.Back = "admin.stepup.explain.keys", "/admin/claves"
	}
	return v
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
		ss.pending = &pendingAction{id: web.RandomID(), path: r.URL.Path, form: form, files: formFiles(r), at: now}
		p := ss.pending
		s.staff.mu.Unlock()
		if err := s.staff.save(r.Context(), ss); err != nil {
			s.Log.Error("staff session not saved", "err", err)
			s.adminFail(w, r, ss, http.StatusServiceUnavailable, "web.refusal.unavailable")
			return false
		}
		s.stepUpPage(w, r, ss, http.StatusOK, stepUpViewFor(p, what))
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
		s.stepUpPage(w, r, ss, http.StatusUnauthorized, stepUpViewFor(p, what), i18n.T(l, "admin.err.badlogin"))
		return false
	}
	s.staff.mu.Lock()
	ss.pending = nil
	s.staff.mu.Unlock()
	if err := s.staff.save(r.Context(), ss); err != nil { // the confirmation is used once
		s.Log.Error("staff session not saved", "err", err)
		s.adminFail(w, r, ss, http.StatusServiceUnavailable, "web.refusal.unavailable")
		return false
	}
	r.PostForm = p.form
	r.Form = p.form
	if p.files != nil {
		*r = *r.WithContext(context.WithValue(r.Context(), uploadsKey{}, p.files))
	}
	return true
}

func (s *server) stepUpPage(w http.ResponseWriter, r *http.Request, ss *staffSession, status int, v *stepUpView, errs ...string) {
	area := "usuarios"
	if v.Back == "/admin/claves" {
		area = "claves"
	}
	p, _ := s.adminPage(w, r, ss, "admin.stepup.title", area)
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
