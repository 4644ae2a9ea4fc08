package browser

import (
	"time"

	"github.com/minedu-cla/cla/verifier/trust"
)

// Freshness of the trust data in the page's words (app.js renderTrust).
const (
	FreshNone  = "none"  // nothing held yet: the page syncs before judging a link
	FreshFresh = "fresh" // within the soft limit
	FreshOld   = "old"   // past the soft limit: valid with a warning
	FreshStale = "stale" // past the hard limit, or no list, or an expired keyset: nothing is valid
	FreshClock = "clock" // the clock is behind the trust data: fix the clock
)

// Info describes the trust data held, for the page's trust line.
type Info struct {
	Freshness string `json:"freshness"`
	StatusSeq uint64 `json:"status_seq"`
	// StatusAge is the status list's age by its signed issued_at, -1 when
	// unknown (no list, or a clock behind the data).
	StatusAge time.Duration `json:"status_age_ns"`
	KeysetSeq uint64        `json:"keyset_seq"`
	// LastSuccess is the last sync that worked (RFC 3339, "" never).
	LastSuccess string `json:"last_success"`
	// LastError is the last sync's failure, "" after a success.
	LastError string `json:"last_error,omitempty"`
	// Floor is the newest issued_at seen (RFC 3339, "" none): a clock
	// before it, by more than the skew, is wound back.
	Floor string `json:"floor"`
}

// Info returns the trust data held and its freshness now.
func (b *Engine) Info() Info {
	info := b.e.SyncInfo()
	return infoOf(b.e.State(), b.e.Limits(), b.now(), info.LastSuccess, info.LastError)
}

// infoOf judges st at now as the desktop app's trust screen does
// (app/trust.go): trust.State.Freshness with the engine's limits.
func infoOf(st *trust.State, lim trust.Limits, now, lastSuccess time.Time, lastError string) Info {
	f := st.Freshness(now, lim)
	i := Info{Freshness: freshnessOf(f), StatusAge: -1, LastError: lastError}
	if st.Keyset != nil {
		i.KeysetSeq = st.Keyset.Seq
	}
	if st.List != nil {
		i.StatusSeq = st.List.Seq
		if f.Reason != trust.ClockBehind {
			i.StatusAge = max(now.Sub(st.List.IssuedAt), 0)
		}
	}
	if !lastSuccess.IsZero() {
		i.LastSuccess = lastSuccess.UTC().Format(time.RFC3339)
	}
	if !st.Floor.IsZero() {
		i.Floor = st.Floor.UTC().Format(time.RFC3339)
	}
	return i
}

// freshnessOf names a freshness: stale with a reason splits into "none"
// (no trust data at all) and "clock" (the clock, not the data, is wrong).
func freshnessOf(f trust.Freshness) string {
	switch {
	case f.Stale && f.Reason == trust.NoTrustData:
		return FreshNone
	case f.Stale && f.Reason == trust.ClockBehind:
		return FreshClock
	case f.Stale:
		return FreshStale
	case f.Old:
		return FreshOld
	}
	return FreshFresh
}
