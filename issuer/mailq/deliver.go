package mailq

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mathrand "math/rand/v2"
	netmail "net/mail"
	"runtime"
	"sync"
	"time"

	"github.com/minedu-cla/cla/issuer/store"
)

// Compose makes the message of a mail from what it names (the constancia
// is read again, its PDF made again). A nil Message with a nil error, or
// an error wrapping store.ErrNotFound, means there is nothing left to
// send (the constancia was erased): the mail is dropped.
type Compose func(ctx context.Context, m *store.Mail) (*Message, error)

// Options configures a Deliverer. Outbox, Store, Sender, From and
// Compose are required.
type Options struct {
	Outbox  store.Outbox
	Store   store.Store // the same database: pruning and counting
	Sender  Sender      // an *SMTP, or an *Outbox folder when no server is configured
	From    string      // "Ministerio de Educación <constancias@minedu.gob.pe>"
	Compose Compose

	Concurrency   int           // deliveries at once in this process; default 4
	Retry         Backoff       // default DefaultBackoff (30 s doubling to 1 h, ±20 %)
	MaxAge        time.Duration // a deferred mail older than this is dead; default 7 days
	DeadRetention time.Duration // dead mails are deleted after this; default 30 days
	// Poll is how often an idle deliverer looks for mail that another
	// process queued (Wake covers this process's); default 2 s.
	Poll time.Duration

	Now    func() time.Time // default time.Now
	Jitter func() float64   // uniform in [0, 1); default math/rand/v2
	Logger *slog.Logger     // default slog.Default()
}

// Deliverer sends the mails waiting in the store's outbox (store.Mail),
// each through the Sender, and settles each in the store: deleted once
// the server accepted it, rescheduled with backoff when the server
// deferred it, dead when it refused it for good. Several deliverers, in
// one process or in several replicas on one PostgreSQL database, share an
// outbox: each mail is held by one at a time.
//
// Delivery is at least once: a mail is deleted only after the server's
// acceptance, so a crash between the two sends it again, with the same
// Message-ID.
type Deliverer struct {
	opt  Options
	from *netmail.Address
	log  *slog.Logger
	wake chan struct{}
	// composing bounds the messages made at once (their PDFs are CPU):
	// half the cores, at least one, so a backlog of mail never takes the
	// CPU the requests need; sending (waiting on a server) is not bounded
	// by it.
	composing chan struct{}

	mu          sync.Mutex
	pausedUntil time.Time
	outages     int // consecutive ErrUnavailable failures
	sent, fails uint64
}

var errIncomplete = errors.New("mail: deliverer needs Outbox, Store, Sender, From and Compose")

// NewDeliverer checks opt and fills in its defaults.
func NewDeliverer(opt Options) (*Deliverer, error) {
	if opt.Outbox == nil || opt.Store == nil || opt.Sender == nil || opt.From == "" || opt.Compose == nil {
		return nil, errIncomplete
	}
	from, err := parseAddress(opt.From)
	if err != nil {
		return nil, fmt.Errorf("mail: From: %w", err)
	}
	if opt.Concurrency <= 0 {
		opt.Concurrency = DefaultConcurrency
	}
	opt.Retry = opt.Retry.orDefault()
	opt.MaxAge = orDuration(opt.MaxAge, DefaultMaxAge)
	opt.DeadRetention = orDuration(opt.DeadRetention, DefaultDeadRetention)
	opt.Poll = orDuration(opt.Poll, DefaultPoll)
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Jitter == nil {
		opt.Jitter = mathrand.Float64
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	return &Deliverer{opt: opt, from: from, log: opt.Logger.With("component", "mail"), wake: make(chan struct{}, 1),
		composing: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2))}, nil
}

// NewMessageID returns a new mail's MessageID, such as
// 20260301T142233.123456789Z-3f9a0c1b2d4e: its time, then 48 random
// bits, which keep two apart and make the Message-ID unguessable.
func NewMessageID(now time.Time, rand io.Reader) (string, error) { return newID(now, rand) }

