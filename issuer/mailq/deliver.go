package mailq

import (
	"context"
	"errors"
	"os"
	"slices"
	"time"

	"github.com/minedu-cla/cla/atomicfile"
)

// deliver reads one message from the spool, hands it to the Sender and
// settles the outcome.
func (q *Queue) deliver(ctx context.Context, e *entry) {
	data, err := os.ReadFile(q.spoolPath(e.id))
	if errors.Is(err, os.ErrNotExist) {
		q.drop(e) // removed by hand: nothing to deliver
		return
	}
	if err != nil {
		q.unavailable(e, err)
		return
	}
	rec, err := decodeRecord(data)
	if err != nil {
		q.giveUp(e, err)
		return
	}
	err = q.opt.Sender.Send(ctx, Envelope{ID: rec.ID, From: rec.From, To: rec.To}, rec.Msg)
	switch {
	case err == nil:
		q.sent(e)
	case ctx.Err() != nil:
		q.release(e) // shutting down: not the message's fault, not charged
	case errors.Is(err, ErrRejected):
		q.giveUp(e, err)
	case errors.Is(err, ErrDeferred):
		q.deferred(e, err)
	default:
		q.unavailable(e, err)
	}
}

// sent deletes the delivered message: the spool keeps no copy. If the
// process dies before the delete is durable, the message is sent again
// after the restart (at-least-once).
func (q *Queue) sent(e *entry) {
	err := os.Remove(q.spoolPath(e.id))
	if err == nil {
		err = atomicfile.SyncDir(q.dir)
	}
	if err != nil {
		q.log.Error("mail sent but not deleted from the spool; it may be sent again after a restart", "id", e.id, "err", err)
	}
	q.mu.Lock()
	q.stats.sent++
	q.outages = 0
	q.pausedUntil = q.opt.Now() // a working server ends any pause
	q.mu.Unlock()
	q.drop(e)
	q.log.Info("mail sent", "id", e.id, "attempts", e.attempts+1)
}

// deferred schedules a retry, or gives up once the message is older than
// MaxAge.
func (q *Queue) deferred(e *entry, cause error) {
	now := q.opt.Now()
	q.mu.Lock()
	e.attempts++
	q.stats.failures++
	expired := now.Sub(e.enqueued) >= q.opt.MaxAge
	delay := q.opt.Retry.Delay(e.attempts, q.opt.Jitter())
	if !expired {
		e.due = now.Add(delay)
		q.setIdle(e)
	}
	q.mu.Unlock()
	if expired {
		q.giveUp(e, &expiredError{age: now.Sub(e.enqueued), last: cause})
		return
	}
	q.log.Warn("mail deferred", "id", e.id, "attempt", e.attempts, "retry_in", delay, "err", redact(cause.Error()))
}

// unavailable pauses the whole queue: the server is down or misconfigured,
// so every message would fail the same way. The message keeps its place
// and is not charged. The pause follows Retry, capped at maxPause, and
// then a single message probes the server until one gets through.
func (q *Queue) unavailable(e *entry, cause error) {
	now := q.opt.Now()
	q.mu.Lock()
	q.stats.failures++
	var pause time.Duration
	if !now.Before(q.pausedUntil) {
		q.outages++
		b := q.opt.Retry
		b.Max = min(b.Max, maxPause)
		pause = b.Delay(q.outages, q.opt.Jitter())
		q.pausedUntil = now.Add(pause)
	}
	q.setIdle(e)
	q.mu.Unlock()
	if pause > 0 {
		q.log.Warn("mail server unavailable; pausing deliveries", "id", e.id, "pause", pause, "err", redact(cause.Error()))
	}
}

// giveUp buries the message. If even that fails (disk), it stays queued
// and is retried like a deferral.
func (q *Queue) giveUp(e *entry, cause error) {
	if err := q.bury(e.id, e.attempts+1, cause); err != nil {
		q.log.Error("mail dead-letter failed", "id", e.id, "err", err)
		q.unavailable(e, err)
		return
	}
	q.drop(e)
}

func (q *Queue) release(e *entry) {
	q.mu.Lock()
	q.setIdle(e)
	q.mu.Unlock()
}

// setIdle ends e's delivery; q.mu is held.
func (q *Queue) setIdle(e *entry) {
	if e.busy {
		e.busy = false
		q.inFlight--
	}
}

// drop forgets an entry.
func (q *Queue) drop(e *entry) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.setIdle(e)
	if i := slices.Index(q.entries, e); i >= 0 {
		q.entries = slices.Delete(q.entries, i, i+1)
	}
}
