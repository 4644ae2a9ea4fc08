package httpreg

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/internal/strictjson"
)

// IdentityHandler serves reg as an identity service (PersonPath), answering
// only for the given document kinds: DNI for a RENIEC-like service, CE for
// a Migraciones-like one.
func IdentityHandler(reg registry.IdentityRegistry, kinds ...idnum.Kind) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+PersonPath, func(w http.ResponseWriter, r *http.Request) {
		doc, ok := readLookup(w, r)
		if !ok {
			return
		}
		if !slices.Contains(kinds, doc.Kind) {
			writeError(w, registry.ErrUnsupported)
			return
		}
		p, err := reg.Person(r.Context(), doc)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, personResponse{Person: p})
	})
	mux.HandleFunc("GET "+HealthPath, health)
	return mux
}

// RecordsHandler serves reg as a records service (StudentPath), for DNIs,
// CEs and códigos del estudiante.
func RecordsHandler(reg registry.RecordsRegistry) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+StudentPath, func(w http.ResponseWriter, r *http.Request) {
		doc, ok := readLookup(w, r)
		if !ok {
			return
		}
		s, err := reg.Student(r.Context(), doc)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, studentResponse{Student: s})
	})
	mux.HandleFunc("GET "+HealthPath, health)
	return mux
}

func health(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readLookup decodes a request strictly; on failure it has answered.
func readLookup(w http.ResponseWriter, r *http.Request) (idnum.Doc, bool) {
	b, err := io.ReadAll(io.LimitReader(r.Body, MaxRequestBytes+1))
	var req lookup
	switch {
	case err != nil:
		return idnum.Doc{}, false // the client went away
	case len(b) > MaxRequestBytes:
		writeJSON(w, http.StatusRequestEntityTooLarge, errorResponse{errorBody{CodeBadRequest, "request too large"}})
	case strictjson.Unmarshal(b, &req) != nil || req.Doc.Validate() != nil:
		writeJSON(w, http.StatusBadRequest, errorResponse{errorBody{CodeBadRequest, `body must be {"doc":{"type":…,"number":…}} with a valid document`}})
	default:
		return req.Doc, true
	}
	return idnum.Doc{}, false
}

// writeError maps a registry error to a status and code. Messages are
// fixed: they never echo the document.
func writeError(w http.ResponseWriter, err error) {
	status, body := http.StatusInternalServerError, errorBody{CodeInternal, "internal error"}
	switch {
	case errors.Is(err, registry.ErrNotFound):
		status, body = http.StatusNotFound, errorBody{CodeNotFound, "no record for this document"}
	case errors.Is(err, registry.ErrUnsupported):
		status, body = http.StatusUnprocessableEntity, errorBody{CodeUnsupported, "this service does not answer for this kind of document"}
	case errors.Is(err, registry.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		status, body = http.StatusGatewayTimeout, errorBody{CodeTimeout, "the registry did not answer in time"}
	case errors.Is(err, registry.ErrUnavailable), errors.Is(err, context.Canceled):
		status, body = http.StatusServiceUnavailable, errorBody{CodeUnavailable, "the registry is unavailable"}
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, status, errorResponse{body})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"internal error"}}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store") // personal data
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
