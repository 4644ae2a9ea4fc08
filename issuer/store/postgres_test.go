package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/minedu-cla/cla/internal/pgtest"
	"github.com/minedu-cla/cla/issuer/constancia"
	"github.com/minedu-cla/cla/issuer/store"
	"github.com/minedu-cla/cla/issuer/store/storetest"
)

func openPG(t *testing.T, url string) *store.Postgres {
	t.Helper()
	s, err := store.OpenPostgres(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestPostgres: the conformance suite on a real PostgreSQL server (a
// throwaway cluster), a new database for each case.
func TestPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster: make test runs it")
	}
	c := pgtest.Start(t)
	storetest.Run(t, func(t *testing.T) store.Store { return openPG(t, c.NewDatabase(t)) })
}

// TestPostgresReplicas: three issuer processes' stores on one database
// (each its own pool, as separate processes have), opened at once (one
// migrates, the others wait), then 3×40 concurrent writers that each take
// the lowest free status index and a sequence number, as issuing does.
// Every index and every number is handed out once, none is skipped, and
// the log's chain of seqs has no gap.
func TestPostgresReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster: make test runs it")
	}
	c := pgtest.Start(t)
	url := c.NewDatabase(t)
	ctx := context.Background()
	replicas := make([]*store.Postgres, 3)
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Go(func() { replicas[i] = openPG(t, url) })
	}
	wg.Wait()
	if err := replicas[0].Update(ctx, func(tx store.Tx) error { return tx.PutStatus(&store.Status{Bits: make([]byte, 64)}) }); err != nil {
		t.Fatal(err)
	}
	const each = 40
	errs := make(chan error, len(replicas)*each)
	for r, s := range replicas {
		for i := range each {
			wg.Go(func() {
				errs <- s.Update(ctx, func(tx store.Tx) error {
					var idx uint64
					for {
						used, err := tx.IndexUsed(idx)
						if err != nil {
							return err
						}
						if !used {
							break
						}
						idx++
					}
					c := &constancia.Issued{Code: fmt.Sprintf("R%dN%d", r, i), StudentKey: fmt.Sprintf("s%d-%d", r, i),
						StatusIndex: idx, Version: 1, State: constancia.Active}
					if err := tx.PutConstancia(c); err != nil {
						return err
					}
					_, err := tx.AppendLog([]byte(c.Code))
					return err
				})
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	n := len(replicas) * each
	err := replicas[0].View(ctx, func(tx store.Tx) error {
		ids, idx := map[uint64]bool{}, map[uint64]bool{}
		if err := tx.ForEach(func(c *constancia.Issued) error {
			if ids[c.ID] || idx[c.StatusIndex] {
				return fmt.Errorf("id %d or index %d handed out twice", c.ID, c.StatusIndex)
			}
			ids[c.ID], idx[c.StatusIndex] = true, true
			return nil
		}); err != nil {
			return err
		}
		for i := range uint64(n) {
			if !idx[i] || !ids[i+1] {
				return fmt.Errorf("index %d or id %d skipped (%d constancias)", i, i+1, len(ids))
			}
		}
		next := uint64(1)
		err := tx.ForEachLog(1, func(seq uint64, _ []byte) error {
			if seq != next {
				return fmt.Errorf("log seq %d after %d", seq, next-1)
			}
			next++
			return nil
		})
		if err == nil && next != uint64(n)+1 {
			err = fmt.Errorf("%d log records, want %d", next-1, n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// A write inside View is refused, and a failed Update leaves nothing.
	if err := replicas[1].View(ctx, func(tx store.Tx) error { return tx.PutMeta("k", []byte("v")) }); err == nil {
		t.Error("a write in View passed")
	}
	boom := errors.New("boom")
	if err := replicas[2].Update(ctx, func(tx store.Tx) error {
		tx.PutMeta("half", []byte("done"))
		return boom
	}); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	replicas[0].View(ctx, func(tx store.Tx) error {
		if _, err := tx.Meta("half"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a failed transaction left its write: %v", err)
		}
		return nil
	})
}

// BenchmarkLookup: a verify-by-code lookup (one View: the code index,
// then the record) among 20,000 constancias, bbolt against PostgreSQL
// (a durable throwaway cluster on this machine), 8 at a time.
func BenchmarkLookup(b *testing.B) {
	const n = 20_000
	fill := func(b *testing.B, s store.Store) {
		ctx := context.Background()
		for start := 0; start < n; start += 1000 {
			if err := s.Update(ctx, func(tx store.Tx) error {
				if start == 0 {
					if err := tx.PutStatus(&store.Status{Bits: make([]byte, n/8)}); err != nil {
						return err
					}
				}
				for i := start; i < start+1000; i++ {
					c := &constancia.Issued{Code: fmt.Sprintf("C%07d", i), StudentKey: fmt.Sprintf("s%d", i), StatusIndex: uint64(i),
						Version: 1, State: constancia.Active, RecordDoc: make([]byte, 1200), QRText: "CLA1:" + string(make([]byte, 600))}
					if err := tx.PutConstancia(c); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
		}
	}
	lookup := func(b *testing.B, s store.Store, view func(context.Context, store.Store, func(store.Tx) error) error) {
		var next atomic.Int64
		b.SetParallelism(4)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				code := fmt.Sprintf("C%07d", next.Add(7919)%n)
				if err := view(context.Background(), s, func(tx store.Tx) error {
					_, err := tx.ByCode(code)
					return err
				}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	b.Run("baseline=bbolt", func(b *testing.B) {
		s, err := store.OpenBolt(filepath.Join(b.TempDir(), "db"))
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		fill(b, s)
		lookup(b, s, view)
	})
	// One database for both ways of reading, filled once, on a cluster
	// that lives as long as this (parent) benchmark.
	pg := openPGB(b, pgtest.StartDurable(b).NewDatabase(b))
	fill(b, pg)
	b.Run("postgres-view", func(b *testing.B) { lookup(b, pg, view) })
	b.Run("postgres-viewone", func(b *testing.B) { lookup(b, pg, store.ViewOne) })
}

// view is Store.View as a function of the store, beside store.ViewOne.
func view(ctx context.Context, s store.Store, f func(store.Tx) error) error { return s.View(ctx, f) }

// TestPostgresViewOne: a read of one lookup goes without a transaction
// and gives what View gives; a second statement in it is an error, not a
// read on another snapshot.
func TestPostgresViewOne(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster: make test runs it")
	}
	s := openPG(t, pgtest.Start(t).NewDatabase(t))
	ctx := context.Background()
	c := &constancia.Issued{Code: "ONE1", StudentKey: "k", StatusIndex: 3, Version: 1, State: constancia.Active}
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.PutConstancia(c) }); err != nil {
		t.Fatal(err)
	}
	var got *constancia.Issued
	err := store.ViewOne(ctx, s, func(tx store.Tx) error {
		var err error
		got, err = tx.ByCode("ONE1")
		return err
	})
	if err != nil || got.ID != c.ID || got.Code != "ONE1" {
		t.Fatalf("ViewOne = %+v, %v", got, err)
	}
	err = store.ViewOne(ctx, s, func(tx store.Tx) error {
		_, err := tx.ByCode("NOPE")
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("ViewOne of a missing code: %v", err)
	}
	err = store.ViewOne(ctx, s, func(tx store.Tx) error {
		tx.ByCode("ONE1")
		_, err := tx.ByStudent("k")
		return err
	})
	if err == nil || errors.Is(err, store.ErrNotFound) {
		t.Fatalf("ViewOne with two lookups: %v, want an error", err)
	}
	// The pool's connections are clean after it: a write goes on.
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.PutMeta("after", []byte{1}) }); err != nil {
		t.Fatal(err)
	}
}

func openPGB(b *testing.B, url string) *store.Postgres {
	s, err := store.OpenPostgres(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// TestPostgresOutboxReplicaDies: a replica dies while its SMTP
// conversation runs (its backend terminated, as the server does when the
// process's connections drop). Its row lock goes with it, and another
// replica takes the same mail and delivers it: nothing lost, sent twice
// at most, with the same Message-ID.
func TestPostgresOutboxReplicaDies(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster: make test runs it")
	}
	ctx := context.Background()
	c := pgtest.Start(t)
	url := c.NewDatabase(t)
	a, b := openPG(t, url), openPG(t, url)
	now := time.Now()
	if err := a.Update(ctx, func(tx store.Tx) error {
		return tx.AddMail(&store.Mail{MessageID: "m1", Constancia: 1, To: "ana@example.pe", Created: now})
	}); err != nil {
		t.Fatal(err)
	}
	inside, died := make(chan struct{}), make(chan error, 1)
	go func() {
		_, err := a.TakeMail(ctx, now, func(m *store.Mail) *store.Mail {
			close(inside)
			time.Sleep(2 * time.Second) // the server is slow; the replica dies meanwhile
			return nil
		})
		died <- err
	}()
	<-inside
	// While a holds it, b finds nothing to take.
	if took, err := b.TakeMail(ctx, now, func(m *store.Mail) *store.Mail { return m }); took || err != nil {
		t.Fatalf("b took a mail that a holds: %v, %v", took, err)
	}
	// a "dies": the server ends its backend, idle in the transaction
	// that holds the lock.
	var killed int
	q, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close(ctx)
	if err := q.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND state = 'idle in transaction'`).Scan(&killed); err != nil || killed != 1 {
		t.Fatalf("terminating the holder: %d backends, %v", killed, err)
	}
	var got *store.Mail
	deadline := time.Now().Add(10 * time.Second)
	for got == nil && time.Now().Before(deadline) {
		if _, err := b.TakeMail(ctx, now, func(m *store.Mail) *store.Mail { got = m; return nil }); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got == nil || got.MessageID != "m1" {
		t.Fatalf("after the holder died, b took %+v", got)
	}
	if err := <-died; err == nil {
		t.Error("the dead replica's delivery settled without error")
	}
	if st, err := store.CountMail(ctx, b); err != nil || st.Queued != 0 {
		t.Errorf("outbox after b's delivery: %+v, %v", st, err)
	}
}

// TestPostgresSessions: a session saved by one replica is loaded by
// another until it expires; replaced, deleted; and two replicas sweeping
// at once get each expired session once.
func TestPostgresSessions(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster: make test runs it")
	}
	ctx := context.Background()
	url := pgtest.Start(t).NewDatabase(t)
	a, b := openPG(t, url), openPG(t, url)
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	if err := a.SaveSession(ctx, "public", []byte("id1"), []byte("v1"), now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if v, err := b.LoadSession(ctx, "public", []byte("id1"), now); string(v) != "v1" || err != nil {
		t.Fatalf("another replica loads %q, %v", v, err)
	}
	if v, _ := b.LoadSession(ctx, "staff", []byte("id1"), now); v != nil {
		t.Fatalf("a public session loaded as a staff one: %q", v)
	}
	if v, _ := b.LoadSession(ctx, "public", []byte("id1"), now.Add(time.Minute)); v != nil {
		t.Fatalf("an expired session loaded: %q", v)
	}
	a.SaveSession(ctx, "public", []byte("id1"), []byte("v2"), now.Add(time.Hour))
	if v, _ := b.LoadSession(ctx, "public", []byte("id1"), now.Add(time.Minute)); string(v) != "v2" {
		t.Fatalf("after replacing: %q", v)
	}
	b.DeleteSession(ctx, "public", []byte("id1"))
	if v, _ := a.LoadSession(ctx, "public", []byte("id1"), now); v != nil {
		t.Fatalf("after deleting: %q", v)
	}
	for i := range 50 {
		a.SaveSession(ctx, "staff", []byte{byte(i)}, []byte{byte(i)}, now.Add(time.Duration(i%2)*time.Hour))
	}
	var got [2][][2][]byte
	var wg sync.WaitGroup
	for i, s := range []*store.Postgres{a, b} {
		wg.Go(func() {
			var err error
			if got[i], err = s.SweepSessions(ctx, "staff", now); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	seen := map[byte]int{}
	for _, vs := range got {
		for _, kv := range vs {
			if kv[0][0] != kv[1][0] {
				t.Errorf("swept id %x with value %x", kv[0], kv[1])
			}
			seen[kv[1][0]]++
		}
	}
	if len(seen) != 25 {
		t.Errorf("swept %d distinct sessions, want the 25 expired", len(seen))
	}
	for k, n := range seen {
		if n != 1 || k%2 != 0 {
			t.Errorf("session %d swept %d times", k, n)
		}
	}
}
