package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/issuance"
)

// The request flow: terms → form → preview → issued. Each step checks the
// ones before it in the session, and every POST its CSRF token.

func (s *Server) getTerms(w http.ResponseWriter, r *http.Request) {
	// Without accepted cookies there is no session: the page shows the
	// terms and asks for cookies instead of the accept box.
	sess := s.sess.get(w, r, true)
	p, _ := s.NewPage(w, r, "web.terms.title", "request")
	p.CSRF, p.Step = sess.token(), 1
	s.Render(w, r, http.StatusOK, "terms", p)
}

func (s *Server) postTerms(w http.ResponseWriter, r *http.Request) {
	sess := s.sess.get(w, r, false)
	if !s.sess.check(sess, r) {
		s.Fail(w, r, http.StatusForbidden, "web.err.csrf")
		return
	}
	if r.PostFormValue("accept") != TermsVersion {
		p, l := s.NewPage(w, r, "web.terms.title", "request")
		p.CSRF, p.Step, p.Errors = sess.csrf, 1, []string{i18n.T(l, "web.err.terms")}
		s.Render(w, r, http.StatusUnprocessableEntity, "terms", p)
		return
	}
	// A form started is a session kept (in the database, when shared)
	// until it ends: a flood of them is refused, not stored.
	if sess.termsVersion == "" && !s.Starts.Allow(s.ClientKey(r)) {
		p, l := s.NewPage(w, r, "web.terms.title", "request")
		p.CSRF, p.Step, p.Errors = sess.csrf, 1, []string{i18n.T(l, "web.err.ratelimit")}
		s.Render(w, r, http.StatusTooManyRequests, "terms", p)
		return
	}
	sess.termsVersion, sess.termsAt = TermsVersion, s.Now()
	if !s.saved(w, r, sess) {
		return
	}
	http.Redirect(w, r, "/solicitar/datos", http.StatusSeeOther)
}

// saved saves what a step changed in sess; when the database cannot,
// the person is told to try again later and false returned.
func (s *Server) saved(w http.ResponseWriter, r *http.Request, sess *session) bool {
	if err := s.sess.save(r.Context(), sess); err != nil {
		s.Log.Error("session not saved", "err", err)
		s.Fail(w, r, http.StatusServiceUnavailable, "web.refusal.unavailable")
		return false
	}
	return true
}

// consented returns the session if its terms were accepted, else sends
// the person back to the first step.
func (s *Server) consented(w http.ResponseWriter, r *http.Request) *session {
	sess := s.sess.get(w, r, false)
	if sess == nil || sess.termsVersion != TermsVersion {
		http.Redirect(w, r, "/solicitar", http.StatusSeeOther)
		return nil
	}
	return sess
}

func (s *Server) getForm(w http.ResponseWriter, r *http.Request) {
	sess := s.consented(w, r)
	if sess == nil {
		return
	}
	p, l := s.NewPage(w, r, "web.form.title", "request")
	p.CSRF, p.Step = sess.csrf, 2
	p.Form = sess.form
	if p.Form == nil {
		p.Form = newFormView(string(l), s.Catalogue)
	}
	relang(p.Form, string(l))
	s.Render(w, r, http.StatusOK, "form", p)
}

// relang sets the language of a remembered form's parts.
func relang(f *formView, lang string) {
	f.Student.Lang, f.Student.Picker.Lang = lang, lang
	f.Guardian.Lang, f.Guardian.Picker.Lang = lang, lang
}

func (s *Server) postForm(w http.ResponseWriter, r *http.Request) {
	sess := s.consented(w, r)
	if sess == nil {
		return
	}
	if !s.sess.check(sess, r) {
		s.Fail(w, r, http.StatusForbidden, "web.err.csrf")
		return
	}
	p, l := s.NewPage(w, r, "web.form.title", "request")
	p.CSRF, p.Step = sess.csrf, 2
	f := readForm(string(l), r.PostForm, s.Catalogue)
	sess.form, p.Form = f, f
	if r.PostFormValue("pick") != "" { // a picker's "Elegir" button: show the next list
		if !s.saved(w, r, sess) {
			return
		}
		s.Render(w, r, http.StatusOK, "form", p)
		return
	}
	req, errs := f.request(l, sess.termsVersion)
	if len(errs) > 0 {
		p.Errors = errs
		s.Render(w, r, http.StatusUnprocessableEntity, "form", p)
		return
	}
	client, doc := s.ClientKey(r), req.Student.Doc.String()
	if wait := s.CheckGate(client, doc); wait > 0 {
		w.Header().Set("Retry-After", RetryAfter(wait))
		p.Errors = []string{i18n.T(l, "web.err.ratelimit.wait", WaitMinutes(wait))}
		s.Render(w, r, http.StatusTooManyRequests, "form", p)
		return
	}
	checked, err := s.Service.Check(r.Context(), req)
	s.CheckDone(client, doc, err)
	if err != nil {
		p.Errors = []string{s.Refusal(l, err)}
		s.Render(w, r, RefusalStatus(err), "form", p)
		return
	}
	sess.checked = checked
	if !s.saved(w, r, sess) {
		return
	}
	http.Redirect(w, r, "/solicitar/vista-previa", http.StatusSeeOther)
}

