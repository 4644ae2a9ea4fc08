package console

import (
	"errors"
	"net/http"

	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/issuance"
	"github.com/minedu-cla/cla/issuer/manage"

	"github.com/minedu-cla/cla/issuer/lima"

	"github.com/minedu-cla/cla/issuer/web"
)

// Data-subject requests (registrars and admins): rectification,
// cancellation, opposition and consent withdrawal, each with its legal
// deadline shown; a registrar records one after checking the holder's
// identity in person, then answers or rejects it.

func (s *server) requestRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/solicitudes", s.staffOnly(registrars, s.getRequests))
	mux.HandleFunc("POST /admin/solicitudes", s.staffOnly(registrars, s.postRequest))
	mux.HandleFunc("GET /admin/solicitudes/{id}", s.staffOnly(registrars, s.getRequest))
	mux.HandleFunc("POST /admin/solicitudes/{id}/atender", s.staffOnly(registrars, s.postAnswer))
	mux.HandleFunc("POST /admin/solicitudes/{id}/rechazar", s.staffOnly(registrars, s.postReject))
	mux.HandleFunc("GET /admin/solicitudes/{id}/acceso", s.staffOnly(registrars, s.getAccess))
	mux.HandleFunc("GET /admin/solicitudes/{id}/acceso.json", s.staffOnly(registrars, s.getAccessJSON))
}

type requestsView struct {
	Requests []requestRow
	Kinds    []choice
	Channels []choice
	// What was typed, kept on an error.
	Kind, Query, Channel, Note string
	Request                    *requestRow
	Done                       string
}

type choice struct {
	Value, Label string
	Selected     bool
}

type requestRow struct {
	ID, Kind, Code, Channel, Note, Received, Due, State, Outcome, NewCode, OpenedBy, ClosedBy, Closed string
	DaysLeft                                                                                          int
	Open, Overdue, Soon, Access                                                                       bool
	ConstanciaID                                                                                      uint64
	Help                                                                                              string
}

func (s *server) requestRow(l i18n.Lang, r *manage.Request) requestRow {
	now := s.Now()
	row := requestRow{ID: r.ID, Kind: i18n.T(l, "admin.dsr.kind."+string(r.Kind)), Code: web.FormatCode(r.Code),
		Channel: i18n.T(l, "admin.dsr.channel."+r.Channel), Note: r.Note,
		Received: r.Received.In(lima.Zone).Format("2006-01-02 15:04"), Due: r.Due.In(lima.Zone).Format("2006-01-02 15:04"),
		State: i18n.T(l, "admin.dsr.state."+string(r.State)), Outcome: r.Outcome, OpenedBy: r.OpenedBy,
		ClosedBy: r.ClosedBy, Open: r.State == manage.Open, Overdue: r.Overdue(now), DaysLeft: r.DaysLeft(now),
		ConstanciaID: r.ConstanciaID, Help: i18n.T(l, "admin.dsr.help."+string(r.Kind)),
		Access: r.Kind == manage.Access && r.State == manage.Done}
	if r.NewCode != "" {
		row.NewCode = web.FormatCode(r.NewCode)
	}
	row.Soon = row.Open && !row.Overdue && row.DaysLeft <= 2
	if !r.Closed.IsZero() {
		row.Closed = r.Closed.In(lima.Zone).Format("2006-01-02 15:04")
	}
	return row
}

func (s *server) requestsPage(w http.ResponseWriter, r *http.Request, ss *staffSession, status int, v *requestsView, errs ...string) {
	p, l := s.adminPage(w, r, ss, "admin.dsr.title", "solicitudes")
	list, err := s.Manage.Requests(r.Context())
	if err != nil {
		s.Log.Error("listing requests", "err", err)
	}
	for _, req := range list {
		v.Requests = append(v.Requests, s.requestRow(l, req))
	}
	for _, k := range manage.Kinds {
		v.Kinds = append(v.Kinds, choice{Value: string(k), Label: i18n.T(l, "admin.dsr.kind."+string(k)), Selected: v.Kind == string(k)})
	}
	for _, c := range manage.Channels {
		v.Channels = append(v.Channels, choice{Value: c, Label: i18n.T(l, "admin.dsr.channel."+c), Selected: v.Channel == c})
	}
	p.Data, p.Errors = v, errs
	s.Render(w, r, status, "admin_requests", p)
}

