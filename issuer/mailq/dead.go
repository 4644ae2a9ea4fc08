package mailq

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/minedu-cla/cla/atomicfile"
)

// bury moves a message to dead/: first <id>.reason (why, when, after how
// many attempts), then the message itself as <id>.msg. The reason may
// quote the server's reply, which can name the address; it lives beside
// the message, which holds it anyway, and goes when the message goes.
func (q *Queue) bury(id string, attempts int, cause error) error {
	now := q.opt.Now()
	reason := fmt.Sprintf("id: %s\ndead: %s\nattempts: %d\nreason: %s\n",
		id, now.UTC().Format(recordTime), attempts, truncate(cause.Error(), maxReasonLen))
	name := id + ".reason"
	if err := atomicfile.WriteFile(filepath.Join(q.deadDir, name), []byte(reason), 0o600); err != nil {
		return err
	}
	// The file's time is the burial time on the queue's clock: PruneDead
	// reads it back.
	if err := os.Chtimes(filepath.Join(q.deadDir, name), now, now); err != nil {
		return err
	}
	if err := os.Rename(q.spoolPath(id), filepath.Join(q.deadDir, id+".msg")); err != nil {
		return err
	}
	if err := errors.Join(atomicfile.SyncDir(q.deadDir), atomicfile.SyncDir(q.dir)); err != nil {
		return err
	}
	q.mu.Lock()
	q.stats.dead++
	q.mu.Unlock()
	q.log.Error("mail dead-lettered", "id", id, "attempts", attempts, "reason", redact(cause.Error()))
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// PruneDead deletes dead letters buried longer than DeadRetention ago and
// returns how many it deleted. Run calls it hourly.
func (q *Queue) PruneDead() (int, error) {
	reasons, err := filepath.Glob(filepath.Join(q.deadDir, "*.reason"))
	if err != nil {
		return 0, err
	}
	cutoff := q.opt.Now().Add(-q.opt.DeadRetention)
	n := 0
	var errs []error
	for _, r := range reasons {
		fi, err := os.Stat(r)
		if err != nil || !fi.ModTime().Before(cutoff) {
			continue
		}
		msg := strings.TrimSuffix(r, ".reason") + ".msg"
		if err := os.Remove(msg); err != nil && !os.IsNotExist(err) {
			errs = append(errs, err)
			continue
		}
		errs = append(errs, os.Remove(r))
		n++
	}
	q.mu.Lock()
	q.stats.dead = countDead(q.deadDir)
	q.mu.Unlock()
	return n, errors.Join(append(errs, atomicfile.SyncDir(q.deadDir))...)
}

// pruneEvery runs PruneDead now and then every interval until stop closes.
func (q *Queue) pruneEvery(interval time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := q.PruneDead(); err != nil {
			q.log.Error("mail dead-letter prune failed", "err", err)
		} else if n > 0 {
			q.log.Info("mail dead letters deleted", "count", n)
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

// Requeue moves a dead letter back into the queue, for an operator who
// fixed what made the server refuse it (a relay that denied relaying, a
// full mailbox). It is delivered like a new message, keeping its id and
// its enqueue time.
func (q *Queue) Requeue(id string) error {
	if !validID(id) {
		return fmt.Errorf("%w: bad message id", ErrInvalidMessage)
	}
	dead := filepath.Join(q.deadDir, id+".msg")
	h, err := readHead(dead)
	if err != nil {
		return fmt.Errorf("mail: requeue %s: %w", id, err)
	}
	if err := os.Rename(dead, q.spoolPath(id)); err != nil {
		return fmt.Errorf("mail: requeue %s: %w", id, err)
	}
	if err := errors.Join(os.Remove(filepath.Join(q.deadDir, id+".reason")), atomicfile.SyncDir(q.dir), atomicfile.SyncDir(q.deadDir)); err != nil {
		q.log.Warn("mail requeue: reason not removed", "id", id, "err", err)
	}
	q.mu.Lock()
	q.stats.dead--
	q.mu.Unlock()
	q.insert(&entry{id: id, enqueued: h.Enqueued, due: q.opt.Now()})
	q.log.Info("mail requeued", "id", id)
	return nil
}
