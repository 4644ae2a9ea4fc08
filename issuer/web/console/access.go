package console

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/lima"
	"github.com/minedu-cla/cla/issuer/manage"
	"github.com/minedu-cla/cla/issuer/web"
)

// An access request (Ley 29733, art. 19) is answered with everything the
// issuer stores about the holder: a page to print and hand over or send,
// and the same as a JSON file. Both are audited, as any view of personal
// data.

type accessView struct {
	Request   requestRow
	Generated string
	Versions  []accessVersion
	Requests  []requestRow
}

type accessVersion struct {
	Code, State, Issued, Changed, Reason string
	Version                              int
	Email, Requester, Terms, Department  string
	Name, Document                       string
	Years                                *web.YearsView
}

func (s *server) accessReport(w http.ResponseWriter, r *http.Request, ss *staffSession) (*manage.AccessReport, bool) {
	rep, err := s.Manage.AccessReport(r.Context(), r.PathValue("id"))
	if err != nil {
		s.adminFail(w, r, ss, http.StatusNotFound, "admin.dsr.access.none")
		return nil, false
	}
	s.audit(r.Context(), ss, "access_report", rep.Request.ID, "versions", strconv.Itoa(len(rep.Constancias)))
	return rep, true
}

func (s *server) getAccess(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	rep, ok := s.accessReport(w, r, ss)
	if !ok {
		return
	}
	p, l := s.adminPage(w, r, ss, "admin.dsr.access.title", "solicitudes")
	v := &accessView{Request: s.requestRow(l, rep.Request), Generated: rep.Generated.In(lima.Zone).Format("2006-01-02 15:04")}
	ks, _ := s.Keys.Keyset()
	for _, c := range rep.Constancias {
		av := accessVersion{Code: web.FormatCode(c.Code), Version: c.Version, State: i18n.T(l, "admin.state."+string(c.State)),
			Issued: c.IssuedAt.In(lima.Zone).Format("2006-01-02 15:04"), Reason: c.Reason, Email: c.Email,
			Requester: i18n.T(l, "stats.requester."+string(c.Requester)), Department: c.Department,
			Terms: c.TermsVersion + " · " + c.TermsAt.In(lima.Zone).Format("2006-01-02 15:04"),
			Name:  c.Student.FullName(), Document: c.Student.DocType.String() + " " + c.Student.DocNumber}
		if !c.ChangedAt.IsZero() {
			av.Changed = c.ChangedAt.In(lima.Zone).Format("2006-01-02 15:04")
		}
		if rec, _, _ := credential.OpenRecord(c.RecordDoc, ks); rec != nil {
			yv := web.NewYearsView(l, rec.Student, rec.Years)
			av.Years = &yv
		}
		v.Versions = append(v.Versions, av)
	}
	for _, q := range rep.Requests {
		v.Requests = append(v.Requests, s.requestRow(l, q))
	}
	p.Data = v
	s.Render(w, r, http.StatusOK, "admin_access", p)
}

func (s *server) getAccessJSON(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	rep, ok := s.accessReport(w, r, ss)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="acceso-`+rep.Request.ID+`.json"`)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(rep)
}
