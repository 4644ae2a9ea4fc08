package mailq

import (
	"fmt"
	"time"
)

type counters struct {
	sent, failures uint64
	dead           int
}

// Stats is a snapshot for the issuer's health endpoint.
type Stats struct {
	Queued   int       `json:"queued"`   // messages in the spool, waiting or in flight
	Retrying int       `json:"retrying"` // of those, how many the server deferred at least once
	InFlight int       `json:"in_flight"`
	Dead     int       `json:"dead"`     // messages in dead/ now
	Sent     uint64    `json:"sent"`     // delivered since Open
	Failures uint64    `json:"failures"` // failed attempts since Open
	Oldest   time.Time `json:"oldest"`   // enqueue time of the oldest queued message; zero if none

	// PausedUntil is set while the server is unreachable: deliveries wait
	// until then. Zero when deliveries flow.
	PausedUntil time.Time `json:"paused_until"`
}

// Stats returns the queue's counters.
func (q *Queue) Stats() Stats {
	now := q.opt.Now()
	q.mu.Lock()
	defer q.mu.Unlock()
	s := Stats{Queued: len(q.entries), InFlight: q.inFlight, Dead: q.stats.dead, Sent: q.stats.sent, Failures: q.stats.failures}
	for _, e := range q.entries {
		if e.attempts > 0 {
			s.Retrying++
		}
		if s.Oldest.IsZero() || e.enqueued.Before(s.Oldest) {
			s.Oldest = e.enqueued
		}
	}
	if now.Before(q.pausedUntil) {
		s.PausedUntil = q.pausedUntil
	}
	return s
}

// expiredError is why a message that kept being deferred was given up.
type expiredError struct {
	age  time.Duration
	last error
}

func (e *expiredError) Error() string {
	return fmt.Sprintf("mail: expired after %s in the queue; last error: %v", e.age.Round(time.Second), e.last)
}

func (e *expiredError) Unwrap() error { return e.last }
