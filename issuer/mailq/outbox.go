package mailq

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/minedu-cla/cla/atomicfile"
)

// Outbox is the Sender used when no SMTP server is configured (the
// development default): each message becomes <id>.eml in a folder, written
// atomically, so a file with that name is always a complete message that a
// mail client opens. Delivering the same id again rewrites the same file,
// so an outbox never holds a message twice.
type Outbox struct {
	dir string
}

// NewOutbox makes the folder (0700: it holds personal data) if needed and
// deletes the temporary files a crash left in it. One process writes an
// outbox.
func NewOutbox(dir string) (*Outbox, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("mail: outbox: %w", err)
	}
	if err := atomicfile.RemoveTemps(dir); err != nil {
		return nil, fmt.Errorf("mail: outbox: %w", err)
	}
	return &Outbox{dir: dir}, nil
}

// Dir returns the outbox folder.
func (o *Outbox) Dir() string { return o.dir }

// Send writes msg to <dir>/<id>.eml. A failed write (disk full) is
// ErrUnavailable: the queue pauses and retries.
func (o *Outbox) Send(ctx context.Context, env Envelope, msg []byte) error {
	if !validID(env.ID) {
		return fmt.Errorf("%w: outbox: bad message id", ErrRejected)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(o.dir, env.ID+".eml"), msg, 0o600); err != nil {
		return fmt.Errorf("%w: outbox: %w", ErrUnavailable, err)
	}
	return nil
}
