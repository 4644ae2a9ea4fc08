package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/vcode"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/audit"

	"github.com/minedu-cla/cla/issuer/lima"
	"github.com/minedu-cla/cla/scan"
	"github.com/minedu-cla/cla/scan/pdfdoc"
	"github.com/minedu-cla/cla/scan/qrfile"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// maxUpload caps an uploaded PDF or photo.
const maxUpload = 20 << 20

func (s *Server) getVerify(w http.ResponseWriter, r *http.Request) {
	sess := s.sess.get(w, r, true) // nil until cookies are accepted
	p, _ := s.NewPage(w, r, "web.verify.title", "verify")
	p.CSRF = sess.token()
	if c, err := vcode.Normalize(r.URL.Query().Get("codigo")); err == nil {
		p.Code = FormatCode(c)
	}
	s.Render(w, r, http.StatusOK, "verify", p)
}

func (s *Server) postVerify(w http.ResponseWriter, r *http.Request) {
	sess := s.sess.get(w, r, false)
	if !s.sess.checkIfAny(sess, r) {
		s.Fail(w, r, http.StatusForbidden, "web.err.csrf")
		return
	}
	s.verifyCode(w, r, sess, r.PostFormValue("codigo"))
}

// verifyCode looks a typed code up and shows the result page; a typo the
// check symbol catches is answered before any lookup.
func (s *Server) verifyCode(w http.ResponseWriter, r *http.Request, sess *session, typed string) {
	p, l := s.NewPage(w, r, "web.verify.title", "verify")
	p.CSRF, p.Code = sess.token(), strings.TrimSpace(typed)
	if !s.Lookups.Allow(s.ClientKey(r)) {
		p.Errors = []string{i18n.T(l, "web.err.ratelimit")}
		s.Render(w, r, http.StatusTooManyRequests, "verify", p)
		return
	}
	c, st, err := s.LookupCode(r, typed, "page")
	switch {
	case errors.Is(err, vcode.ErrCheck):
		p.Errors = []string{i18n.T(l, "web.err.code.check")}
		s.Render(w, r, http.StatusUnprocessableEntity, "verify", p)
		return
	case errors.Is(err, vcode.ErrFormat):
		p.Errors = []string{i18n.T(l, "web.err.code.format")}
		s.Render(w, r, http.StatusUnprocessableEntity, "verify", p)
		return
	case err != nil:
		s.Log.Error("lookup failed", "err", err)
		s.Fail(w, r, http.StatusServiceUnavailable, "web.refusal.unavailable")
		return
	}
	p.Title = i18n.T(l, "web.result.title")
	p.Result = s.resultView(l, c, st)
	s.Render(w, r, http.StatusOK, "result", p)
}

// resultView shows a status in words, with a mark, never colour alone.
func (s *Server) resultView(l i18n.Lang, c *constancia.Issued, st credential.Status) *resultView {
	v := &resultView{Word: i18n.T(l, "status."+string(st)), Help: i18n.T(l, "status."+string(st)+".help")}
	switch st {
	case credential.Valid:
		v.Class, v.Mark = "valid", "✔"
	case credential.Stale:
		v.Class, v.Mark = "unknown", "?"
	default:
		v.Class, v.Mark = "bad", "✘"
	}
	if c == nil || c.State == constancia.Cancelled {
		return v
	}
	v.Code, v.Issued = FormatCode(c.Code), c.IssuedAt.In(lima.Zone).Format("2006-01-02 15:04")
	// A constancia that is not valid answers its status and date only:
	// whoever holds a revoked or replaced code (or one whose holder
	// withdrew consent) learns nothing more about the person.
	if st != credential.Valid {
		return v
	}
	ks, _ := s.Keys.Keyset()
	if rec, _, _ := credential.OpenRecord(c.RecordDoc, ks); rec != nil {
		v.YearsView = NewYearsView(l, c.Student, rec.Years)
	}
	v.PDF = st == credential.Valid
	return v
}

