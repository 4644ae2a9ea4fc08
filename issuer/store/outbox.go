package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Mail is an e-mail waiting in the outbox: the transactional outbox of
// the issuer. It is written in the same transaction as what it tells of
// (a constancia issued, resent or reissued), so a constancia is never
// stored without its e-mail, nor an e-mail queued for a constancia that a
// failed transaction did not store. The message itself is not kept: it is
// made again from the constancia when it is sent (PDFs are made the same
// way from the signed record), so the outbox holds an address and an id,
// not a copy of the constancia.
type Mail struct {
	ID uint64 // assigned by AddMail, in order
	// MessageID names the message (its Message-ID header): the same on
	// every attempt, so a receiver can tell a resend after a crash from a
	// new message.
	MessageID  string
	Constancia uint64 // the constancia whose code and PDF it carries
	To         string // the address the holder gave
	Created    time.Time
	// Due is when the next attempt may start (zero: at once).
	Due      time.Time
	Attempts int    // attempts the server deferred
	Error    string // the last failure (a class and the server's code; no address)
	// Dead: given up (refused for good, or deferred for too long); kept
	// for the administrator until the retention ends, never sent.
	Dead bool
}

// bOutbox holds the mails: id → a value that starts with its due time (8
// bytes, big-endian microseconds since 1970; all ones for a dead one), so
// PostgreSQL can pick due mails without decoding, then the CBOR Mail.
const bOutbox = "outbox"

func mailValue(m *Mail) ([]byte, error) {
	due := uint64(max(m.Due.UnixMicro(), 0))
	if m.Dead {
		due = math.MaxUint64
	}
	data, err := recEnc.Marshal(m)
	if err != nil {
		return nil, err
	}
	return append(binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(data)), due), data...), nil
}

func decodeMail(v []byte) (*Mail, error) {
	if len(v) < 8 {
		return nil, fmt.Errorf("store: outbox record of %d bytes", len(v))
	}
	m := &Mail{}
	if err := recDec.Unmarshal(v[8:], m); err != nil {
		return nil, fmt.Errorf("store: outbox record: %w", err)
	}
	return m, nil
}

// dueKey is the 8-byte prefix of a mail value due at t.
func dueKey(t time.Time) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(max(t.UnixMicro(), 0)))
}

// AddMail queues m, giving it its ID.
func (t kvTx) AddMail(m *Mail) error {
	seq, err := t.b(bOutbox).NextSequence()
	if err != nil {
		return err
	}
	m.ID = seq
	return t.PutMail(m)
}

// PutMail replaces a queued mail (its ID set).
func (t kvTx) PutMail(m *Mail) error {
	if m.ID == 0 {
		return errors.New("store: PutMail without an ID")
	}
	v, err := mailValue(m)
	if err != nil {
		return err
	}
	return t.b(bOutbox).Put(u64(m.ID), v)
}

// Mail returns one queued mail.
func (t kvTx) Mail(id uint64) (*Mail, error) {
	v := t.b(bOutbox).Get(u64(id))
	if v == nil {
		return nil, ErrNotFound
	}
	return decodeMail(v)
}

// DeleteMail removes a mail, sent or not.
func (t kvTx) DeleteMail(id uint64) error { return t.b(bOutbox).Delete(u64(id)) }

// Mails calls f for every mail in ID order, dead ones too, until f errs.
func (t kvTx) Mails(f func(*Mail) error) error {
	return t.b(bOutbox).ForEach(nil, func(_, v []byte) error {
		m, err := decodeMail(v)
		if err != nil {
			return err
		}
		return f(m)
	})
}

// Outbox is a Store whose mails can be taken for delivery, by several
// deliverers at once, in this process or (PostgreSQL) in others.
type Outbox interface {
	// TakeMail finds the oldest live mail due at now that no other
	// deliverer holds, and calls deliver with it while holding it. What
	// deliver returns is stored: nil deletes the mail (sent, or nothing
	// left to send), a Mail replaces it (attempts, the next due time,
	// dead). TakeMail reports false when no mail was due. If the process
	// dies while deliver runs, the mail is not lost: it is taken again
	// (PostgreSQL: by any replica, as soon as the dead one's connection
	// drops; bbolt: at the next start), and sent again: delivery is at
	// least once.
	TakeMail(ctx context.Context, now time.Time, deliver func(*Mail) *Mail) (bool, error)
}

// localOutbox takes mails for a store that one process owns (bbolt, the
// test memory): the set of mails being delivered is in memory.
type localOutbox struct {
	mu   sync.Mutex
	busy map[uint64]bool
}