func (s *server) getRequests(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	s.requestsPage(w, r, ss, http.StatusOK, &requestsView{})
}

func (s *server) postRequest(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	l := s.Lang(w, r)
	v := &requestsView{Kind: r.PostFormValue("tipo"), Query: boundedText(r.PostFormValue("codigo")),
		Channel: r.PostFormValue("canal"), Note: r.PostFormValue("nota")}
	if r.PostFormValue("identidad") != "1" {
		s.requestsPage(w, r, ss, http.StatusUnprocessableEntity, v, i18n.T(l, "admin.dsr.err.identity"))
		return
	}
	req, err := s.Manage.OpenRequest(r.Context(), actorOf(ss), manage.Kind(v.Kind), v.Query, v.Channel, v.Note)
	if err != nil {
		key := "web.refusal.unavailable"
		status := http.StatusUnprocessableEntity
		switch {
		case errors.Is(err, manage.ErrKind):
			key = "admin.dsr.err.kind"
		case errors.Is(err, manage.ErrChannel):
			key = "admin.dsr.err.channel"
		case errors.Is(err, manage.ErrNote):
			key = "admin.dsr.err.note"
		case errors.Is(err, manage.ErrNotFound):
			key, status = "admin.cons.notfound", http.StatusNotFound
		default:
			s.Log.Error("opening a request", "err", err)
			status = http.StatusServiceUnavailable
		}
		msg := i18n.T(l, key)
		if key == "admin.dsr.err.note" {
			msg = i18n.T(l, key, manage.MaxNote)
		}
		s.requestsPage(w, r, ss, status, v, msg)
		return
	}
	http.Redirect(w, r, "/admin/solicitudes/"+req.ID, http.StatusSeeOther)
}

func (s *server) getRequest(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	req, err := s.Manage.GetRequest(r.Context(), r.PathValue("id"))
	if err != nil {
		s.adminFail(w, r, ss, http.StatusNotFound, "admin.dsr.notfound")
		return
	}
	p, l := s.adminPage(w, r, ss, "admin.dsr.title", "solicitudes")
	row := s.requestRow(l, req)
	p.Data = &requestsView{Request: &row}
	if done := r.URL.Query().Get("hecho"); done == "1" {
		p.Data.(*requestsView).Done = i18n.T(l, "admin.dsr.done")
	}
	if e := r.URL.Query().Get("error"); e == "unchanged" {
		p.Errors = []string{i18n.T(l, "admin.dsr.err.unchanged")}
	}
	s.Render(w, r, http.StatusOK, "admin_request", p)
}

func (s *server) postAnswer(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	id := r.PathValue("id")
	_, err := s.Manage.Answer(r.Context(), actorOf(ss), id)
	switch {
	case errors.Is(err, issuance.ErrUnchanged):
		http.Redirect(w, r, "/admin/solicitudes/"+id+"?error=unchanged", http.StatusSeeOther)
		return
	case errors.Is(err, manage.ErrClosed):
		s.adminFail(w, r, ss, http.StatusConflict, "admin.dsr.err.closed")
		return
	case err != nil:
		s.actionFail(w, r, ss, err)
		return
	}
	http.Redirect(w, r, "/admin/solicitudes/"+id+"?hecho=1", http.StatusSeeOther)
}

func (s *server) postReject(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	id := r.PathValue("id")
	_, err := s.Manage.Reject(r.Context(), actorOf(ss), id, boundedText(r.PostFormValue("motivo")))
	switch {
	case errors.Is(err, manage.ErrClosed):
		s.adminFail(w, r, ss, http.StatusConflict, "admin.dsr.err.closed")
		return
	case err != nil:
		s.actionFail(w, r, ss, err)
		return
	}
	http.Redirect(w, r, "/admin/solicitudes/"+id+"?hecho=1", http.StatusSeeOther)
}
