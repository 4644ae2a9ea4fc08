package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minedu-cla/cla/internal/pgtest"
)

// TestPostgresBuckets: rate-limit buckets in PostgreSQL, taken from two
// stores on one database (two replicas): one budget for both; a refused
// take says how long to wait and takes nothing; time refills; 40 takes at
// once from both stores get exactly the burst; Sweep forgets idle buckets.
func TestPostgresBuckets(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster: make test runs it")
	}
	ctx := context.Background()
	url := pgtest.Start(t).NewDatabase(t)
	a, b := openPG(t, url), openPG(t, url)
	t0 := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	const rate, burst = 1.0 / 60, 3 // one a minute, three at once
	for i, s := range []interface {
		Take(context.Context, string, float64, float64, time.Time) (bool, time.Duration, error)
	}{a, b, a} {
		if ok, _, err := s.Take(ctx, "lookups\x00198.51.100.7", rate, burst, t0); !ok || err != nil {
			t.Fatalf("take %d: %v %v", i, ok, err)
		}
	}
	ok, wait, err := b.Take(ctx, "lookups\x00198.51.100.7", rate, burst, t0)
	if ok || err != nil || wait < 59*time.Second || wait > 61*time.Second {
		t.Fatalf("a fourth take: %v, wait %v, %v; want refused with ~60 s", ok, wait, err)
	}
	if w, err := a.Wait(ctx, "lookups\x00198.51.100.7", rate, burst, t0.Add(30*time.Second)); err != nil || w < 29*time.Second || w > 31*time.Second {
		t.Fatalf("wait after 30 s: %v %v (the refused take took nothing)", w, err)
	}
	if ok, _, _ := a.Take(ctx, "lookups\x00198.51.100.7", rate, burst, t0.Add(61*time.Second)); !ok {
		t.Fatal("no token a minute later")
	}
	if w, _ := a.Wait(ctx, "lookups\x00203.0.113.1", rate, burst, t0); w != 0 {
		t.Fatalf("a new key waits %v", w)
	}

	var got atomic.Int64
	var wg sync.WaitGroup
	for i := range 40 {
		s := a
		if i%2 == 1 {
			s = b
		}
		wg.Go(func() {
			ok, _, err := s.Take(ctx, "burst", 0.001, 10, t0)
			if err != nil {
				t.Error(err)
			}
			if ok {
				got.Add(1)
			}
		})
	}
	wg.Wait()
	if got.Load() != 10 {
		t.Fatalf("40 concurrent takes from two stores got %d tokens of a burst of 10", got.Load())
	}
	n, err := a.Sweep(ctx, t0.Add(time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("sweep: %d %v, want the 2 buckets taken from", n, err)
	}
	if w, _ := a.Wait(ctx, "burst", 0.001, 10, t0); w != 0 {
		t.Fatal("a swept bucket still counts")
	}
}

// BenchmarkTake: one rate-limit token taken in PostgreSQL (a durable
// cluster; the table is unlogged) — what sharing the limits costs a
// request on the database.
func BenchmarkTake(b *testing.B) {
	s := openPGB(b, pgtest.StartDurable(b).NewDatabase(b))
	ctx := context.Background()
	now := time.Now()
	i := 0
	for b.Loop() {
		i++
		if _, _, err := s.Take(ctx, "lookups\x00198.51.100."+string(rune('0'+i%10)), 1, 1e9, now); err != nil {
			b.Fatal(err)
		}
	}
}
