package sim_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/httpreg"
	"github.com/minedu-cla/cla/issuer/registry/registrytest"
	"github.com/minedu-cla/cla/issuer/registry/sim"
	"github.com/minedu-cla/cla/issuer/registry/synth"
)

// clients are the issuer's view of a running simulator.
type clients struct {
	reniec, migraciones *httpreg.IdentityClient
	siagie              *httpreg.RecordsClient
}

func (c clients) pair() registrytest.Pair {
	return registrytest.Pair{Identity: registry.Identities{DNI: c.reniec, CE: c.migraciones}, Records: c.siagie}
}

func start(t *testing.T, cfg sim.Config, o httpreg.Options) (*sim.Server, *httptest.Server, clients) {
	t.Helper()
	s, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	if o.Jitter == nil {
		o.Jitter = func(d time.Duration) time.Duration { return d }
	}
	o.Backoff, o.MaxBackoff = time.Millisecond, 5*time.Millisecond
	var c clients
	o.Service = "reniec"
	c.reniec, _ = httpreg.NewIdentityClient(srv.URL+sim.ReniecPath, o)
	o.Service = "migraciones"
	c.migraciones, _ = httpreg.NewIdentityClient(srv.URL+sim.MigracionesPath, o)
	o.Service = "siagie"
	c.siagie, _ = httpreg.NewRecordsClient(srv.URL+sim.SiagiePath, o)
	return s, srv, c
}

// TestServesGenerator: over real loopback HTTP, the clients answer exactly
// as the generator for a synthetic population.
func TestServesGenerator(t *testing.T) {
	t.Parallel()
	cfg := sim.Config{Students: 400, Seed: 9}
	_, _, c := start(t, cfg, httpreg.Options{})
	g, _ := synth.New(synth.Config{Seed: 9, Students: 400, Today: synth.DefaultToday})
	registrytest.Compare(t, registrytest.Pair{Identity: g, Records: g}, c.pair(), registrytest.Docs(g, 60))
}

func TestServesDemoAndDatasetFile(t *testing.T) {
	t.Parallel()
	g, _ := synth.New(synth.DefaultConfig())
	want := registrytest.Pair{Identity: g, Records: g}
	docs := registrytest.Docs(g, 20)
	s, _, c := start(t, sim.Config{}, httpreg.Options{})
	if !strings.Contains(s.Source(), "demo") {
		t.Errorf("Source() = %q", s.Source())
	}
	registrytest.Compare(t, want, c.pair(), docs)

	file := filepath.Join(t.TempDir(), synth.DatasetFile)
	var b bytes.Buffer
	if err := synth.WriteDataset(&b, g); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(file, b.Bytes(), 0o644)
	_, _, c = start(t, sim.Config{DatasetFile: file}, httpreg.Options{})
	registrytest.Compare(t, want, c.pair(), docs)
}

func firstStudent(t *testing.T) idnum.Doc {
	g, _ := synth.New(synth.DefaultConfig())
	_, students := g.Family(0)
	return students[0].Doc
}

func TestSlow(t *testing.T) {
	t.Parallel()
	doc := firstStudent(t)
	// Slower than the client's patience: a timeout, after every attempt.
	_, _, c := start(t, sim.Config{Faults: sim.Faults{Latency: 300 * time.Millisecond}}, httpreg.Options{Timeout: 40 * time.Millisecond, Attempts: 2})
	_, err := c.siagie.Student(context.Background(), doc)
	if !errors.Is(err, registry.ErrTimeout) || !errors.Is(err, registry.ErrUnavailable) {
		t.Fatalf("slow: %v", err)
	}
	// Slow but within it: an answer.
	_, _, c = start(t, sim.Config{Faults: sim.Faults{Latency: 20 * time.Millisecond, Jitter: 10 * time.Millisecond}}, httpreg.Options{Timeout: time.Second})
	if _, err := c.siagie.Student(context.Background(), doc); err != nil {
		t.Fatalf("slow within the timeout: %v", err)
	}
}

func TestErrorRate(t *testing.T) {
	t.Parallel()
	doc := firstStudent(t)
	_, _, c := start(t, sim.Config{Faults: sim.Faults{ErrorRate: 1}}, httpreg.Options{Attempts: 3})
	if _, err := c.reniec.Person(context.Background(), doc); !errors.Is(err, registry.ErrUnavailable) || errors.Is(err, registry.ErrTimeout) {
		t.Fatalf("always failing: %v", err)
	}
	// Half the requests fail: retries make nearly every lookup pass
	// (0.5^5 = 3 % fail), and the seeded draws make this run exact.
	_, _, c = start(t, sim.Config{Faults: sim.Faults{ErrorRate: 0.5, Seed: 3}}, httpreg.Options{Attempts: 5})
	failed := 0
	for range 40 {
		if _, err := c.reniec.Person(context.Background(), doc); err != nil {
			if !errors.Is(err, registry.ErrUnavailable) {
				t.Fatal(err)
			}
			failed++
		}
	}
	if failed > 6 {
		t.Fatalf("%d of 40 lookups failed despite retries", failed)
	}
}

// TestOutageAndBack: the service goes down (switched from the control
// endpoint, as a demo would) and comes back.
func TestOutageAndBack(t *testing.T) {
	t.Parallel()
	doc := firstStudent(t)
	_, srv, c := start(t, sim.Config{Faults: sim.Faults{Outage: true}}, httpreg.Options{Attempts: 2})
	ctx := context.Background()
	if _, err := c.siagie.Student(ctx, doc); !errors.Is(err, registry.ErrUnavailable) {
		t.Fatalf("during the outage: %v", err)
	}
	for _, on := range []string{"false", "true", "false"} {
		resp, err := http.Post(srv.URL+sim.ControlPath+"?on="+on, "", nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatal(err, resp.Status)
		}
		resp.Body.Close()
		_, err = c.siagie.Student(ctx, doc)
		if (on == "false") != (err == nil) {
			t.Fatalf("outage %s: %v", on, err)
		}
	}
}

// TestDown: nothing listens any more.
func TestDown(t *testing.T) {
	t.Parallel()
	_, srv, c := start(t, sim.Config{}, httpreg.Options{})
	srv.Close()
	_, err := c.migraciones.Person(context.Background(), idnum.FromCE("000000001"))
	if !errors.Is(err, registry.ErrUnavailable) || errors.Is(err, registry.ErrTimeout) {
		t.Fatalf("down: %v", err)
	}
}

// TestLogHasNoPersonalData looks up a student and reads the request log.
func TestLogHasNoPersonalData(t *testing.T) {
	t.Parallel()
	var log bytes.Buffer
	doc := firstStudent(t)
	_, _, c := start(t, sim.Config{Log: slog.New(slog.NewJSONHandler(&log, nil))}, httpreg.Options{})
	s, err := c.siagie.Student(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), `"path":"/siagie/v1/estudiante"`) ||
		strings.Contains(log.String(), doc.Number) || strings.Contains(log.String(), s.Surname1) {
		t.Fatalf("log: %s", log.String())
	}
}

func TestBadConfig(t *testing.T) {
	t.Parallel()
	for _, cfg := range []sim.Config{
		{Faults: sim.Faults{ErrorRate: 2}},
		{Faults: sim.Faults{Latency: -1}},
		{DatasetFile: filepath.Join(t.TempDir(), "missing.jsonl")},
		{Students: synth.MaxStudents + 1},
	} {
		if _, err := sim.New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
}
