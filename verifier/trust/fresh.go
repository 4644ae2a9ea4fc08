package trust

import "time"

// Limits are the freshness settings of a verifier.
type Limits struct {
	// Soft: older trust data gets a warning (docs/DESIGN.md: 7 days).
	Soft time.Duration
	// Hard: older trust data makes no code valid (docs/DESIGN.md: 30 days).
	Hard time.Duration
	// Skew is how far the clock may sit behind the time floor before it
	// counts as wound back: clocks of offline laptops drift minutes.
	Skew time.Duration
}

// DefaultLimits are docs/DESIGN.md's defaults.
var DefaultLimits = Limits{Soft: 7 * 24 * time.Hour, Hard: 30 * 24 * time.Hour, Skew: 10 * time.Minute}

// Why trust data is stale or old; stable strings for JSON and translations.
const (
	NoTrustData   = "no_trust_data"
	NoStatusList  = "no_status_list"
	ClockBehind   = "clock_behind"
	TooOld        = "trust_data_too_old"
	KeysetExpired = "keyset_expired"
	Old           = "trust_data_old"
)

// Freshness is how usable the trust data is at a given time.
type Freshness struct {
	// Stale is set, with Reason, when no code may be called valid.
	Stale  bool
	Reason string
	// Old is set past the soft limit: valid, with a warning.
	Old bool
	// Age is the age of the status list (its issued_at is signed, so a
	// local clock cannot fake it).
	Age time.Duration
}

// Freshness judges s at now.
func (s *State) Freshness(now time.Time, lim Limits) Freshness {
	switch {
	case s.Keyset == nil:
		return Freshness{Stale: true, Reason: NoTrustData}
	case s.List == nil:
		return Freshness{Stale: true, Reason: NoStatusList}
	case now.Before(s.Floor.Add(-lim.Skew)):
		return Freshness{Stale: true, Reason: ClockBehind}
	}
	f := Freshness{Age: max(now.Sub(s.List.IssuedAt), 0)}
	switch {
	case now.After(s.Keyset.ExpiresAt):
		f.Stale, f.Reason = true, KeysetExpired
	case f.Age > lim.Hard:
		f.Stale, f.Reason = true, TooOld
	case f.Age > lim.Soft:
		f.Old = true
	}
	return f
}
