package console

import (
	"encoding/base64"
	"errors"
	"net/http"

	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/staff"

	"github.com/minedu-cla/cla/issuer/lima"

	"github.com/minedu-cla/cla/qr"
)

// Users (admins only): list, create (an admin's TOTP enrolment is shown
// once, as a QR code and as text), disable, enable, reset a password.

func (s *server) userRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/usuarios", s.staffOnly(adminsOnly, s.getUsers))
	mux.HandleFunc("POST /admin/usuarios", s.staffOnly(adminsOnly, s.postUser))
	mux.HandleFunc("POST /admin/usuarios/{name}/estado", s.staffOnly(adminsOnly, s.postUserState))
	mux.HandleFunc("POST /admin/usuarios/{name}/clave", s.staffOnly(adminsOnly, s.postUserPassword))
	mux.HandleFunc("POST /admin/usuarios/{name}/segundo-factor", s.staffOnly(adminsOnly, s.postUserTOTP))
}

type usersView struct {
	Users []userRow
	// Enrol is shown once, after an admin is created.
	Enrol *enrolView
	Name  string
	Role  string
	Done  string
}

type userRow struct {
	Name, Role, Created string
	Disabled            bool
	Self, Admin         bool
}

type enrolView struct {
	User, URI string
	QR        string // data: URL of a PNG
}

// enrolView of an otpauth URI, with its QR code.
func enrolOf(name, uri string) *enrolView {
	code, err := qr.Encode(uri)
	if err != nil {
		return nil
	}
	png, err := code.PNG(4)
	if err != nil {
		return nil
	}
	return &enrolView{User: name, URI: uri, QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)}
}

func (s *server) usersPage(w http.ResponseWriter, r *http.Request, ss *staffSession, status int, v *usersView, errs ...string) {
	p, l := s.adminPage(w, r, ss, "admin.users.title", "usuarios")
	users, err := s.Accounts.List(r.Context())
	if err != nil {
		s.Log.Error("listing staff", "err", err)
	}
	for _, u := range users {
		v.Users = append(v.Users, userRow{Name: u.Name, Role: i18n.T(l, "admin.role."+string(u.Role)),
			Created: u.Created.In(lima.Zone).Format("2006-01-02"), Disabled: u.Disabled, Self: u.Name == ss.user,
			Admin: u.Role == staff.Admin})
	}
	p.Data, p.Errors = v, errs
	s.Render(w, r, status, "admin_users", p)
}

func (s *server) getUsers(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	s.usersPage(w, r, ss, http.StatusOK, &usersView{Role: string(staff.Registrar)})
}

func (s *server) postUser(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	l := s.Lang(w, r)
	if !s.stepUp(w, r, ss, i18n.T(l, "admin.stepup.create", r.PostFormValue("usuario"))) {
		return
	}
	name, role, pass := r.PostFormValue("usuario"), staff.Role(r.PostFormValue("rol")), r.PostFormValue("clave")
	v := &usersView{Name: name, Role: string(role)}
	uri, err := s.Accounts.Create(r.Context(), name, role, pass)
	switch {
	case errors.Is(err, staff.ErrExists):
		s.usersPage(w, r, ss, http.StatusConflict, v, i18n.T(l, "admin.users.err.exists"))
		return
	case errors.Is(err, staff.ErrWeakPassword):
		s.usersPage(w, r, ss, http.StatusUnprocessableEntity, v, i18n.T(l, "admin.users.err.password", staff.MinPassword))
		return
	case err != nil:
		s.usersPage(w, r, ss, http.StatusUnprocessableEntity, v, i18n.T(l, "admin.users.err.name"))
		return
	}
	s.audit(r.Context(), ss, audit.UserCreate, name, "role", string(role))
	out := &usersView{Role: string(staff.Registrar), Done: i18n.T(l, "admin.users.done", name)}
	if uri != "" {
		out.Enrol = enrolOf(name, uri)
	}
	s.usersPage(w, r, ss, http.StatusOK, out)
}

