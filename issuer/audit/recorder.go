package audit

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/minedu-cla/cla/issuer/store"
)

// Recorder writes high-volume entries (verification by code: tens of
// thousands a second at a peak) in the background, many to a transaction.
//
// Record never blocks the request: it puts the entry on a bounded queue,
// and when the queue is full the entry is dropped and counted (Stats). The
// next batch then starts with a System entry RecordsDropped whose "count"
// says how many were lost since the last one, so the trail itself shows
// where it is incomplete. A background goroutine appends the queue in
// batches of up to RecorderOptions.Batch entries, one transaction each,
// at least every RecorderOptions.Interval.
//
// Durability: an entry is on disk only once its batch commits, so a crash
// loses what was queued (at most the queue; normally one interval, 200 ms
// of verifications), and a failed commit loses its batch (counted as
// Failed, reported to OnError). That is the price of not putting an fsync
// on every verification. Issuance and admin actions must not go through a
// Recorder: their callers Append in their own transaction.
type Recorder struct {
	store store.Store
	opts  RecorderOptions
	queue chan Entry

	mu     sync.RWMutex // Record's read side, Close's write side
	closed bool
	stop   chan struct{}
	done   chan struct{}
	err    error // the last batch error, returned by Close

	dropped, reported, written, failed, invalid atomic.Uint64
}

// RecorderOptions tune a Recorder; zero values take the defaults.
type RecorderOptions struct {
	// Queue is how many entries may wait (default 65,536: 2–3 s of a
	// 25,000-a-second peak, ~10 MB).
	Queue int
	// Batch is the most entries in one transaction (default 500).
	Batch int
	// Interval is the longest an entry waits for a batch to fill
	// (default 200 ms).
	Interval time.Duration
	// Now stamps the RecordsDropped entries (default time.Now).
	Now func() time.Time
	// OnError hears of a batch that failed to commit or an entry Append
	// refused; it runs on the writer goroutine and must not block.
	OnError func(error)
}

// RecorderStats are the Recorder's counters since it started.
type RecorderStats struct {
	Queued  int    // waiting now
	Written uint64 // committed to the trail
	Dropped uint64 // lost because the queue was full (or after Close)
	Failed  uint64 // lost because their batch failed to commit
	Invalid uint64 // refused by Append (ErrInvalid)
}

// NewRecorder starts a Recorder writing to s. Close it to flush.
func NewRecorder(s store.Store, opts RecorderOptions) *Recorder {
	if opts.Queue <= 0 {
		opts.Queue = 1 << 16
	}
	if opts.Batch <= 0 {
		opts.Batch = 500
	}
	if opts.Interval <= 0 {
		opts.Interval = 200 * time.Millisecond
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.OnError == nil {
		opts.OnError = func(error) {}
	}
	r := &Recorder{store: s, opts: opts, queue: make(chan Entry, opts.Queue),
		stop: make(chan struct{}), done: make(chan struct{})}
	go r.run()
	return r
}

// Record queues e (Time set by the caller) without blocking; see Recorder
// for what happens when the queue is full.
func (r *Recorder) Record(e Entry) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		r.dropped.Add(1)
		return
	}
	select {
	case r.queue <- e:
	default:
		r.dropped.Add(1)
	}
}

// Stats returns the counters.
func (r *Recorder) Stats() RecorderStats {
	return RecorderStats{Queued: len(r.queue), Written: r.written.Load(), Dropped: r.dropped.Load(),
		Failed: r.failed.Load(), Invalid: r.invalid.Load()}
}

// Close writes what is queued and stops the Recorder. It returns the error
// of the last batch that failed, if any. Record after Close drops.
func (r *Recorder) Close() error {
	r.mu.Lock()
	if !r.closed {
		r.closed = true
		close(r.stop)
	}
	r.mu.Unlock()
	<-r.done
	return r.err
}

func (r *Recorder) run() {
	defer close(r.done)
	tick := time.NewTicker(r.opts.Interval)
	defer tick.Stop()
	batch := make([]Entry, 0, r.opts.Batch)
	for {
		select {
		case e := <-r.queue:
			if batch = append(batch, e); len(batch) == r.opts.Batch {
				batch = r.flush(batch)
			}
		case <-tick.C:
			batch = r.flush(batch)
		case <-r.stop:
			r.drain(batch)
			return
		}
	}
}

// drain writes everything left: after stop, no Record can add more.
func (r *Recorder) drain(batch []Entry) {
	for {
		select {
		case e := <-r.queue:
			if batch = append(batch, e); len(batch) == r.opts.Batch {
				batch = r.flush(batch)
			}
		default:
			r.flush(batch)
			return
		}
	}
}

// flush appends batch in one transaction and returns it emptied. Entries
// Append would refuse are taken out first: one bad entry must not cost
// the others their batch.
func (r *Recorder) flush(batch []Entry) []Entry {
	entries := make([]Entry, 0, len(batch)+1)
	drops := r.dropped.Load() - r.reported.Load()
	if drops > 0 {
		entries = append(entries, Entry{Time: r.opts.Now().UTC().Round(0), Actor: System, Action: RecordsDropped,
			Details: map[string]string{"count": strconv.FormatUint(drops, 10)}})
	}
	for _, e := range batch {
		n, err := normalize(e)
		if err != nil {
			r.invalid.Add(1)
			r.opts.OnError(err)
			continue
		}
		entries = append(entries, n)
	}
	if len(entries) == 0 {
		return batch[:0]
	}
	// Update, not Batch: bbolt's Batch waits up to 10 ms for other
	// callers to share the commit, which caps this one goroutine, that
	// batches already, at ~32,000 entries a second; Update takes it to
	// 120,000–240,000 (BenchmarkAppend500 and …StoreBatch).
	err := r.store.Update(context.Background(), func(tx store.Tx) error {
		return appendAll(tx, entries)
	})
	recorded := uint64(len(entries))
	if drops > 0 {
		recorded-- // the RecordsDropped entry is not one of theirs
	}
	if err != nil {
		r.failed.Add(recorded)
		r.err = err
		r.opts.OnError(err)
		return batch[:0]
	}
	r.reported.Add(drops)
	r.written.Add(recorded)
	return batch[:0]
}

// appendAll appends normalized entries after the last record, reading it
// once.
func appendAll(tx store.Tx, entries []Entry) error {
	c, err := openChain(tx)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if _, err := c.append(tx, e); err != nil { // e is normalized
			return err
		}
	}
	return c.saveHead(tx)
}
