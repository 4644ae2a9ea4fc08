package sim

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/dataset"
	"github.com/minedu-cla/cla/issuer/registry/synth"
)

// Config says what to serve and how badly.
type Config struct {
	// Students > 0 serves a synthetic population of that size (Seed,
	// Today); 0 serves DatasetFile, or the embedded demo when that is "".
	Students    int
	Seed        uint64
	Today       registry.Date
	DatasetFile string
	Faults      Faults
	Log         *slog.Logger // nil: no request log
}

// Faults degrade the service on purpose.
type Faults struct {
	Latency   time.Duration // added to every lookup
	Jitter    time.Duration // plus up to this much, uniformly
	ErrorRate float64       // fraction of lookups answered 503, 0–1
	Outage    bool          // start down: every request answered 503
	Seed      uint64        // seeds the error and jitter draws
}

func (f Faults) validate() error {
	if f.Latency < 0 || f.Jitter < 0 || f.ErrorRate < 0 || f.ErrorRate > 1 {
		return fmt.Errorf("sim: latency and jitter must be ≥ 0 and the error rate within 0–1")
	}
	return nil
}

// backend is what the server answers from.
type backend interface {
	registry.IdentityRegistry
	registry.RecordsRegistry
}

func (c Config) backend() (backend, string, error) {
	switch {
	case c.Students > 0:
		today := c.Today
		if today.IsZero() {
			today = synth.DefaultToday
		}
		g, err := synth.New(synth.Config{Seed: c.Seed, Students: c.Students, Today: today})
		return g, fmt.Sprintf("synthetic: seed %d, %d students", c.Seed, c.Students), err
	case c.DatasetFile != "":
		b, err := os.ReadFile(c.DatasetFile)
		if err != nil {
			return nil, "", fmt.Errorf("sim: %w", err)
		}
		reg, err := dataset.Read(bytes.NewReader(b))
		return reg, "dataset file", err
	}
	reg, err := dataset.Demo()
	return reg, "embedded demo (docs/DEMO.md)", err
}
