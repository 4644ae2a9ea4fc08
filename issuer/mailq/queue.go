package mailq

import (
	"cmp"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mathrand "math/rand/v2"
	netmail "net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/minedu-cla/cla/atomicfile"
)

// Options configures a Queue. From and Sender are required.
type Options struct {
	From   string // "Ministerio de Educación <constancias@minedu.gob.pe>"
	Sender Sender // an *SMTP, or an *Outbox when no server is configured

	Concurrency   int           // deliveries at once; default 4
	Retry         Backoff       // default DefaultBackoff (30 s doubling to 1 h, ±20 %)
	MaxAge        time.Duration // a deferred message older than this is dead; default 7 days
	DeadRetention time.Duration // dead letters are deleted after this; default 30 days

	Now    func() time.Time // default time.Now
	Jitter func() float64   // uniform in [0, 1); default math/rand/v2
	Rand   io.Reader        // message ids; default crypto/rand
	Logger *slog.Logger     // default slog.Default()
}

func (o *Options) fill() {
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Retry == (Backoff{}) {
		o.Retry = DefaultBackoff
	}
	o.Retry = o.Retry.orDefault()
	o.MaxAge = orDuration(o.MaxAge, DefaultMaxAge)
	o.DeadRetention = orDuration(o.DeadRetention, DefaultDeadRetention)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Jitter == nil {
		o.Jitter = mathrand.Float64
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// Queue is a durable mail queue over a spool folder: <dir>/<id>.msg for
// each message not yet delivered, <dir>/dead/ for those given up on.
type Queue struct {
	dir, deadDir string
	opt          Options
	from         *netmail.Address
	log          *slog.Logger
	wake         chan struct{}
	running      atomic.Bool

	mu          sync.Mutex
	entries     []*entry // in enqueue order
	pausedUntil time.Time
	outages     int // consecutive ErrUnavailable failures
	inFlight    int // entries marked busy
	stats       counters
}

// entry is the in-memory state of one spooled message. Attempts and the
// next due time live only here: after a restart every message is due at
// once, and MaxAge counts from the enqueue time kept in the file.
type entry struct {
	id       string
	enqueued time.Time
	attempts int
	due      time.Time
	busy     bool
}

var errNoSender = errors.New("mail: queue needs From and Sender")

// Open makes the spool folder if needed, deletes temporary files a crash
// left, and loads every spooled message, oldest first. Messages can be
// enqueued at once; they are delivered while Run runs.
func Open(dir string, opt Options) (*Queue, error) {
	if opt.Sender == nil || opt.From == "" {
		return nil, errNoSender
	}
	from, err := parseAddress(opt.From)
	if err != nil {
		return nil, fmt.Errorf("mail: From: %w", err)
	}
	opt.fill()
	q := &Queue{
		dir: dir, deadDir: filepath.Join(dir, "dead"), opt: opt, from: from,
		log: opt.Logger.With("component", "mail"), wake: make(chan struct{}, 1),
	}
	for _, d := range []string{q.dir, q.deadDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("mail: spool: %w", err)
		}
		if err := atomicfile.RemoveTemps(d); err != nil {
			return nil, fmt.Errorf("mail: spool: %w", err)
		}
	}
	if err := q.load(); err != nil {
		return nil, err
	}
	return q, nil
}

// Enqueue renders m, stores it durably and returns its id. When Enqueue
// returns nil the message is on disk (fsynced file and folder) and will be
// delivered even if the process dies the next instant.
func (q *Queue) Enqueue(m *Message) (string, error) {
	c, err := m.check()
	if err != nil {
		return "", err
	}
	now := q.opt.Now()
	id, err := newID(now, q.opt.Rand)
	if err != nil {
		return "", err
	}
	raw, err := c.render(Meta{From: q.from, Date: now, ID: id})
	if err != nil {
		return "", err
	}
	to := make([]string, len(c.to))
	for i, a := range c.to {
		to[i] = a.Address
	}
	rec := record{ID: id, Enqueued: now, From: q.from.Address, To: to, Msg: raw}
	if err := atomicfile.WriteFile(filepath.Join(q.dir, id+".msg"), rec.encode(), 0o600); err != nil {
		return "", fmt.Errorf("mail: spool: %w", err)
	}
	q.add(&entry{id: id, enqueued: now, due: now})
	q.log.Info("mail queued", "id", id, "rcpt", hashAll(to), "bytes", len(raw))
	return id, nil
}

func (q *Queue) add(e *entry) {
	q.mu.Lock()
	q.entries = append(q.entries, e)
	q.mu.Unlock()
	q.signal()
}

// insert adds e in enqueue-time order (a requeued message is older than
// those queued since).
func (q *Queue) insert(e *entry) {
	q.mu.Lock()
	i, _ := slices.BinarySearchFunc(q.entries, e, byEnqueued)
	q.entries = slices.Insert(q.entries, i, e)
	q.mu.Unlock()
	q.signal()
}

func byEnqueued(a, b *entry) int {
	return cmp.Or(a.enqueued.Compare(b.enqueued), strings.Compare(a.id, b.id))
}

// signal wakes Run without blocking.
func (q *Queue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *Queue) spoolPath(id string) string { return filepath.Join(q.dir, id+".msg") }
