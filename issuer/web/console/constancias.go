package console

import (
	"context"
	"errors"
	"github.com/minedu-cla/cla/crypto/vcode"
	"net/http"
	"strconv"
	"strings"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/issuance"
	"github.com/minedu-cla/cla/issuer/manage"
	"github.com/minedu-cla/cla/issuer/staff"

	"github.com/minedu-cla/cla/issuer/lima"

	"github.com/minedu-cla/cla/issuer/constancia"

	"github.com/minedu-cla/cla/issuer/web"
)

// Constancias (registrars and admins): find one by code or by the holder's
// document, see its versions, revoke, reissue; admins may undo a
// revocation. Every look at a constancia is audited: it shows personal data.

func (s *server) constanciaRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/constancias", s.staffOnly(registrars, s.getConstancias))
	mux.HandleFunc("GET /admin/constancias/{id}", s.staffOnly(registrars, s.getConstancia))
	mux.HandleFunc("GET /admin/constancias/{id}/pdf", s.staffOnly(registrars, s.getConstanciaPDF))
	mux.HandleFunc("POST /admin/constancias/{id}/revocar", s.staffOnly(registrars, s.postRevoke))
	mux.HandleFunc("POST /admin/constancias/{id}/reemitir", s.staffOnly(registrars, s.postReissue))
	mux.HandleFunc("POST /admin/constancias/{id}/restaurar", s.staffOnly(adminsOnly, s.postRestore))
}

type constanciaView struct {
	Query    string
	Found    *consRow
	Versions []consRow
	Years    *web.YearsView
	Done     string
	CanUndo  bool
}

type consRow struct {
	ID                                   uint64
	Code, State, StateClass, Issued, Kid string
	Version                              int
	Reason, Changed                      string
	Active, Revoked                      bool
}