func (l *localOutbox) take(ctx context.Context, s Store, now time.Time, deliver func(*Mail) *Mail) (bool, error) {
	var m *Mail
	l.mu.Lock()
	err := s.View(ctx, func(tx Tx) error {
		err := tx.Mails(func(c *Mail) error {
			if c.Dead || c.Due.After(now) || l.busy[c.ID] {
				return nil
			}
			m = c
			return errStop
		})
		if errors.Is(err, errStop) {
			return nil
		}
		return err
	})
	if m != nil {
		if l.busy == nil {
			l.busy = map[uint64]bool{}
		}
		l.busy[m.ID] = true
	}
	l.mu.Unlock()
	if err != nil || m == nil {
		return false, err
	}
	defer func() {
		l.mu.Lock()
		delete(l.busy, m.ID)
		l.mu.Unlock()
	}()
	next := deliver(m)
	// Settled even when ctx ended during the delivery: a message the
	// server accepted is deleted, not sent again. Batched: settling
	// deliverers share a commit with each other and with issuances.
	return true, s.Batch(context.WithoutCancel(ctx), func(tx Tx) error {
		if _, err := tx.Mail(m.ID); errors.Is(err, ErrNotFound) {
			return nil // erased meanwhile (a data-subject request): stays erased
		}
		if next == nil {
			return tx.DeleteMail(m.ID)
		}
		if next.ID != m.ID {
			next.ID = m.ID
		}
		return tx.PutMail(next)
	})
}

// TakeMail implements Outbox.
func (b *Bolt) TakeMail(ctx context.Context, now time.Time, deliver func(*Mail) *Mail) (bool, error) {
	return b.outbox.take(ctx, b, now, deliver)
}

// TakeMail implements Outbox.
func (m *Memory) TakeMail(ctx context.Context, now time.Time, deliver func(*Mail) *Mail) (bool, error) {
	return m.outbox.take(ctx, m, now, deliver)
}

// TakeMail implements Outbox with a row lock: the mail's row is locked
// (FOR UPDATE SKIP LOCKED, so deliverers in every replica pass each
// other's) for as long as deliver runs, in a transaction that takes no
// writer lock, then deleted or updated in it. A replica that dies
// mid-delivery loses its connection, and with it the lock.
func (p *Postgres) TakeMail(ctx context.Context, now time.Time, deliver func(*Mail) *Mail) (bool, error) {
	tx, err := p.pool.Begin(ctx)
	if err != nil {
		return false, fmt.Errorf("store: %w", err)
	}
	defer tx.Rollback(context.Background())
	var k, v []byte
	err = tx.QueryRow(ctx, `SELECT key, value FROM kv WHERE bucket = $1 AND substring(value FROM 1 FOR 8) <= $2
		ORDER BY key LIMIT 1 FOR UPDATE SKIP LOCKED`, bOutbox, dueKey(now)).Scan(&k, &v)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: %w", err)
	}
	m, err := decodeMail(v)
	if err != nil {
		return false, err
	}
	next := deliver(m)
	settle, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if next == nil {
		_, err = tx.Exec(settle, `DELETE FROM kv WHERE bucket = $1 AND key = $2`, bOutbox, k)
	} else {
		if next.ID != m.ID {
			next.ID = m.ID
		}
		if v, err = mailValue(next); err == nil {
			_, err = tx.Exec(settle, `UPDATE kv SET value = $3 WHERE bucket = $1 AND key = $2`, bOutbox, k, v)
		}
	}
	if err == nil {
		err = tx.Commit(settle)
	}
	if err != nil {
		return true, fmt.Errorf("store: settling mail %d: %w", m.ID, err)
	}
	return true, nil
}

// MailStats counts the outbox for the health endpoint (no addresses).
type MailStats struct {
	Queued   int       `json:"queued"`   // live mails, waiting or being sent
	Retrying int       `json:"retrying"` // of those, deferred at least once
	Dead     int       `json:"dead"`     // given up, kept for the administrator
	Oldest   time.Time `json:"oldest"`   // when the oldest live one was queued; zero if none
}

// CountMail reads the outbox's counters.
func CountMail(ctx context.Context, s Store) (MailStats, error) {
	var st MailStats
	err := s.View(ctx, func(tx Tx) error {
		return tx.Mails(func(m *Mail) error {
			switch {
			case m.Dead:
				st.Dead++
			default:
				st.Queued++
				if m.Attempts > 0 {
					st.Retrying++
				}
				if st.Oldest.IsZero() || m.Created.Before(st.Oldest) {
					st.Oldest = m.Created
				}
			}
			return nil
		})
	})
	return st, err
}
