package mailq

import (
	"context"
	"sync"
	"time"
)

// Run delivers queued messages until ctx is done, then cancels the
// deliveries in flight, waits for them and returns nil. Messages are
// dispatched in enqueue order among those due, at most Concurrency at
// once. Run may be started again after it returns; two at once is
// ErrRunning.
func (q *Queue) Run(ctx context.Context) error {
	if !q.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer q.running.Store(false)
	stop := make(chan struct{})
	pruned := make(chan struct{})
	go func() { defer close(pruned); q.pruneEvery(pruneInterval, stop) }()
	var wg sync.WaitGroup
	q.dispatch(ctx, &wg)
	wg.Wait()
	close(stop)
	<-pruned
	return nil
}

// dispatch hands due messages to delivery goroutines, holding one of
// Concurrency slots each, and sleeps until the next is due, a slot frees
// or Enqueue adds one.
func (q *Queue) dispatch(ctx context.Context, wg *sync.WaitGroup) {
	slots := make(chan struct{}, q.opt.Concurrency)
	for {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return
		}
		e, wait := q.next()
		if e == nil {
			<-slots
			if !q.sleep(ctx, wait) {
				return
			}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			q.deliver(ctx, e)
			<-slots
			q.signal()
		}()
	}
}

// next marks the oldest due message busy and returns it, or returns how
// long until one is due (negative: nothing is waiting, or a probe of an
// unreachable server is in flight and its end will signal).
func (q *Queue) next() (*entry, time.Duration) {
	now := q.opt.Now()
	q.mu.Lock()
	defer q.mu.Unlock()
	if now.Before(q.pausedUntil) {
		return nil, q.pausedUntil.Sub(now)
	}
	if q.outages > 0 && q.inFlight > 0 {
		return nil, -1 // after an outage, one message at a time tests the server
	}
	var soonest time.Time
	for _, e := range q.entries {
		switch {
		case e.busy:
		case !e.due.After(now):
			e.busy = true
			q.inFlight++
			return e, 0
		case soonest.IsZero() || e.due.Before(soonest):
			soonest = e.due
		}
	}
	if soonest.IsZero() {
		return nil, -1
	}
	return nil, soonest.Sub(now)
}

// sleep waits for d (forever if negative), a signal or ctx; it reports
// false when ctx is done.
func (q *Queue) sleep(ctx context.Context, d time.Duration) bool {
	var timer <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-ctx.Done():
		return false
	case <-q.wake:
	case <-timer:
	}
	return true
}