// Wake tells the deliverer that this process queued a mail, so it need
// not wait for its next poll.
func (d *Deliverer) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx is done, then lets the deliveries in flight end
// (a cancelled one keeps its mail as it was) and returns.
func (d *Deliverer) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for range d.opt.Concurrency {
		wg.Go(func() { d.work(ctx) })
	}
	wg.Go(func() {
		for {
			if n, err := d.PruneDead(ctx); err != nil && ctx.Err() == nil {
				d.log.Error("mail: pruning dead mails", "err", err)
			} else if n > 0 {
				d.log.Info("dead mails deleted after their retention", "count", n)
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(pruneInterval):
			}
		}
	})
	wg.Wait()
}

func (d *Deliverer) work(ctx context.Context) {
	for ctx.Err() == nil {
		if wait := d.pause(); wait > 0 {
			d.sleep(ctx, wait)
			continue
		}
		// The composing slot first: a deliverer waiting for one holds no
		// mail (on PostgreSQL no connection and no transaction).
		select {
		case d.composing <- struct{}{}:
		case <-ctx.Done():
			return
		}
		held := true
		release := func() {
			if held {
				held = false
				<-d.composing
			}
		}
		took, err := d.opt.Outbox.TakeMail(ctx, d.opt.Now(), func(m *store.Mail) *store.Mail { return d.deliver(ctx, m, release) })
		release()
		if err != nil && ctx.Err() == nil {
			d.log.Error("mail: outbox", "err", err)
		}
		if !took || err != nil {
			d.sleep(ctx, d.opt.Poll)
		}
	}
}

func (d *Deliverer) pause() time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.pausedUntil.Sub(d.opt.Now())
}

func (d *Deliverer) sleep(ctx context.Context, wait time.Duration) {
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-d.wake:
		d.Wake() // pass it on: other workers may be idle too
	case <-t.C:
	}
}

// deliver composes and sends one mail and says what becomes of it; it
// calls composed once the message is made (the composing slot is free).
func (d *Deliverer) deliver(ctx context.Context, m *store.Mail, composed func()) *store.Mail {
	now := d.opt.Now()
	msg, err := d.opt.Compose(ctx, m)
	var raw []byte
	if err == nil && msg != nil {
		msg.To = []string{m.To}
		raw, err = Render(msg, Meta{From: d.from, Date: m.Created, ID: m.MessageID})
		if err != nil {
			composed()
			return d.dead(m, now, err) // it would fail the same way every time
		}
	}
	composed()
	if errors.Is(err, store.ErrNotFound) || err == nil && msg == nil {
		d.log.Info("mail dropped: nothing left to send", "id", m.MessageID)
		return nil
	}
	if err != nil {
		return d.deferred(m, now, fmt.Errorf("composing: %w", err))
	}
	err = d.opt.Sender.Send(ctx, Envelope{ID: m.MessageID, From: d.from.Address, To: []string{m.To}}, raw)
	switch {
	case err == nil:
		d.mu.Lock()
		d.sent++
		d.outages, d.pausedUntil = 0, time.Time{}
		d.mu.Unlock()
		d.log.Info("mail sent", "id", m.MessageID, "rcpt", HashAddress(m.To), "bytes", len(raw), "attempts", m.Attempts+1)
		return nil
	case ctx.Err() != nil:
		return m // shutting down: not the mail's fault, not charged
	case errors.Is(err, ErrRejected):
		return d.dead(m, now, err)
	case errors.Is(err, ErrDeferred):
		return d.deferred(m, now, err)
	}
	d.unavailable(m, now, err)
	return m
}

func (d *Deliverer) deferred(m *store.Mail, now time.Time, cause error) *store.Mail {
	d.count()
	if now.Sub(m.Created) >= d.opt.MaxAge {
		return d.dead(m, now, fmt.Errorf("expired after %s; last error: %w", now.Sub(m.Created).Round(time.Second), cause))
	}
	m.Attempts++
	delay := d.opt.Retry.Delay(m.Attempts, d.opt.Jitter())
	m.Due, m.Error = now.Add(delay), reason(cause)
	d.log.Warn("mail deferred", "id", m.MessageID, "attempt", m.Attempts, "retry_in", delay, "err", m.Error)
	return m
}

