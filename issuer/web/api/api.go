// Package api is the issuer's machine face: the JSON API (request a
// constancia, look one up by virtual code, the ubigeo catalogue) and the
// trust endpoints verifiers sync from (JWKS, keysets, status lists and
// deltas, bundles). It is an area of the site (issuer/web), mounted with
// Mount; docs/API.md and docs/openapi.yaml describe it.
package api

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/vcode"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/issuance"
	"github.com/minedu-cla/cla/issuer/ubigeo"

	"github.com/minedu-cla/cla/issuer/web"
)

// The JSON API (docs/API.md, docs/openapi.yaml): the same flow as the
// pages, for other programs.
// server is the API's handlers, over the site's shared core.
type server struct{ *web.Server }

// Mount adds the API and the trust endpoints to mux (a web.Area).
func Mount(ws *web.Server, mux *http.ServeMux) {
	s := &server{ws}
	s.trustRoutes(mux)
	s.apiRoutes(mux)
}

func (s *server) apiRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/solicitudes", s.apiRequest)
	mux.HandleFunc("GET /api/v1/constancias/{code}", s.apiLookup)
	mux.HandleFunc("GET /api/v1/ubigeo/departamentos", s.apiDeps)
	mux.HandleFunc("GET /api/v1/ubigeo/provincias", s.apiProvs)
	mux.HandleFunc("GET /api/v1/ubigeo/distritos", s.apiDists)
}

type apiPerson struct {
	DocType     string `json:"doc_type"`
	DocNumber   string `json:"doc_number"`
	FatherNames string `json:"father_names"`
	MotherNames string `json:"mother_names"`
	Ubigeo      string `json:"ubigeo"`
}

type apiRequestBody struct {
	Requester   string     `json:"requester"`
	Student     apiPerson  `json:"student"`
	Guardian    *apiPerson `json:"guardian,omitempty"`
	Email       string     `json:"email"`
	AcceptTerms string     `json:"accept_terms"`
}

type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

func (s *server) apiFail(w http.ResponseWriter, l i18n.Lang, status int, code, field string, args ...any) {
	web.WriteJSON(w, status, map[string]apiError{"error": {Code: code, Field: field,
		Message: i18n.T(l, "web.api."+code, args...)}})
}

// decodeJSON reads exactly one JSON object with no unknown fields. Only
// application/json is accepted: a cross-site form cannot send it without
// a CORS preflight, which this API never grants (no CSRF token needed).
func decodeJSON(r *http.Request, v any) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return errors.New("content type must be application/json")
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("one JSON object only")
	}
	return nil
}

func (s *server) apiRequest(w http.ResponseWriter, r *http.Request) {
	l := web.APILang(r)
	var body apiRequestBody
	if err := decodeJSON(r, &body); err != nil {
		s.apiFail(w, l, http.StatusBadRequest, "bad_request", "")
		return
	}
	if body.AcceptTerms != web.TermsVersion {
		s.apiFail(w, l, http.StatusUnprocessableEntity, "terms", "accept_terms", web.TermsVersion)
		return
	}
	req, field := body.request()
	if field != "" {
		s.apiFail(w, l, http.StatusUnprocessableEntity, "invalid", field)
		return
	}
	client, doc := s.ClientKey(r), req.Student.Doc.String()
	if wait := s.CheckGate(client, doc); wait > 0 {
		w.Header().Set("Retry-After", web.RetryAfter(wait)) // the real wait, whichever limit it is
		s.apiFail(w, l, http.StatusTooManyRequests, "ratelimit", "")
		return
	}
	checked, err := s.Service.Check(r.Context(), req)
	s.CheckDone(client, doc, err)
	if err == nil {
		var issued *issuance.Issued
		if issued, err = s.Service.Issue(r.Context(), checked); err == nil {
			code := web.FormatCode(issued.Constancia.Code)
			web.WriteJSON(w, http.StatusCreated, map[string]any{"code": code, "existing": issued.Existing,
				"status": credential.Valid, "pdf": "/verificar/" + code + "/pdf"})
			return
		}
	}
	ref, ok := issuance.RefusalOf(err)
	if !ok {
		s.Log.Error("api request failed", "err", err)
		ref = issuance.ErrUnavailable
	}
	web.WriteJSON(w, web.RefusalStatus(err), map[string]any{"error": apiError{Code: ref.Code, Message: s.Refusal(l, err)}, "year": ref.Year})
}