func (s *server) consRow(l i18n.Lang, c *constancia.Issued) consRow {
	r := consRow{ID: c.ID, Code: web.FormatCode(c.Code), State: i18n.T(l, "admin.state."+string(c.State)),
		Issued: c.IssuedAt.In(lima.Zone).Format("2006-01-02 15:04"), Kid: hexOf(c.KeyID), Version: c.Version,
		Reason: c.Reason, Active: c.State == constancia.Active, Revoked: c.State == constancia.Revoked, StateClass: "bad-text"}
	if r.Active {
		r.StateClass = "ok-text"
	}
	if !c.ChangedAt.IsZero() {
		r.Changed = c.ChangedAt.In(lima.Zone).Format("2006-01-02 15:04")
	}
	return r
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func (s *server) getConstancias(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	q := r.URL.Query().Get("q")
	if q == "" {
		p, _ := s.adminPage(w, r, ss, "admin.cons.title", "constancias")
		p.Data = &constanciaView{}
		s.Render(w, r, http.StatusOK, "admin_constancias", p)
		return
	}
	c, err := s.Manage.Find(r.Context(), q)
	if err != nil {
		p, l := s.adminPage(w, r, ss, "admin.cons.title", "constancias")
		p.Data = &constanciaView{Query: q}
		status := http.StatusNotFound
		p.Errors = []string{i18n.T(l, "admin.cons.notfound")}
		if errors.Is(err, manage.ErrNotFound) {
			// "This person has no constancia" is itself a fact about the
			// person: the search is recorded (a found one is recorded as
			// the view it leads to).
			code, subject := s.Manage.QuerySubject(q)
			s.audit(r.Context(), ss, "constancia_search", code, "result", "not_found", "subject", subject)
		} else {
			s.Log.Error("finding a constancia", "err", err)
			status, p.Errors = http.StatusServiceUnavailable, []string{i18n.T(l, "web.refusal.unavailable")}
		}
		s.Render(w, r, status, "admin_constancias", p)
		return
	}
	http.Redirect(w, r, "/admin/constancias/"+strconv.FormatUint(c.ID, 10), http.StatusSeeOther)
}

// constanciaOf reads the {id} of the path.
func (s *server) constanciaOf(w http.ResponseWriter, r *http.Request, ss *staffSession) *constancia.Issued {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil {
		s.adminFail(w, r, ss, http.StatusNotFound, "admin.cons.notfound")
		return nil
	}
	c, err := s.Manage.Get(r.Context(), id)
	if err != nil {
		s.adminFail(w, r, ss, http.StatusNotFound, "admin.cons.notfound")
		return nil
	}
	return c
}

func (s *server) getConstancia(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	c := s.constanciaOf(w, r, ss)
	if c == nil {
		return
	}
	s.audit(r.Context(), ss, "constancia_view", c.Code, "subject", s.Manage.SubjectOf(c))
	p, l := s.adminPage(w, r, ss, "admin.cons.title", "constancias")
	row := s.consRow(l, c)
	v := &constanciaView{Found: &row, CanUndo: ss.role == staff.Admin && c.State == constancia.Revoked}
	switch done := r.URL.Query().Get("hecho"); done {
	case "revoked", "restored":
		seq, _ := strconv.ParseUint(r.URL.Query().Get("seq"), 10, 64)
		v.Done = i18n.T(l, "admin.cons.done."+done, seq)
	case "reissued":
		v.Done = i18n.T(l, "admin.cons.done.reissued")
	}
	ks, _ := s.Keys.Keyset()
	if rec, _, _ := credential.OpenRecord(c.RecordDoc, ks); rec != nil {
		yv := web.NewYearsView(l, rec.Student, rec.Years)
		v.Years = &yv
	}
	versions, err := s.Manage.Versions(r.Context(), c)
	if err != nil {
		s.Log.Error("versions", "err", err)
	}
	for _, vc := range versions {
		v.Versions = append(v.Versions, s.consRow(l, vc))
	}
	p.Data = v
	s.Render(w, r, http.StatusOK, "admin_constancias", p)
}

func (s *server) getConstanciaPDF(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	c := s.constanciaOf(w, r, ss)
	if c == nil {
		return
	}
	pdf, err := s.Service.PDF(c)
	if err != nil {
		s.Log.Error("admin pdf", "err", err)
		s.adminFail(w, r, ss, http.StatusServiceUnavailable, "web.refusal.unavailable")
		return
	}
	s.audit(r.Context(), ss, "constancia_pdf", c.Code, "subject", s.Manage.SubjectOf(c))
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="constancia-`+vcode.Format(c.Code)+`.pdf"`)
	w.Write(pdf)
}

func (s *server) backTo(w http.ResponseWriter, r *http.Request, id uint64, done string, seq uint64) {
	u := "/admin/constancias/" + strconv.FormatUint(id, 10) + "?hecho=" + done
	if seq > 0 {
		u += "&seq=" + strconv.FormatUint(seq, 10)
	}
	http.Redirect(w, r, u, http.StatusSeeOther)
}

// actionFail shows why an action on a constancia was refused.
func (s *server) actionFail(w http.ResponseWriter, r *http.Request, ss *staffSession, err error) {
	switch {
	case errors.Is(err, manage.ErrReason):
		s.adminFail(w, r, ss, http.StatusUnprocessableEntity, "admin.err.reason")
	case errors.Is(err, manage.ErrState), errors.Is(err, issuance.ErrNotCurrent):
		s.adminFail(w, r, ss, http.StatusConflict, "admin.err.state")
	case errors.Is(err, manage.ErrNotFound):
		s.adminFail(w, r, ss, http.StatusNotFound, "admin.cons.notfound")
	default:
		if ref, ok := issuance.RefusalOf(err); ok {
			if ref.Code == issuance.ErrBlocked.Code {
				s.adminFail(w, r, ss, http.StatusConflict, "web.refusal."+ref.Code, ref.Year)
			} else {
				s.adminFail(w, r, ss, http.StatusConflict, "web.refusal."+ref.Code)
			}
			return
		}
		s.Log.Error("admin action", "route", r.Pattern, "err", err)
		s.adminFail(w, r, ss, http.StatusServiceUnavailable, "web.refusal.unavailable")
	}
}

// postRevoke first answers a confirmation page that names the constancia
// and says what revoking means (a plain form: no script needed); its
// button posts again with confirmado=1, which revokes.
func (s *server) postRevoke(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	if r.PostFormValue("confirmado") != "1" {
		s.revokeConfirm(w, r, ss)
		return
	}
	s.setRevoked(w, r, ss, s.Manage.Revoke, "revoked")
}

type revokeView struct {
	Row    consRow
	Name   string
	Reason string
}

func (s *server) revokeConfirm(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	c := s.constanciaOf(w, r, ss)
	if c == nil {
		return
	}
	why := boundedText(r.PostFormValue("motivo"))
	if why == "" {
		s.adminFail(w, r, ss, http.StatusUnprocessableEntity, "admin.err.reason")
		return
	}
	if c.State != constancia.Active {
		s.adminFail(w, r, ss, http.StatusConflict, "admin.err.state")
		return
	}
	p, l := s.adminPage(w, r, ss, "admin.revoke.title", "constancias")
	v := &revokeView{Row: s.consRow(l, c), Reason: why}
	ks, _ := s.Keys.Keyset()
	if rec, _, _ := credential.OpenRecord(c.RecordDoc, ks); rec != nil {
		v.Name = web.NewYearsView(l, rec.Student, rec.Years).Name
	}
	p.Data = v
	s.Render(w, r, http.StatusOK, "admin_revoke", p)
}

func (s *server) postRestore(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	s.setRevoked(w, r, ss, s.Manage.Restore, "restored")
}

// setRevoked runs a revocation or its undoing with the form's reason.
func (s *server) setRevoked(w http.ResponseWriter, r *http.Request, ss *staffSession,
	act func(context.Context, manage.Actor, uint64, string) (uint64, error), done string) {
	c := s.constanciaOf(w, r, ss)
	if c == nil {
		return
	}
	seq, err := act(r.Context(), actorOf(ss), c.ID, boundedText(r.PostFormValue("motivo")))
	if err != nil {
		s.actionFail(w, r, ss, err)
		return
	}
	s.backTo(w, r, c.ID, done, seq)
}

func (s *server) postReissue(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	c := s.constanciaOf(w, r, ss)
	if c == nil {
		return
	}
	why := boundedText(r.PostFormValue("motivo"))
	if why == "" {
		s.adminFail(w, r, ss, http.StatusUnprocessableEntity, "admin.err.reason")
		return
	}
	n, err := s.Manage.Reissue(r.Context(), actorOf(ss), c.ID, why)
	if err != nil {
		s.actionFail(w, r, ss, err)
		return
	}
	s.backTo(w, r, n.ID, "reissued", 0)
}

// boundedText trims a free-text reason and caps it (the trail caps
// fields).
func boundedText(v string) string {
	r := []rune(strings.TrimSpace(v))
	if len(r) > 200 {
		r = r[:200]
	}
	return string(r)
}
