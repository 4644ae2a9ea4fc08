package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/minedu-cla/cla/internal/pgtest"
	"github.com/minedu-cla/cla/issuer/constancia"
)

// TestCompactWhileWriting: writers put, replace and delete constancias,
// meta keys and log records all through a compaction; afterwards the file
// holds exactly what they committed (a model of each writer's keys), the
// sequences go on from where they were, and writes did run while the
// copy ran (so the journal was exercised, not bypassed).
func TestCompactWhileWriting(t *testing.T) {
	ctx := context.Background()
	s, err := OpenBolt(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fill(t, s, 3000, 2000)

	const writers = 4
	var stop atomic.Bool
	var during atomic.Int64 // writes committed while Compact ran
	var compacting atomic.Bool
	models := make([]map[string]string, writers) // meta key → value ("" deleted)
	ids := make([][]uint64, writers)             // constancias each writer holds
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		models[w] = map[string]string{}
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 1))
			for i := 0; !stop.Load(); i++ {
				key := fmt.Sprintf("w%d/%d", w, r.IntN(200))
				val := fmt.Sprint(i)
				del := r.IntN(4) == 0
				var newID uint64
				var dropID uint64
				err := s.Update(ctx, func(tx Tx) error {
					if del {
						if err := tx.DeleteMeta(key); err != nil && !errors.Is(err, ErrNotFound) {
							return err
						}
					} else if err := tx.PutMeta(key, []byte(val)); err != nil {
						return err
					}
					if len(ids[w]) > 0 && r.IntN(3) == 0 {
						dropID = ids[w][0]
						if err := tx.DeleteConstancia(dropID); err != nil {
							return err
						}
					}
					c := &constancia.Issued{Code: fmt.Sprintf("W%d-%d", w, i), StatusIndex: uint64(1_000_000 + w*100_000 + i),
						StudentKey: fmt.Sprintf("w%d-%d", w, i), State: constancia.Active}
					if err := tx.PutConstancia(c); err != nil {
						return err
					}
					newID = c.ID
					_, err := tx.AppendLog([]byte(val))
					return err
				})
				if err != nil {
					errs <- err
					return
				}
				if del {
					models[w][key] = ""
				} else {
					models[w][key] = val
				}
				if dropID != 0 {
					ids[w] = ids[w][1:]
				}
				ids[w] = append(ids[w], newID)
				if compacting.Load() {
					during.Add(1)
				}
			}
		})
	}
	time.Sleep(20 * time.Millisecond)
	compacting.Store(true)
	if err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	compacting.Store(false)
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if during.Load() == 0 {
		t.Fatal("no write committed while the compaction ran: writers were held")
	}
	t.Logf("%d writes committed during the compaction", during.Load())

	var maxID, lastSeq uint64
	err = s.View(ctx, func(tx Tx) error {
		for w, m := range models {
			for k, want := range m {
				got, err := tx.Meta(k)
				if want == "" {
					if !errors.Is(err, ErrNotFound) {
						return fmt.Errorf("meta %s: deleted, but the copy has %q", k, got)
					}
					continue
				}
				if err != nil || string(got) != want {
					return fmt.Errorf("meta %s = %q, %v; want %q", k, got, err, want)
				}
			}
			for _, id := range ids[w] {
				c, err := tx.Constancia(id)
				if err != nil {
					return fmt.Errorf("constancia %d of writer %d: %w", id, w, err)
				}
				if _, err := tx.ByCode(c.Code); err != nil {
					return fmt.Errorf("code index of %d: %w", id, err)
				}
			}
		}
		n := 0
		err := tx.ForEach(func(c *constancia.Issued) error {
			n++
			maxID = max(maxID, c.ID)
			return nil
		})
		want := 3000
		for w := range writers {
			want += len(ids[w])
		}
		if err == nil && n != want {
			err = fmt.Errorf("%d constancias after compaction, want %d (deleted ones came back, or live ones went)", n, want)
		}
		if err != nil {
			return err
		}
		lastSeq, _, err = tx.LastLog()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Sequences carry on: a new constancia gets an ID past every one.
	err = s.Update(ctx, func(tx Tx) error {
		c := &constancia.Issued{Code: "AFTER", StatusIndex: 9_999_999, StudentKey: "after", State: constancia.Active}
		if err := tx.PutConstancia(c); err != nil {
			return err
		}
		if c.ID <= maxID {
			return fmt.Errorf("new ID %d not past %d: the sequence went back", c.ID, maxID)
		}
		seq, err := tx.AppendLog([]byte("after"))
		if err == nil && seq != lastSeq+1 {
			err = fmt.Errorf("log seq %d after %d", seq, lastSeq)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(s.Path() + compactSuffix); !os.IsNotExist(err) {
		t.Fatal("the compaction copy was left behind")
	}
}

// TestCompactAfterClose: a compaction on a closed store says so and leaves
// no copy.
func TestCompactAfterClose(t *testing.T) {
	s, err := OpenBolt(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := s.Compact(); !errors.Is(err, errClosed) {
		t.Fatalf("Compact after Close: %v", err)
	}
	if _, err := os.Stat(s.Path() + compactSuffix); !os.IsNotExist(err) {
		t.Fatal("a copy was left behind")
	}
}

// fill stores n constancias of about size bytes (record and QR), 500 a
// transaction, and as many log records.
func fill(tb testing.TB, s Store, n, size int) {
	tb.Helper()
	doc := make([]byte, size)
	for i := range doc {
		doc[i] = byte(i * 7)
	}
	for start := 0; start < n; start += 500 {
		err := s.Update(context.Background(), func(tx Tx) error {
			for i := start; i < min(n, start+500); i++ {
				c := &constancia.Issued{Code: fmt.Sprintf("C%08d", i), StatusIndex: uint64(i), StudentKey: fmt.Sprint(i),
					RecordDoc: doc, State: constancia.Active}
				if err := tx.PutConstancia(c); err != nil {
					return err
				}
				if _, err := tx.AppendLog(doc[:200]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkCompactWriteWait: the longest a write waits while the file is
// compacted (max-wait-ms), and the compaction's own time, against the
// baselines: the compaction that held the writers for the whole copy, and
// no compaction at all (the same writer alone for 1.5 s: the disk's own
// fsync latency). CLA_BENCH_CONSTANCIAS constancias of ~3 KB (default
// 50,000, ~200 MB); one writer commits one constancia at a time
// throughout.
func BenchmarkCompactWriteWait(b *testing.B) {
	s, err := OpenBolt(filepath.Join(b.TempDir(), "db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	fill(b, s, benchConstancias(), 3000)
	b.Run("baseline=no-compaction", func(b *testing.B) {
		writeWaits(b, s, nil, func() error { time.Sleep(1500 * time.Millisecond); return nil })
	})
	b.Run("baseline=holding-writers", func(b *testing.B) { writeWaits(b, s, nil, s.compactHoldingWriters) })
	b.Run("compact", func(b *testing.B) { writeWaits(b, s, nil, s.Compact) })
}

// BenchmarkVacuumWriteWait is BenchmarkCompactWriteWait on PostgreSQL (a
// durable throwaway cluster, the records copied in by Migrate): the
// longest a write waits while a VACUUM reclaims 2,000 deleted constancias
// (Compact), against no maintenance and VACUUM FULL (which locks the
// tables: the stall Compact avoids).
func BenchmarkVacuumWriteWait(b *testing.B) {
	ctx := context.Background()
	n := benchConstancias()
	src, err := OpenBolt(filepath.Join(b.TempDir(), "db"))
	if err != nil {
		b.Fatal(err)
	}
	fill(b, src, n, 3000)
	s, err := OpenPostgres(ctx, pgtest.StartDurable(b).NewDatabase(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := Migrate(ctx, src, s, nil); err != nil {
		b.Fatal(err)
	}
	src.Close()
	next := uint64(1)
	deleteSome := func() error {
		return s.Update(ctx, func(tx Tx) error {
			for range 2000 {
				if next > uint64(n) {
					return nil
				}
				if err := tx.DeleteConstancia(next); err != nil {
					return err
				}
				next++
			}
			return nil
		})
	}
	b.Run("baseline=no-maintenance", func(b *testing.B) {
		writeWaits(b, s, deleteSome, func() error { time.Sleep(1500 * time.Millisecond); return nil })
	})
	b.Run("baseline=vacuum-full", func(b *testing.B) {
		writeWaits(b, s, deleteSome, func() error { _, err := s.pool.Exec(ctx, `VACUUM FULL kv`); return err })
	})
	b.Run("compact=vacuum", func(b *testing.B) { writeWaits(b, s, deleteSome, s.Compact) })
}

func benchConstancias() int {
	if n, err := strconv.Atoi(os.Getenv("CLA_BENCH_CONSTANCIAS")); err == nil && n > 0 {
		return n
	}
	return 50_000
}

// writeWaits runs maintain once an iteration (after prepare, untimed)
// while one writer commits small transactions, and reports the longest
// and the p99 wait.
func writeWaits(b *testing.B, s Store, prepare, maintain func() error) {
	var waits []time.Duration
	for b.Loop() {
		if prepare != nil {
			b.StopTimer()
			if err := prepare(); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		var stop atomic.Bool
		var mu sync.Mutex
		var wg sync.WaitGroup
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				t0 := time.Now()
				err := s.Update(context.Background(), func(tx Tx) error {
					return tx.PutMeta(fmt.Sprint("bench/", i%1000), []byte("v"))
				})
				if err != nil {
					b.Error(err)
					return
				}
				mu.Lock()
				waits = append(waits, time.Since(t0))
				mu.Unlock()
			}
		})
		time.Sleep(10 * time.Millisecond)
		if err := maintain(); err != nil {
			b.Fatal(err)
		}
		stop.Store(true)
		wg.Wait()
	}
	slices.Sort(waits)
	if len(waits) > 0 {
		b.ReportMetric(float64(waits[len(waits)-1].Microseconds())/1000, "max-wait-ms")
		b.ReportMetric(float64(waits[len(waits)*99/100].Microseconds())/1000, "p99-wait-ms")
		b.ReportMetric(float64(len(waits))/float64(b.N), "writes/op")
	}
}

// compactHoldingWriters is the compaction before the journal: bbolt's
// Compact with every transaction held out (the baseline).
func (b *Bolt) compactHoldingWriters() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	tmp := b.path + compactSuffix
	dst, err := bolt.Open(tmp, 0o600, nil)
	if err != nil {
		return err
	}
	if err := bolt.Compact(dst, b.db, 64<<20); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Close(); err != nil {
		return err
	}
	if err := b.db.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, b.path); err != nil {
		return err
	}
	b.db, err = openDB(b.path)
	return err
}

// TestLongReadDoesNotHoldWriters: while a long read transaction is open
// (a statistics page, an audit check over a million entries), writers
// that grow the file by 80 MB still commit: the file is mapped big enough
// from the start that no remap — which would wait for the reader to end —
// is needed. With bbolt's default mapping the writer waits for the reader,
// and the reader here waits for the writer: the test then fails at its
// deadline instead of hanging.
func TestLongReadDoesNotHoldWriters(t *testing.T) {
	if strconv.IntSize != 64 {
		t.Skip("a 32-bit address space cannot map the file ahead")
	}
	ctx := context.Background()
	s, err := OpenBolt(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	written := make(chan error, 1)
	readerOpen := make(chan struct{})
	go func() {
		<-readerOpen
		big := make([]byte, 2<<20)
		for i := range 40 {
			if err := s.Update(ctx, func(tx Tx) error { return tx.PutMeta(fmt.Sprint("big/", i), big) }); err != nil {
				written <- err
				return
			}
		}
		written <- nil
	}()
	err = s.View(ctx, func(tx Tx) error {
		close(readerOpen)
		select {
		case err := <-written:
			return err
		case <-time.After(30 * time.Second):
			return fmt.Errorf("80 MB of writes did not commit while a read transaction was open: the writer waits for the reader")
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}
