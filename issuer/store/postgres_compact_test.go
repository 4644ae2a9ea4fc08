package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/minedu-cla/cla/internal/pgtest"
	"github.com/minedu-cla/cla/issuer/constancia"
	"github.com/minedu-cla/cla/issuer/store"
)

// TestPostgresCompactWhileWriting: Compact on PostgreSQL (a cancellation's
// maintenance) is a VACUUM that writers run through: writes commit while
// it runs, deleted constancias stay deleted, live ones stay, and the
// server records that the table was vacuumed.
func TestPostgresCompactWhileWriting(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster: make test runs it")
	}
	ctx := context.Background()
	url := pgtest.Start(t).NewDatabase(t)
	s := openPG(t, url)
	var ids []uint64
	for batch := range 4 {
		err := s.Update(ctx, func(tx store.Tx) error {
			for i := range 500 {
				n := batch*500 + i
				c := &constancia.Issued{Code: fmt.Sprintf("V%06d", n), StatusIndex: uint64(n), StudentKey: fmt.Sprint(n),
					RecordDoc: make([]byte, 2000), State: constancia.Active}
				if err := tx.PutConstancia(c); err != nil {
					return err
				}
				ids = append(ids, c.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Half deleted, as cancellations would.
	err := s.Update(ctx, func(tx store.Tx) error {
		for _, id := range ids[:1000] {
			if err := tx.DeleteConstancia(id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var stop, running atomic.Bool
	var during atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for w := range 2 {
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				err := s.Update(ctx, func(tx store.Tx) error { return tx.PutMeta(fmt.Sprintf("w%d/%d", w, i%50), []byte("v")) })
				if err != nil {
					errs <- err
					return
				}
				if running.Load() {
					during.Add(1)
				}
			}
		})
	}
	time.Sleep(20 * time.Millisecond)
	running.Store(true)
	if err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	running.Store(false)
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if during.Load() == 0 {
		t.Fatal("no write committed while VACUUM ran")
	}
	err = s.View(ctx, func(tx store.Tx) error {
		for i, id := range ids {
			_, err := tx.Constancia(id)
			if i < 1000 && !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("deleted constancia %d: %v", id, err)
			}
			if i >= 1000 && err != nil {
				return fmt.Errorf("live constancia %d: %w", id, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// kv is partitioned by bucket: every partition is vacuumed.
	var parts, vacuumed int
	if err := conn.QueryRow(ctx, `SELECT count(*), count(last_vacuum) FROM pg_stat_user_tables WHERE relname LIKE 'kv\_%'`).
		Scan(&parts, &vacuumed); err != nil {
		t.Fatal(err)
	}
	if parts < 11 || vacuumed != parts {
		t.Fatalf("%d of the kv table's %d partitions vacuumed", vacuumed, parts)
	}
}