// request validates the body into an issuance request, or names the
// first field that is wrong.
func (b *apiRequestBody) request() (issuance.Request, string) {
	req := issuance.Request{Email: b.Email, TermsVersion: b.AcceptTerms}
	switch b.Requester {
	case "adult":
		req.Requester = "adult"
	case "guardian":
		req.Requester = "guardian"
	default:
		return req, "requester"
	}
	var field string
	if req.Student, field = b.Student.person("student", true); field != "" {
		return req, field
	}
	if req.Requester == "guardian" {
		if b.Guardian == nil {
			return req, "guardian"
		}
		g, field := b.Guardian.person("guardian", false)
		if field != "" {
			return req, field
		}
		req.Guardian = &g
	}
	if len(b.Email) > 254 || !web.ValidEmail(b.Email) {
		return req, "email"
	}
	return req, ""
}

func (p apiPerson) person(prefix string, allowCode bool) (issuance.Person, string) {
	kind, err := idnum.ParseKind(p.DocType)
	if err != nil || (kind == idnum.KindStudentCode && !allowCode) {
		return issuance.Person{}, prefix + ".doc_type"
	}
	doc, err := idnum.Parse(kind, p.DocNumber)
	if err != nil {
		return issuance.Person{}, prefix + ".doc_number"
	}
	out := issuance.Person{Doc: doc}
	if kind == idnum.KindStudentCode {
		return out, ""
	}
	if len(p.FatherNames) > web.MaxName || len(p.MotherNames) > web.MaxName {
		return out, prefix + ".names"
	}
	code, err := ubigeo.ParseCode(p.Ubigeo)
	if err != nil || code.Level() != ubigeo.District {
		return out, prefix + ".ubigeo"
	}
	out.Claim.FatherNames, out.Claim.MotherNames, out.Claim.Ubigeo = p.FatherNames, p.MotherNames, code
	return out, ""
}

func (s *server) apiLookup(w http.ResponseWriter, r *http.Request) {
	l := web.APILang(r)
	if client := s.ClientKey(r); !s.Lookups.Allow(client) {
		w.Header().Set("Retry-After", web.RetryAfter(s.Lookups.Wait(client)))
		s.apiFail(w, l, http.StatusTooManyRequests, "ratelimit", "")
		return
	}
	c, st, err := s.LookupCode(r, r.PathValue("code"), "api")
	switch {
	case errors.Is(err, vcode.ErrCheck):
		s.apiFail(w, l, http.StatusUnprocessableEntity, "code_check", "code")
		return
	case errors.Is(err, vcode.ErrFormat):
		s.apiFail(w, l, http.StatusUnprocessableEntity, "code_format", "code")
		return
	case err != nil:
		s.apiFail(w, l, http.StatusServiceUnavailable, "unavailable", "")
		return
	case c == nil:
		web.WriteJSON(w, http.StatusNotFound, map[string]any{"status": st})
		return
	}
	out := lookupBody{Status: st, Code: web.FormatCode(c.Code), IssuedAt: c.IssuedAt.Format(time.RFC3339)}
	// Only a valid constancia names its student (as the page).
	if st == credential.Valid {
		out.Student = &lookupStudent{DocType: c.Student.DocType.String(), DocNumber: c.Student.DocNumber,
			GivenNames: c.Student.GivenNames, FirstSurname: c.Student.FirstSurname, SecondSurname: c.Student.SecondSurname}
	}
	web.WriteJSON(w, http.StatusOK, out)
}

// lookupBody is the verify-by-code answer (a struct, not a map: this is
// the API's hot path).
type lookupBody struct {
	Status   credential.Status `json:"status"`
	Code     string            `json:"code"`
	IssuedAt string            `json:"issued_at"`
	Student  *lookupStudent    `json:"student,omitempty"`
}

type lookupStudent struct {
	DocType       string `json:"doc_type"`
	DocNumber     string `json:"doc_number"`
	GivenNames    string `json:"given_names"`
	FirstSurname  string `json:"first_surname"`
	SecondSurname string `json:"second_surname"`
}

type apiPlace struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

func places(ps []ubigeo.Place) []apiPlace {
	out := make([]apiPlace, 0, len(ps))
	for _, p := range ps {
		out = append(out, apiPlace{Code: string(p.Code), Name: p.Name})
	}
	return out
}

func (s *server) apiDeps(w http.ResponseWriter, r *http.Request) {
	writePublic(w, places(s.Catalogue.Departments()))
}

func (s *server) apiProvs(w http.ResponseWriter, r *http.Request) {
	code, err := ubigeo.ParseCode(r.URL.Query().Get("dep"))
	if err != nil {
		writePublic(w, []apiPlace{})
		return
	}
	writePublic(w, places(s.Catalogue.Provinces(code.Department())))
}

func (s *server) apiDists(w http.ResponseWriter, r *http.Request) {
	code, err := ubigeo.ParseCode(r.URL.Query().Get("prov"))
	if err != nil || code.Level() == ubigeo.Department {
		writePublic(w, []apiPlace{})
		return
	}
	writePublic(w, places(s.Catalogue.Districts(code.Province())))
}

// writePublic sends public, cacheable JSON (place names).
func writePublic(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	json.NewEncoder(w).Encode(v)
}
