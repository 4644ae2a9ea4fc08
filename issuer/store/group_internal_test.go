package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/minedu-cla/cla/internal/pgtest"
)

// TestPostgresGroupCommit: while one Batch transaction is under way, the
// calls that arrive share the next one. The first call holds its
// transaction until 63 more have queued; those 63 then run as one
// transaction (one take of the writer lock, one COMMIT), of which one
// fails and runs alone for its own error, and one panics, on its own
// caller's goroutine. Without group commit each call
// would be a transaction of its own: 64, not 2.
func TestPostgresGroupCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster: make test runs it")
	}
	c := pgtest.Start(t)
	p, err := OpenPostgres(context.Background(), c.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	groupCommit(t, p, &p.group)
}

// TestBoltGroupCommit: the same on bbolt.
func TestBoltGroupCommit(t *testing.T) {
	b, err := OpenBolt(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	groupCommit(t, b, &b.group)
}

func groupCommit(t *testing.T, p Store, g *group) {
	ctx := context.Background()
	queued := func() int {
		g.mu.Lock()
		defer g.mu.Unlock()
		return len(g.queue)
	}
	release := make(chan struct{})
	first := make(chan struct{})
	errBad := errors.New("call 40 fails")
	var wg sync.WaitGroup
	wg.Go(func() {
		err := p.Batch(ctx, func(tx Tx) error {
			close(first)
			<-release
			_, err := tx.AppendLog([]byte("first"))
			return err
		})
		if err != nil {
			t.Error(err)
		}
	})
	<-first
	errs := make([]error, 64)
	var recovered any
	for i := 1; i < 64; i++ {
		wg.Go(func() {
			if i == 50 {
				defer func() { recovered = recover() }()
			}
			errs[i] = p.Batch(ctx, func(tx Tx) error {
				if _, err := tx.AppendLog(fmt.Appendf(nil, "call %d", i)); err != nil {
					return err
				}
				switch i {
				case 40:
					return errBad
				case 50:
					panic("call 50 panics")
				}
				return nil
			})
		})
	}
	for queued() < 63 {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	for i := 1; i < 64; i++ {
		if (i == 40) != errors.Is(errs[i], errBad) || (i != 40 && errs[i] != nil) {
			t.Errorf("call %d: %v", i, errs[i])
		}
	}
	if got := g.batches.Load(); got != 2 {
		t.Errorf("%d transactions for 64 calls, want 2", got)
	}
	// A panic is its own caller's, as in an Update, and stops nothing else.
	if recovered != "call 50 panics" {
		t.Errorf("call 50's caller recovered %v, want its panic", recovered)
	}
	if err := p.Batch(ctx, func(tx Tx) error { _, err := tx.AppendLog([]byte("after")); return err }); err != nil {
		t.Fatalf("a Batch after the panic: %v", err)
	}
	var n int
	p.View(ctx, func(tx Tx) error {
		last, _, err := tx.LastLog()
		n = int(last)
		return err
	})
	if n != 63 {
		t.Errorf("log has %d entries, want 63 (64 calls, one failed, one panicked, one after)", n)
	}
}