func (d *Deliverer) dead(m *store.Mail, now time.Time, cause error) *store.Mail {
	d.count()
	m.Dead, m.Due, m.Error = true, now, reason(cause)
	d.log.Error("mail dead-lettered", "id", m.MessageID, "attempts", m.Attempts+1, "err", m.Error)
	return m
}

// unavailable pauses this deliverer: the server is down or misconfigured,
// so every mail would fail the same way. The mail is not charged. The
// pause follows Retry, capped at maxPause; then the next mail probes.
func (d *Deliverer) unavailable(m *store.Mail, now time.Time, cause error) {
	d.count()
	d.mu.Lock()
	var pause time.Duration
	if !now.Before(d.pausedUntil) {
		d.outages++
		b := d.opt.Retry
		b.Max = min(b.Max, maxPause)
		pause = b.Delay(d.outages, d.opt.Jitter())
		d.pausedUntil = now.Add(pause)
	}
	d.mu.Unlock()
	if pause > 0 {
		d.log.Warn("mail server unavailable; pausing deliveries", "id", m.MessageID, "pause", pause, "err", reason(cause))
	}
}

func (d *Deliverer) count() {
	d.mu.Lock()
	d.fails++
	d.mu.Unlock()
}

// reason is a failure as the outbox keeps it: addresses hashed, bounded.
func reason(err error) string {
	s := redact(err.Error())
	if len(s) > maxReasonLen {
		s = s[:maxReasonLen]
	}
	return s
}

// PruneDead deletes the dead mails older than DeadRetention and returns
// how many.
func (d *Deliverer) PruneDead(ctx context.Context) (int, error) {
	cut := d.opt.Now().Add(-d.opt.DeadRetention)
	n := 0
	err := d.opt.Store.Update(ctx, func(tx store.Tx) error {
		n = 0
		var old []uint64
		if err := tx.Mails(func(m *store.Mail) error {
			if m.Dead && m.Due.Before(cut) {
				old = append(old, m.ID)
			}
			return nil
		}); err != nil {
			return err
		}
		for _, id := range old {
			if err := tx.DeleteMail(id); err != nil {
				return err
			}
		}
		n = len(old)
		return nil
	})
	return n, err
}

// Requeue makes every dead mail due again, as new (after the relay that
// refused them was fixed), and returns how many.
func Requeue(ctx context.Context, s store.Store, now time.Time) (int, error) {
	n := 0
	err := s.Update(ctx, func(tx store.Tx) error {
		n = 0
		var dead []*store.Mail
		if err := tx.Mails(func(m *store.Mail) error {
			if m.Dead {
				dead = append(dead, m)
			}
			return nil
		}); err != nil {
			return err
		}
		for _, m := range dead {
			m.Dead, m.Attempts, m.Due, m.Error, m.Created = false, 0, now, "", now
			if err := tx.PutMail(m); err != nil {
				return err
			}
		}
		n = len(dead)
		return nil
	})
	return n, err
}

// Stats is the outbox and this deliverer for the health endpoint.
type Stats struct {
	store.MailStats
	Sent     uint64 `json:"sent"`     // delivered by this process since it started
	Failures uint64 `json:"failures"` // failed attempts in this process
	// PausedUntil is set while the server is unreachable: this process's
	// deliveries wait until then.
	PausedUntil time.Time `json:"paused_until"`
}

// Stats counts the outbox (one read of it) and this deliverer.
func (d *Deliverer) Stats(ctx context.Context) (Stats, error) {
	ms, err := store.CountMail(ctx, d.opt.Store)
	d.mu.Lock()
	defer d.mu.Unlock()
	s := Stats{MailStats: ms, Sent: d.sent, Failures: d.fails}
	if d.opt.Now().Before(d.pausedUntil) {
		s.PausedUntil = d.pausedUntil
	}
	return s, err
}
