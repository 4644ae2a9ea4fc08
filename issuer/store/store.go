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

	"github.com/minedu-cla/cla/crypto/credential"
)

// ErrNotFound: no such record.
var ErrNotFound = errors.New("store: not found")

// State is where a constancia stands.
type State string

// States.
const (
	Active     State = "active"
	Revoked    State = "revoked"
	Superseded State = "superseded" // replaced by a newer version after the records changed
	Cancelled  State = "cancelled"  // personal data removed at the holder's request (Ley 29733)
)

// Requester is who asked for a constancia.
type Requester string

// Requesters.
const (
	Adult    Requester = "adult"    // the student, 18 or older
	Guardian Requester = "guardian" // a parent or registered tutor of a minor
)

// Constancia is one issued constancia.
type Constancia struct {
	ID      uint64 `json:"id"`
	Code    string `json:"code"` // canonical virtual code
	Version int    `json:"version"`
	// StudentKey identifies the student without their document number:
	// an HMAC of it under the issuer's secret (see Keyed).
	StudentKey  string             `json:"student_key"`
	Student     credential.Student `json:"student"`
	RecordDoc   []byte             `json:"record_doc"` // the signed full record
	QRText      string             `json:"qr_text"`
	ContentHash []byte             `json:"content_hash"` // of the records, to tell "unchanged"
	StatusIndex uint64             `json:"status_index"`
	IssuedAt    time.Time          `json:"issued_at"`
	KeyID       []byte             `json:"kid"`
	State       State              `json:"state"`
	// Reason of a revocation; it stays on the issuer (never published).
	Reason       string    `json:"reason,omitempty"`
	ChangedAt    time.Time `json:"changed_at,omitzero"`
	SupersededBy uint64    `json:"superseded_by,omitempty"`
	// For anonymised statistics: who asked, the department (2-digit
	// RENIEC code) of their address, the highest level the record reaches
	// (1 inicial, 2 primaria, 3 secundaria); and the terms they accepted.
	Requester    Requester `json:"requester"`
	Level        uint8     `json:"level"`
	Department   string    `json:"department"`
	TermsVersion string    `json:"terms_version"`
	TermsAt      time.Time `json:"terms_at"`
	// Email is where the holder asked the constancia to be sent; kept
	// while the constancia is in force, only to tell them of a reissue
	// (rectification, a compromised key). Cancellation removes it.
	Email string `json:"email,omitempty"`
	// Opposed: the holder opposed processing beyond the constancia itself
	// (or withdrew consent): it is left out of the statistics and its
	// statistical facts are cleared.
	Opposed bool `json:"opposed,omitempty"`
}

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
	Constancia(id uint64) (*Constancia, error)
	ByCode(code string) (*Constancia, error)
	// ByStudent returns the newest version for a student key.
	ByStudent(key string) (*Constancia, error)
	ByIndex(index uint64) (*Constancia, error)
	// PutConstancia inserts (ID 0: a new ID is assigned and set) or
	// replaces a constancia, keeping the indexes in step.
	PutConstancia(c *Constancia) error
	// DeleteConstancia removes a constancia and its indexes.
	DeleteConstancia(id uint64) error
	// ForEach calls f for every constancia in ID order until f errs.
	ForEach(f func(*Constancia) error) error

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

// Compacter is a Store that can rewrite its file with only the live data,
// so that deleted records leave no bytes behind (see Bolt.Compact).
type Compacter interface {
	Compact() error
}
