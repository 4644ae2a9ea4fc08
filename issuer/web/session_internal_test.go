package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func newClock() *clock               { return &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }
func visit(s *sessions, id string) *session {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(&http.Cookie{Name: consentCookie, Value: consentYes})
	if id != "" {
		r.AddCookie(&http.Cookie{Name: cookieName, Value: id})
	}
	return s.get(httptest.NewRecorder(), r, true)
}

func postWith(tok string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(url.Values{"csrf": {tok}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// TestSessionFlood is the attack: ten thousand new sessions a second
// while a person fills in the form. Their session (proven by its first
// form) survives; the flood only replaces fresh sessions; memory stays
// bounded.
func TestSessionFlood(t *testing.T) {
	c := newClock()
	s := newSessions(c.now, false)
	s.maxFresh, s.maxProven = 100, 10
	user := visit(s, "")
	if s.check(user, postWith("wrong")) {
		t.Fatal("a wrong token passed")
	}
	if !s.check(user, postWith(user.csrf)) || !user.proven {
		t.Fatal("the form's token did not prove the session")
	}
	idle := visit(s, "") // a visitor who never sent a form
	for range 10_000 {
		visit(s, "")
		c.add(100 * time.Microsecond)
	}
	if got := visit(s, user.id); got != user {
		t.Fatal("the flood evicted a person in the middle of their request")
	}
	if got := visit(s, idle.id); got == idle {
		t.Fatal("an unproven session outlived 10,000 newer ones")
	}
	if len(s.m) > s.maxFresh+s.maxProven || s.fresh.Len() > s.maxFresh {
		t.Fatalf("%d sessions kept (%d fresh)", len(s.m), s.fresh.Len())
	}
	// Expiry: half an hour without a visit ends any session.
	c.add(sessionTTL)
	if got := visit(s, user.id); got == user {
		t.Fatal("an expired session came back")
	}
}

// BenchmarkNewSession: a new session with the store full of live ones
// (the flood's steady state), against the same with the store empty.
// The full sweep took 7 ms a session at 100,000 (140/s); the goal is the
// same cost either way.
func BenchmarkNewSession(b *testing.B) {
	for _, tc := range []struct {
		name string
		fill int
	}{{"full", maxFresh}, {"baseline=empty", 0}} {
		b.Run(tc.name, func(b *testing.B) {
			c := newClock()
			s := newSessions(c.now, false)
			for range tc.fill {
				visit(s, "")
			}
			w, r := httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil)
			b.ResetTimer()
			for b.Loop() {
				s.get(w, r, true)
				if tc.fill == 0 {
					s.drop(s.fresh.Back().Value.(*session))
				}
			}
		})
	}
}
