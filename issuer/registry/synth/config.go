package synth

import (
	"errors"

	"github.com/minedu-cla/cla/issuer/registry"
)

// Defaults of the embedded demo population.
const (
	DefaultSeed     = 1
	DefaultStudents = 120
	// MaxStudents keeps every slot number inside the DNI space: 8 slots a
	// family, 10^8 DNIs, ~2.3 students a family.
	MaxStudents = 20_000_000
)

// DefaultToday is the reference "today" of the demo population: school
// years up to 2025 are closed. It is fixed, not the clock, so the dataset
// never changes by itself; ages are chosen so each demo path stays valid for
// years after it.
var DefaultToday = registry.Date{Year: 2026, Month: 3, Day: 1}

// Config says which population to generate.
type Config struct {
	Seed     uint64        // same seed, same population, byte for byte
	Students int           // children with a SIAGIE record; families are added until reached
	Today    registry.Date // records run from 2013 to the year before
}

// DefaultConfig is the embedded demo population.
func DefaultConfig() Config {
	return Config{Seed: DefaultSeed, Students: DefaultStudents, Today: DefaultToday}
}

// ErrConfig means a Config cannot be generated.
var ErrConfig = errors.New("synth: students must be 1–20,000,000 and today a date from 2016 to 2100")

func (c Config) validate() error {
	if c.Students < 1 || c.Students > MaxStudents || !c.Today.Valid() || c.Today.Year < 2016 || c.Today.Year > 2100 {
		return ErrConfig
	}
	return nil
}