func (s *server) postUserState(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	name := r.PathValue("name")
	disable := r.PostFormValue("desactivar") == "1"
	if name == ss.user && disable {
		s.adminFail(w, r, ss, http.StatusUnprocessableEntity, "admin.users.err.self")
		return
	}
	what := "admin.stepup.enable"
	if disable {
		what = "admin.stepup.disable"
	}
	if !s.stepUp(w, r, ss, i18n.T(s.Lang(w, r), what, name)) {
		return
	}
	disable = r.PostFormValue("desactivar") == "1" // the confirmed form's
	if err := s.Accounts.SetDisabled(r.Context(), name, disable); err != nil {
		s.adminFail(w, r, ss, http.StatusNotFound, "admin.users.err.missing")
		return
	}
	action := audit.UserEnable
	if disable {
		action = audit.UserDisable
		s.endSessionsOf(r, name)
	}
	s.audit(r.Context(), ss, action, name)
	http.Redirect(w, r, "/admin/usuarios", http.StatusSeeOther)
}

func (s *server) postUserPassword(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	name := r.PathValue("name")
	if len(r.PostFormValue("clave")) < staff.MinPassword && r.PostFormValue("confirmar") == "" {
		s.adminFail(w, r, ss, http.StatusUnprocessableEntity, "admin.users.err.password", staff.MinPassword)
		return // say it before asking for the step-up
	}
	if !s.stepUp(w, r, ss, i18n.T(s.Lang(w, r), "admin.stepup.password.of", name)) {
		return
	}
	err := s.Accounts.SetPassword(r.Context(), name, r.PostFormValue("clave"))
	switch {
	case errors.Is(err, staff.ErrWeakPassword):
		s.adminFail(w, r, ss, http.StatusUnprocessableEntity, "admin.users.err.password", staff.MinPassword)
		return
	case err != nil:
		s.adminFail(w, r, ss, http.StatusNotFound, "admin.users.err.missing")
		return
	}
	if name == ss.user {
		ss = s.renewSession(w, r, ss)
	} else {
		s.endSessionsOf(r, name)
	}
	s.audit(r.Context(), ss, "user_password", name)
	http.Redirect(w, r, "/admin/usuarios", http.StatusSeeOther)
}

// endSessionsOf signs a user out everywhere (disabled, or a new password).
// Shared sessions end at their next request instead, on whatever replica
// (staffSessions, the account's fingerprint).
func (s *server) endSessionsOf(r *http.Request, name string) {
	if s.staff.shared != nil {
		return
	}
	s.staff.mu.Lock()
	var ended []*staffSession
	for id, ss := range s.staff.m {
		if ss.user == name {
			delete(s.staff.m, id)
			ended = append(ended, ss)
		}
	}
	s.staff.mu.Unlock()
	for _, ss := range ended {
		s.audit(r.Context(), ss, "session_ended", "", "reason", "account_changed")
	}
}

// postUserTOTP gives an admin a new second factor (a lost phone): the
// enrolment is shown once, and the user is signed out everywhere.
func (s *server) postUserTOTP(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	name := r.PathValue("name")
	if !s.stepUp(w, r, ss, i18n.T(s.Lang(w, r), "admin.stepup.totp.of", name)) {
		return
	}
	uri, err := s.Accounts.ResetTOTP(r.Context(), name)
	switch {
	case err != nil:
		s.adminFail(w, r, ss, http.StatusNotFound, "admin.users.err.missing")
		return
	}
	if name == ss.user {
		ss = s.renewSession(w, r, ss)
	} else {
		s.endSessionsOf(r, name)
	}
	s.audit(r.Context(), ss, audit.TOTPReset, name)
	l := s.Lang(w, r)
	s.usersPage(w, r, ss, http.StatusOK, &usersView{Role: string(staff.Registrar), Enrol: enrolOf(name, uri),
		Done: i18n.T(l, "admin.users.totp.done", name)})
}
