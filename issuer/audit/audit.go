// Package audit is the issuer's audit trail: who did what and when, as Ley
// 29733 and its regulation ask (logins and logouts, every admin action,
// every issuance, every verification by code, every key operation).
//
// Entries are appended to the store's append-only log and chained: each
// carries the SHA-256 of the one before, and its own hash covers that
// link, so changing, removing or reordering an entry breaks the chain at
// that entry, and Check names it. The exact bytes hashed are documented in
// record.go and docs/AUDIT.md, so an auditor can recompute every hash from
// an Export with a few lines of any language.
//
// Entries carry minimal personal data: a staff user name (an account, not
// a citizen), constancia IDs and virtual codes, and for a citizen at most
// Subject, a keyed hash of the document number. Never a DNI or a name.
//
// Issuance and admin actions are written with Append inside the caller's
// transaction, so the action and its record commit together or not at
// all. High-volume events (verification by code) go through a Recorder,
// which batches them in the background and may lose the last batch on a
// crash (see Recorder).
package audit

import (
	"errors"
	"time"
)

// Errors.
var (
	// ErrInvalid: an entry Append refuses (no time, no actor, a bad
	// action code, a field over its limit).
	ErrInvalid = errors.New("audit: invalid entry")
	// ErrMalformed: a log record that does not decode; Check reports it
	// as Undecodable.
	ErrMalformed = errors.New("audit: malformed record")
)

// Actors that are not staff users.
const (
	Public = "public" // anyone on the public pages or API
	System = "system" // the issuer itself: schedulers, the Recorder
)

// Entry is one record of the audit trail.
type Entry struct {
	Seq  uint64    // position in the log, from 1; set by Append
	Time time.Time // when it happened; given by the caller, stored in UTC
	// Actor is a staff user name, Public or System.
	Actor string
	// Role is the staff role the actor acted in ("admin", "registrar",
	// "auditor"), "" for Public and System.
	Role   string
	Action Action
	// Target is what was acted on: a constancia ID or code, a user name,
	// a key ID, a request number, a Subject. Never a DNI or a name.
	Target string
	// Details are small facts about the action ("reason", "result",
	// "kid"), under the same rule as Target. Record and Append take the
	// map over: do not change it afterwards.
	Details map[string]string
	Prev    []byte // SHA-256 of the previous entry (32 zero bytes for the first); set by Append
	Hash    []byte // SHA-256 of this entry's record body; set by Append
}
