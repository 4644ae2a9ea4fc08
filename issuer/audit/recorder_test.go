package audit

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/minedu-cla/cla/issuer/store"
)

// TestRecorderConcurrent: producers recording at once, beside synchronous
// Appends, under -race: every entry is written or counted as dropped, and
// the chain is whole.
func TestRecorderConcurrent(t *testing.T) {
	t.Parallel()
	s, _ := tempBolt(t)
	r := NewRecorder(s, RecorderOptions{Queue: 1024, Batch: 100, Interval: time.Millisecond})
	const producers, each, syncs = 8, 1000, 20
	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			for i := range each {
				r.Record(Entry{Time: t0, Actor: Public, Action: VerifyCode, Target: fmt.Sprintf("P%d-%d", p, i)})
			}
		})
	}
	wg.Go(func() { fill(t, s, syncs) })
	wg.Wait()
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	st := r.Stats()
	if st.Written+st.Dropped != producers*each || st.Failed != 0 || st.Invalid != 0 || st.Queued != 0 {
		t.Fatalf("stats %+v", st)
	}
	rep := mustCheck(t, s)
	counts := countActions(t, s)
	syncVerify := 0
	for i := range syncs {
		if sample(i).Action == VerifyCode {
			syncVerify++
		}
	}
	if !rep.OK() || counts[VerifyCode] != int(st.Written)+syncVerify || counts[Login] == 0 ||
		rep.Entries != st.Written+syncs+uint64(counts[RecordsDropped]) {
		t.Errorf("check %+v %v, actions %v, stats %+v", rep, rep.First, counts, st)
	}
	if got := droppedReported(t, s); got != st.Dropped {
		t.Errorf("RecordsDropped entries say %d, the counter %d", got, st.Dropped)
	}
	t.Logf("%+v", st)
}

// gated is a store whose Update waits for the gate to open.
type gated struct {
	store.Store
	gate chan struct{}
	err  error
}

func (g *gated) Update(ctx context.Context, f func(store.Tx) error) error {
	<-g.gate
	if g.err != nil {
		return g.err
	}
	return g.Store.Update(ctx, f)
}

// TestRecorderDrops: with the writer stuck, Record still returns at once;
// what does not fit is counted, and the trail says how many were lost.
func TestRecorderDrops(t *testing.T) {
	t.Parallel()
	g := &gated{Store: store.NewMemory(), gate: make(chan struct{})}
	r := NewRecorder(g, RecorderOptions{Queue: 4, Batch: 1, Now: func() time.Time { return t0 }})
	for i := range 20 {
		r.Record(Entry{Time: t0, Actor: Public, Action: VerifyCode, Target: strconv.Itoa(i)})
	}
	// The writer holds at most one entry (its stuck batch); the queue four.
	if st := r.Stats(); st.Dropped < 15 {
		t.Errorf("dropped %d, want ≥ 15", st.Dropped)
	}
	close(g.gate)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	st := r.Stats()
	if st.Written+st.Dropped != 20 {
		t.Errorf("stats %+v", st)
	}
	if got := droppedReported(t, g); got != st.Dropped {
		t.Errorf("the trail reports %d dropped, the counter %d", got, st.Dropped)
	}
	if rep := mustCheck(t, g); !rep.OK() {
		t.Error(rep.First)
	}
	r.Record(Entry{Time: t0, Actor: Public, Action: VerifyCode})
	if r.Stats().Dropped != st.Dropped+1 {
		t.Error("Record after Close was not counted as dropped")
	}
}

// TestRecorderFailures: a batch the store refuses is counted and reported;
// an entry Append would refuse is set aside without costing its batch.
func TestRecorderFailures(t *testing.T) {
	t.Parallel()
	gate := make(chan struct{})
	close(gate)
	boom := errors.New("disk full")
	g := &gated{Store: store.NewMemory(), gate: gate, err: boom}
	var mu sync.Mutex
	var heard []error
	r := NewRecorder(g, RecorderOptions{OnError: func(err error) { mu.Lock(); heard = append(heard, err); mu.Unlock() }})
	r.Record(Entry{Time: t0, Actor: Public, Action: VerifyCode})
	r.Record(Entry{Time: t0, Actor: "", Action: VerifyCode}) // no actor
	if err := r.Close(); !errors.Is(err, boom) {
		t.Errorf("Close = %v", err)
	}
	if st := r.Stats(); st.Failed != 1 || st.Invalid != 1 || st.Written != 0 {
		t.Errorf("stats %+v", st)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(heard) != 2 || !errors.Is(heard[0], ErrInvalid) || !errors.Is(heard[1], boom) {
		t.Errorf("OnError heard %v", heard)
	}
}

// TestRecorderInterval: entries are written without Close, within the
// interval (no timing threshold: it waits as long as the test may run).
func TestRecorderInterval(t *testing.T) {
	t.Parallel()
	s := store.NewMemory()
	r := NewRecorder(s, RecorderOptions{Interval: 5 * time.Millisecond})
	defer r.Close()
	r.Record(Entry{Time: t0, Actor: Public, Action: VerifyCode})
	for r.Stats().Written == 0 {
		time.Sleep(time.Millisecond)
	}
	if rep := mustCheck(t, s); rep.Entries != 1 {
		t.Errorf("%+v", rep)
	}
}

func countActions(t *testing.T, s store.Store) map[Action]int {
	t.Helper()
	out := map[Action]int{}
	err := s.View(context.Background(), func(tx store.Tx) error {
		return tx.ForEachLog(1, func(_ uint64, rec []byte) error {
			e, err := Decode(rec)
			out[e.Action]++
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func droppedReported(t *testing.T, s store.Store) uint64 {
	t.Helper()
	var n uint64
	err := s.View(context.Background(), func(tx store.Tx) error {
		return tx.ForEachLog(1, func(_ uint64, rec []byte) error {
			e, err := Decode(rec)
			if err == nil && e.Action == RecordsDropped {
				c, _ := strconv.ParseUint(e.Details["count"], 10, 64)
				n += c
			}
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
