package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/minedu-cla/cla/crypto/bundle"
	"github.com/minedu-cla/cla/issuer/revocation"
)

// The trust endpoints verifiers sync from (docs/API.md). Everything served
// is signed at the document level.
func (s *server) trustRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /.well-known/jwks.json", s.jwks)
	mux.HandleFunc("GET /trust/keyset", s.keyset)
	mux.HandleFunc("GET /trust/keysets", s.keysets)
	mux.HandleFunc("GET /trust/status", s.statusList)
	mux.HandleFunc("GET /trust/status/delta", s.statusDelta)
	mux.HandleFunc("GET /trust/bundle", s.bundle)
}

// trustCache lets proxies and browsers keep trust documents five minutes:
// a revocation reaches verifiers that late at worst, and the issuer is
// spared.
const trustCache = "public, max-age=300"

func sendDoc(w http.ResponseWriter, ctype string, doc []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", trustCache)
	w.Write(doc)
}

func (s *server) jwks(w http.ResponseWriter, r *http.Request) {
	b, err := s.Keys.JWKS()
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	sendDoc(w, "application/jwk-set+json", b)
}

func (s *server) keyset(w http.ResponseWriter, r *http.Request) {
	_, docs := s.Keys.Keyset()
	sendDoc(w, "application/cose", docs[len(docs)-1])
}

func (s *server) keysets(w http.ResponseWriter, r *http.Request) {
	after, err := strconv.ParseUint(r.URL.Query().Get("after"), 10, 64)
	if err != nil && r.URL.Query().Get("after") != "" {
		http.Error(w, "after: a keyset seq", http.StatusBadRequest)
		return
	}
	ks, docs := s.Keys.Keyset()
	if after >= ks.Seq {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	// docs hold the chain from seq 1: seq n is docs[n-1].
	b, err := (&bundle.Bundle{CreatedAt: s.Now(), Keysets: docs[after:]}).Marshal()
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	sendDoc(w, "application/vnd.cla.bundle", b)
}

func (s *server) statusList(w http.ResponseWriter, r *http.Request) {
	doc, seq, err := s.Status.Current(r.Context())
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	etag := `"` + strconv.FormatUint(seq, 10) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.Header().Set("Cache-Control", trustCache)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	sendDoc(w, "application/cose", doc)
}

func (s *server) statusDelta(w http.ResponseWriter, r *http.Request) {
	from, err := strconv.ParseUint(r.URL.Query().Get("from"), 10, 64)
	if err != nil {
		http.Error(w, "from: a status list seq", http.StatusBadRequest)
		return
	}
	doc, err := s.Status.Delta(r.Context(), from)
	switch {
	case errors.Is(err, revocation.ErrNoDelta):
		w.WriteHeader(http.StatusGone)
	case err != nil:
		http.Error(w, "internal error", http.StatusInternalServerError)
	case doc == nil:
		w.WriteHeader(http.StatusNoContent)
	default:
		sendDoc(w, "application/cose", doc)
	}
}

func (s *server) bundle(w http.ResponseWriter, r *http.Request) {
	_, docs := s.Keys.Keyset()
	list, _, err := s.Status.Current(r.Context())
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	b, err := (&bundle.Bundle{CreatedAt: s.Now(), Keysets: docs, List: list}).Marshal()
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="cla-confianza.bundle"`)
	sendDoc(w, "application/vnd.cla.bundle", b)
}