// WaitMinutes is a wait in whole minutes, at least 1, for messages.
func WaitMinutes(d time.Duration) int { return max(1, int((d+time.Minute-1)/time.Minute)) }

// refusal turns a refusal into its message; anything else is logged and
// shown as "try later".
func (s *Server) Refusal(l i18n.Lang, err error) string {
	ref, ok := issuance.RefusalOf(err)
	if !ok {
		s.Log.Error("request failed", "err", err)
		return i18n.T(l, "web.refusal.unavailable")
	}
	if errors.Is(err, issuance.ErrUnavailable) {
		s.Log.Warn("registry unavailable", "err", err)
	}
	if ref.Code == issuance.ErrBlocked.Code {
		return i18n.T(l, "web.refusal.blocked", ref.Year)
	}
	return i18n.T(l, "web.refusal."+ref.Code)
}

func RefusalStatus(err error) int {
	switch ref, ok := issuance.RefusalOf(err); {
	case !ok, ref.Code == issuance.ErrUnavailable.Code:
		return http.StatusServiceUnavailable
	}
	return http.StatusUnprocessableEntity
}

func (s *Server) getPreview(w http.ResponseWriter, r *http.Request) {
	sess := s.consented(w, r)
	if sess == nil {
		return
	}
	if sess.checked == nil {
		http.Redirect(w, r, "/solicitar/datos", http.StatusSeeOther)
		return
	}
	p, l := s.NewPage(w, r, "web.preview.title", "request")
	p.CSRF, p.Step = sess.csrf, 3
	st, years := issuance.Preview(sess.checked)
	v := NewYearsView(l, st, years)
	v.Email = sess.checked.Request.Email
	// "A new code and QR" only means something when there is a code.
	if active, err := s.Service.HasActive(r.Context(), sess.checked); err == nil {
		v.CanRegenerate = active
	}
	p.Preview = &v
	s.Render(w, r, http.StatusOK, "preview", p)
}

func (s *Server) postIssue(w http.ResponseWriter, r *http.Request) {
	sess := s.consented(w, r)
	if sess == nil {
		return
	}
	if !s.sess.check(sess, r) {
		s.Fail(w, r, http.StatusForbidden, "web.err.csrf")
		return
	}
	if sess.checked == nil {
		http.Redirect(w, r, "/solicitar/datos", http.StatusSeeOther)
		return
	}
	regen := r.PostFormValue("regenerar") == "1"
	sess.checked.Request.Regenerate = regen
	issued, err := s.Service.Issue(r.Context(), sess.checked)
	if err != nil {
		s.Log.Error("issue failed", "err", err)
		s.Fail(w, r, http.StatusServiceUnavailable, "web.refusal.unavailable")
		return
	}
	code := FormatCode(issued.Constancia.Code)
	// The data typed and the registries' answers are no longer needed.
	sess.checked, sess.form = nil, nil
	sess.issued = &doneView{Code: code, Spelled: spelled(code), Existing: issued.Existing,
		Regenerated: regen && issued.Constancia.Version > 1}
	if err := s.sess.save(r.Context(), sess); err != nil {
		// Issued and e-mailed: only the confirmation page is lost.
		s.Log.Error("session not saved after issuing", "err", err)
	}
	http.Redirect(w, r, "/solicitar/listo", http.StatusSeeOther)
}

func (s *Server) getDone(w http.ResponseWriter, r *http.Request) {
	sess := s.sess.get(w, r, false)
	if sess == nil || sess.issued == nil {
		http.Redirect(w, r, "/solicitar", http.StatusSeeOther)
		return
	}
	p, _ := s.NewPage(w, r, "web.done.title", "request")
	p.Step, p.Done = 4, sess.issued
	s.Render(w, r, http.StatusOK, "done", p)
}
