// Package store is the issuer's database, db_micertificado: the
// constancias it issued (only what a constancia shows, plus what the
// issuer needs to manage it), the revocation status list and its history,
// and small metadata. A bbolt file by default, behind an interface with a
// conformance suite so another backend (PostgreSQL) can take its place.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// ErrNotFound: no such record.
var ErrNotFound = errors.New("store: not found")

// Status is the revocation status list as the issuer keeps it.
type Status struct {
	// Bits are the revoked indices (bit i of the W3C bit order).
	Bits []byte
	// Seq and Doc are the last published (signed) list.
	Seq         uint64
	PublishedAt time.Time
	Doc         []byte
}

// Change is what one published seq changed.
type Change struct {
	Seq     uint64   `json:"seq"`
	Set     []uint64 `json:"set,omitempty"`
	Cleared []uint64 `json:"cleared,omitempty"`
}

// Tx is a transaction. Its methods may be called only inside the closure
// given to View or Update.
type Tx interface {
	Constancia(id uint64) (*constancia.Issued, error)
	ByCode(code string) (*constancia.Issued, error)
	// ByStudent returns the newest version for a student key.
	ByStudent(key string) (*constancia.Issued, error)
	ByIndex(index uint64) (*constancia.Issued, error)
	// PutConstancia inserts (ID 0: a new ID is assigned and set) or
	// replaces a constancia, keeping the indexes in step.
	PutConstancia(c *constancia.Issued) error
	// DeleteConstancia removes a constancia and its indexes.
	DeleteConstancia(id uint64) error
	// Versions returns every version of a student's constancia (student
	// key), oldest first, through an index: no scan of the others.
	Versions(studentKey string) ([]*constancia.Issued, error)
	// ForEach calls f for every constancia in ID order until f errs.
	ForEach(f func(*constancia.Issued) error) error

	Status() (*Status, error)
	PutStatus(s *Status) error
	// IndexUsed reports whether a status index is taken: by a constancia,
	// or revoked (a cancelled constancia leaves its bit set forever, and
	// the index is never handed out again). It reads without copying the
	// list: issuing calls it on every allocation.
	IndexUsed(index uint64) (bool, error)
	// AddChange records what seq changed; Changes returns those after seq.
	AddChange(c Change) error
	Changes(after uint64) ([]Change, error)

	// AppendLog appends a record to the append-only log (the audit
	// trail) and returns its seq (from 1). Log records are never changed
	// or deleted through this interface.
	AppendLog(record []byte) (uint64, error)
	// LastLog returns the newest log record and its seq (0, nil when empty).
	LastLog() (uint64, []byte, error)
	// ForEachLog calls f for each log record from seq from, in order.
	ForEachLog(from uint64, f func(seq uint64, record []byte) error) error

	Meta(key string) ([]byte, error)
	PutMeta(key string, value []byte) error
	DeleteMeta(key string) error
	// ForEachMeta calls f for each key with prefix, in key order.
	ForEachMeta(prefix string, f func(key string, value []byte) error) error

	// AddMail queues an e-mail (see Mail), giving it its ID; it is sent
	// only if the transaction commits. PutMail replaces one, Mail reads
	// one, DeleteMail removes one, Mails visits all in ID order.
	AddMail(m *Mail) error
	PutMail(m *Mail) error
	Mail(id uint64) (*Mail, error)
	DeleteMail(id uint64) error
	Mails(f func(*Mail) error) error
}

// Store runs transactions. Update is atomic and durable: after it returns
// nil, a crash loses nothing; after an error, nothing of it happened.
type Store interface {
	View(ctx context.Context, f func(Tx) error) error
	Update(ctx context.Context, f func(Tx) error) error
	// Batch is Update for many concurrent callers: their transactions
	// may share one commit (one fsync). f may run more than once, so it
	// must not have effects outside the transaction.
	Batch(ctx context.Context, f func(Tx) error) error
	Close() error
}

// ViewOne runs f, a read of one lookup (one record, or an index and its
// record), as View does. On PostgreSQL it runs with no transaction around
// it, since one statement sees one snapshot: one round trip to the
// server, not two, on the path of every verification by code. There a
// second lookup in f is an error.
func ViewOne(ctx context.Context, s Store, f func(Tx) error) error {
	if o, ok := s.(oneReader); ok {
		return o.viewOne(ctx, f)
	}
	return s.View(ctx, f)
}

// oneReader is a Store with a cheaper way to run a read of one statement.
type oneReader interface {
	viewOne(ctx context.Context, f func(Tx) error) error
}

// Compacter is a Store that can rewrite its file with only the live data,
// so that deleted records leave no bytes behind (see Bolt.Compact).
type Compacter interface {
	Compact() error
}