// postVerifyFile verifies an uploaded PDF or photo of the QR code: the
// codes in it are looked up like typed codes.
func (s *Server) postVerifyFile(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	sess := s.sess.get(w, r, false)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		s.failUpload(w, r, sess, "web.err.upload")
		return
	}
	if !s.sess.checkIfAny(sess, r) {
		r.MultipartForm.RemoveAll()
		s.Fail(w, r, http.StatusForbidden, "web.err.csrf")
		return
	}
	defer r.MultipartForm.RemoveAll()
	f, _, err := r.FormFile("archivo")
	if err != nil {
		s.failUpload(w, r, sess, "web.err.upload")
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxUpload))
	if err != nil || s.Decode == nil {
		s.failUpload(w, r, sess, "web.err.upload")
		return
	}
	texts, err := s.Decode(r.Context(), data)
	switch {
	case errors.Is(err, qrfile.ErrBusy):
		// Two files are read at a time (bounded memory); a third waits
		// qrfile.MaxWait, then is told to come back.
		w.Header().Set("Retry-After", "5")
		p, l := s.NewPage(w, r, "web.verify.title", "verify")
		p.CSRF, p.Errors = sess.token(), []string{i18n.T(l, "web.err.busy")}
		s.Render(w, r, http.StatusServiceUnavailable, "verify", p)
		return
	case errors.Is(err, pdfdoc.ErrTooLarge), errors.Is(err, scan.ErrImageTooLarge):
		s.failUpload(w, r, sess, "web.err.toolarge")
		return
	}
	ks, _ := s.Keys.Keyset()
	for _, t := range texts {
		if !credential.IsCode(t) {
			continue
		}
		c, _, err := credential.Open(t, ks)
		if c != nil { // genuine: the store says where it stands now
			s.verifyCode(w, r, sess, c.Code)
			return
		}
		p, l := s.NewPage(w, r, "web.result.title", "verify")
		p.CSRF, p.Result = sess.token(), s.resultView(l, nil, credential.StatusOf(err))
		s.Render(w, r, http.StatusOK, "result", p)
		return
	}
	s.failUpload(w, r, sess, "web.err.nocode")
}

func (s *Server) failUpload(w http.ResponseWriter, r *http.Request, sess *session, key string) {
	p, l := s.NewPage(w, r, "web.verify.title", "verify")
	p.CSRF, p.Errors = sess.token(), []string{i18n.T(l, key)}
	s.Render(w, r, http.StatusUnprocessableEntity, "verify", p)
}

// getPDF sends the PDF of a valid constancia again: whoever holds the
// code holds the constancia (it is printed on it).
func (s *Server) getPDF(w http.ResponseWriter, r *http.Request) {
	if !s.Lookups.Allow(s.ClientKey(r)) {
		s.Fail(w, r, http.StatusTooManyRequests, "web.err.ratelimit")
		return
	}
	c, st, err := s.LookupCode(r, r.PathValue("code"), "pdf")
	if err != nil || st != credential.Valid {
		s.Fail(w, r, http.StatusNotFound, "web.err.nopdf")
		return
	}
	pdf, err := s.Service.PDF(c)
	if err != nil {
		s.Log.Error("pdf failed", "err", err)
		s.Fail(w, r, http.StatusServiceUnavailable, "web.refusal.unavailable")
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="constancia-`+vcode.Format(c.Code)+`.pdf"`)
	w.Header().Set("Cache-Control", "private, no-store")
	http.ServeContent(w, r, "", c.IssuedAt, bytes.NewReader(pdf))
}

// lookupCode looks a typed code up and records the verification in the
// audit trail (batched: see audit.Recorder), with where it came from. A
// code the check symbol or the format rejects names no constancia and is
// not recorded: it is whatever a stranger typed.
func (s *Server) LookupCode(r *http.Request, typed, via string) (*constancia.Issued, credential.Status, error) {
	c, st, err := s.Service.Lookup(r.Context(), typed)
	if s.Audit != nil && err == nil {
		code, _ := vcode.Normalize(typed)
		s.Audit.Record(audit.Entry{Time: s.Now(), Actor: audit.Public, Action: audit.VerifyCode, Target: code,
			Details: map[string]string{"result": string(st), "via": via}})
	}
	return c, st, err
}
