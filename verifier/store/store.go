// Package store keeps a verifier's trust data on disk: the keyset chain, the
// status list and its deltas, exactly as signed, plus the time floor and
// sync metadata. It stores; it does not trust: a verifier re-verifies what
// it loads (trust.Restore), so a file edited at rest is caught.
package store

import (
	"context"
	"errors"
	"time"
)

// ErrDamaged: the store file is not a sound bbolt file (cut short, a page
// overwritten, not a store at all). Nothing in it is used; Quarantine moves
// it aside so a fresh store can be started.
var ErrDamaged = errors.New("store: the trust store file is damaged")

// ErrFloorBackwards: a save would lower the time floor. Trust data only
// moves forward; this is a second line behind the verifier's own checks.
var ErrFloorBackwards = errors.New("store: the time floor cannot move backwards")

// Snapshot is everything a verifier keeps: the trust data as
// trust.Stored describes it, and local notes.
type Snapshot struct {
	KeysetDocs [][]byte
	// KeysetHead is the newest keyset, the end the chain must reach.
	KeysetHead []byte
	// StatusHead is the last signed statement about the status list Bits.
	StatusHead []byte
	Bits       []byte
	// ListDoc and DeltaDocs are the list's history, for exports.
	ListDoc   []byte
	DeltaDocs [][]byte
	// Floor is the newest issued_at seen (anti clock-rollback).
	Floor time.Time
	Sync  SyncInfo
}

// SyncInfo records the last sync.
type SyncInfo struct {
	// LastAttempt and LastSuccess are local clock times.
	LastAttempt, LastSuccess time.Time
	// LastError is the last failure in English, "" after a success.
	LastError string
	// Source is the issuer URL or the bundle file last used.
	Source string
	// ETags of the issuer's trust endpoints, by path.
	ETags map[string]string
}

// Store persists snapshots. Save replaces the whole snapshot atomically:
// after a crash, Load returns the old one or the new one, never a mix.
type Store interface {
	Load(ctx context.Context) (*Snapshot, error)
	Save(ctx context.Context, s *Snapshot) error
}
