package testissuer

import (
	"net/http"
	"strconv"
	"sync"

	"github.com/minedu-cla/cla/crypto/bundle"
	"github.com/minedu-cla/cla/crypto/status"
)

// Server serves an Issuer's trust endpoints as docs/API.md describes
// them. Lock Mu around changes to the Issuer while it serves.
type Server struct {
	Mu     sync.Mutex
	Issuer *Issuer
	// Requests counts requests by path.
	Requests map[string]int
}

// NewServer returns a Server for is.
func NewServer(is *Issuer) *Server { return &Server{Issuer: is, Requests: map[string]int{}} }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.Requests[r.URL.Path]++
	is := s.Issuer
	switch r.URL.Path {
	case "/trust/keysets":
		after, _ := strconv.ParseUint(r.URL.Query().Get("after"), 10, 64)
		if after >= is.keyset.Seq {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		b, _ := (&bundle.Bundle{CreatedAt: is.Now, Keysets: is.Keysets[after:]}).Marshal()
		w.Write(b)
	case "/trust/status":
		etag := `"` + strconv.FormatUint(is.list.Seq, 10) + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(is.Lists[is.published.Seq])
	case "/trust/status/delta":
		from, _ := strconv.ParseUint(r.URL.Query().Get("from"), 10, 64)
		base, ok := is.history[from]
		switch {
		case from == is.published.Seq:
			w.WriteHeader(http.StatusNoContent)
		case !ok:
			w.WriteHeader(http.StatusGone)
		default:
			d, err := status.Diff(base, is.published)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			doc, _ := d.Sign(is.Signer)
			w.Write(doc)
		}
	case "/trust/bundle":
		w.Write(is.Bundle())
	default:
		http.NotFound(w, r)
	}
}
