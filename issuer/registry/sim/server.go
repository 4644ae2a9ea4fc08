package sim

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry/httpreg"
)

// Base paths of the three services.
const (
	ReniecPath      = "/reniec"
	MigracionesPath = "/migraciones"
	SiagiePath      = "/siagie"
	ControlPath     = "/_sim/outage" // POST ?on=true|false
)

// Server is the simulator's HTTP handler.
type Server struct {
	mux    *http.ServeMux
	faults Faults
	source string
	outage atomic.Bool
	mu     sync.Mutex // guards rnd
	rnd    *rand.Rand
	log    *slog.Logger
}

// New builds a simulator from cfg.
func New(cfg Config) (*Server, error) {
	if err := cfg.Faults.validate(); err != nil {
		return nil, err
	}
	be, source, err := cfg.backend()
	if err != nil {
		return nil, err
	}
	s := &Server{mux: http.NewServeMux(), faults: cfg.Faults, source: source, log: cfg.Log,
		rnd: rand.New(rand.NewPCG(cfg.Faults.Seed, 0x5eed))}
	s.outage.Store(cfg.Faults.Outage)
	s.mount(ReniecPath, httpreg.IdentityHandler(be, idnum.KindDNI))
	s.mount(MigracionesPath, httpreg.IdentityHandler(be, idnum.KindCE))
	s.mount(SiagiePath, httpreg.RecordsHandler(be))
	s.mux.HandleFunc("POST "+ControlPath, s.control)
	s.mux.HandleFunc("GET /{$}", s.index)
	return s, nil
}

// Source says what the server answers from.
func (s *Server) Source() string { return s.source }

// SetOutage takes the services down (every request 503) or back up.
func (s *Server) SetOutage(down bool) { s.outage.Store(down) }

func (s *Server) mount(prefix string, h http.Handler) {
	s.mux.Handle(prefix+"/", http.StripPrefix(prefix, s.faulty(h)))
}

// ServeHTTP implements http.Handler, logging each request without its
// body: the body is the only place a document travels.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	s.mux.ServeHTTP(rec, r)
	if s.log != nil {
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"ms", time.Since(start).Milliseconds())
	}
}

// faulty wraps a service with the configured faults.
func (s *Server) faulty(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.outage.Load() {
			unavailable(w, "outage")
			return
		}
		delay, fail := s.draw()
		if delay > 0 {
			t := time.NewTimer(delay)
			defer t.Stop()
			select {
			case <-t.C:
			case <-r.Context().Done():
				return // the client gave up
			}
		}
		if fail {
			unavailable(w, "injected error")
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (s *Server) draw() (time.Duration, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.faults.Latency
	if s.faults.Jitter > 0 {
		d += time.Duration(s.rnd.Int64N(int64(s.faults.Jitter) + 1))
	}
	return d, s.faults.ErrorRate > 0 && s.rnd.Float64() < s.faults.ErrorRate
}

func unavailable(w http.ResponseWriter, why string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Retry-After", "1")
	w.WriteHeader(http.StatusServiceUnavailable)
	fmt.Fprintf(w, `{"error":{"code":%q,"message":%q}}`+"\n", httpreg.CodeUnavailable, "simulated "+why)
}

func (s *Server) control(w http.ResponseWriter, r *http.Request) {
	down, err := strconv.ParseBool(r.URL.Query().Get("on"))
	if err != nil {
		http.Error(w, "use ?on=true or ?on=false", http.StatusBadRequest)
		return
	}
	s.SetOutage(down)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]bool{"outage": down})
}

func (s *Server) index(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "cla-registry-sim: %s\n\nPOST %s%s  (DNI)\nPOST %s%s  (CE)\nPOST %s%s  (DNI, CE, CODIGO)\nPOST %s?on=true|false\n\nSee docs/REGISTRIES.md.\n",
		s.source, ReniecPath, httpreg.PersonPath, MigracionesPath, httpreg.PersonPath, SiagiePath, httpreg.StudentPath, ControlPath)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}
