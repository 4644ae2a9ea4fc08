package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// group is a store's Batch: group commit. The calls that arrive while a
// write transaction of this process is under way share the next one (up
// to maxBatch), one commit (one fsync, or on PostgreSQL one take of the
// writer lock and one WAL flush) between them. Nothing waits for company
// (bbolt's own Batch waits up to 10 ms for it): a call that finds no
// transaction under way starts one at once. As bbolt's Batch, when one
// call's f fails the transaction is rolled back, that call runs alone
// (for its own result) and the others run again together; after an
// error of the store itself each runs alone.
type group struct {
	mu      sync.Mutex
	queue   []*groupCall
	leading bool
	batches atomic.Int64 // shared transactions run (tests)
}

// maxBatch bounds the calls one transaction runs: writers wait for all of
// them.
const maxBatch = 64

// batchTimeout bounds a shared transaction, as a request's is.
const batchTimeout = time.Minute

// groupCall is one Batch call; out gets its result, or the lead.
type groupCall struct {
	ctx context.Context
	f   func(Tx) error
	out chan groupOutcome
}

type groupOutcome struct {
	err  error
	lead bool
}

// do runs f in a transaction of update's, shared with the calls that
// queue meanwhile.
func (g *group) do(ctx context.Context, f func(Tx) error, update func(context.Context, func(Tx) error) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c := &groupCall{ctx: ctx, f: safely(f), out: make(chan groupOutcome, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, c)
	lead := !g.leading
	g.leading = true
	g.mu.Unlock()
	if !lead {
		// Waits for the result even if ctx ends meanwhile: the call may be
		// in a transaction under way, committed or not as a whole.
		if o := <-c.out; !o.lead {
			return result(o.err)
		}
	}
	// This call leads: it takes what has queued (itself among them), runs
	// it and hands the lead to the first of those that queued meanwhile
	// (whatever happens: a lead not handed on would stop every Batch).
	g.mu.Lock()
	n := min(len(g.queue), maxBatch)
	calls := slices.Clone(g.queue[:n])
	g.queue = slices.Delete(g.queue, 0, n)
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		if len(g.queue) > 0 {
			g.queue[0].out <- groupOutcome{lead: true}
		} else {
			g.leading = false
		}
		g.mu.Unlock()
	}()
	g.batches.Add(1)
	runGroup(calls, update)
	return result((<-c.out).err)
}

// panicked is a call's f that panicked, carried to its own caller.
type panicked struct{ value any }

func (p panicked) Error() string {
	return fmt.Sprint("store: a batched transaction panicked: ", p.value)
}

// safely runs f, turning a panic into a panicked error: f runs on the
// leading call's goroutine, which must go on to give every call of the
// batch its result.
func safely(f func(Tx) error) func(Tx) error {
	return func(tx Tx) (err error) {
		defer func() {
			if v := recover(); v != nil {
				err = panicked{v}
			}
		}()
		return f(tx)
	}
}

// result is a call's result as its caller gets it: a panic of its f
// panics again on the caller's goroutine, as an Update's would.
func result(err error) error {
	if p := (panicked{}); errors.As(err, &p) {
		panic(p.value)
	}
	return err
}

// runGroup runs calls in one transaction and gives each its result.
func runGroup(calls []*groupCall, update func(context.Context, func(Tx) error) error) {
	live := calls[:0:0]
	for _, c := range calls {
		if err := c.ctx.Err(); err != nil {
			c.out <- groupOutcome{err: err}
			continue
		}
		live = append(live, c)
	}
	switch len(live) {
	case 0:
		return
	case 1:
		live[0].out <- groupOutcome{err: update(live[0].ctx, live[0].f)}
		return
	}
	// The transaction is every caller's: it runs on the first one's
	// context without its cancellation (one caller leaving must not undo
	// the others' work), bounded in time.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(live[0].ctx), batchTimeout)
	defer cancel()
	var failed *groupCall
	err := update(ctx, func(tx Tx) error {
		failed = nil // f is the last attempt's, should update ever retry
		for _, c := range live {
			if err := c.f(tx); err != nil {
				failed = c
				return err
			}
		}
		return nil
	})
	switch {
	case err == nil:
		for _, c := range live {
			c.out <- groupOutcome{}
		}
	case failed != nil:
		failed.out <- groupOutcome{err: update(failed.ctx, failed.f)}
		runGroup(slices.DeleteFunc(live, func(c *groupCall) bool { return c == failed }), update)
	default:
		for _, c := range live {
			c.out <- groupOutcome{err: update(c.ctx, c.f)}
		}
	}
}
