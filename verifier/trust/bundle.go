package trust

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"github.com/minedu-cla/cla/crypto/bundle"
	"github.com/minedu-cla/cla/crypto/status"
)

// ErrListRejected: the keysets of a bundle or sync were taken, its status
// list was not (the returned state holds the new keysets). Learning that a
// key was compromised must never wait for a good list.
var ErrListRejected = errors.New("trust: keysets updated, status list refused")

// Import returns the state with everything in b applied, with exactly the
// checks of a sync. A bundle older than the data held is refused
// (ErrRollback); one that brings nothing new is ErrUpToDate. When its
// keysets are new but its list fails, for any reason (an older list
// included), Import returns the state with the keysets and an error
// wrapping ErrListRejected and the reason: learning about a compromise
// never waits for a good list.
func (s *State) Import(b *bundle.Bundle) (*State, error) {
	next, changed := s, false
	n, err := next.WithKeysets(b.Keysets)
	switch {
	case err == nil:
		next, changed = n, true
	case !errors.Is(err, ErrUpToDate):
		return nil, err
	}
	if b.List != nil {
		n, err := next.withListChain(b.List, b.Deltas)
		switch {
		case err == nil:
			next, changed = n, true
		case errors.Is(err, ErrUpToDate):
		case changed:
			return next, fmt.Errorf("%w: %w", ErrListRejected, err)
		default:
			return nil, err
		}
	}
	if !changed {
		return nil, ErrUpToDate
	}
	return next, nil
}

// withListChain builds the list that doc and deltas make, on its own, then
// takes it if it is newer than the list held.
func (s *State) withListChain(doc []byte, deltas [][]byte) (*State, error) {
	scratch := s.clone()
	scratch.List, scratch.StatusHead, scratch.ListDoc, scratch.DeltaDocs = nil, nil, nil, nil
	scratch, err := scratch.WithList(doc)
	if err != nil {
		return nil, err
	}
	for _, d := range deltas {
		if scratch, err = scratch.WithDelta(d); err != nil {
			return nil, err
		}
	}
	if s.List != nil {
		switch got, held := scratch.List, s.List; {
		case got.Seq < held.Seq:
			return nil, fmt.Errorf("%w: status list %d, holding %d", ErrRollback, got.Seq, held.Seq)
		case got.Seq == held.Seq && bytes.Equal(got.Digest(), held.Digest()):
			return nil, ErrUpToDate
		case got.Seq == held.Seq:
			return nil, fmt.Errorf("%w: status list %d", ErrFork, got.Seq)
		}
	}
	scratch.raise(s.Floor)
	return scratch, nil
}

// MaxHistory is how many deltas a verifier keeps after a full list: past
// it, a sync fetches the full list again, so the history (what a restore
// replays) stays short.
const MaxHistory = 64

// ErrNoHistory: the status list is held without the full list and deltas
// that rebuild it (see Restore), so it cannot be exported until a sync.
var ErrNoHistory = errors.New("trust: the status list's history is not held; sync with the issuer first")

// Export returns the state as a bundle made at now.
func (s *State) Export(now time.Time) (*bundle.Bundle, error) {
	if s.List != nil && s.ListDoc == nil {
		return nil, ErrNoHistory
	}
	return &bundle.Bundle{CreatedAt: now.UTC(), Keysets: s.KeysetDocs, List: s.ListDoc, Deltas: s.DeltaDocs}, nil
}

// ErrDamaged: stored trust data that is not what the issuer signed, or
// not all of it: a record missing, edited, or swapped for another.
var ErrDamaged = errors.New("trust: the stored trust data is not what the issuer signed")

// Stored is trust data as a store keeps it. Every part is bound by an
// issuer signature: the keyset chain ends at KeysetHead (signed by a
// root); Bits is the status list, StatusHead the last signed statement
// about it (a list document, or the delta that signs the digest of Bits);
// ListDoc and DeltaDocs are the list's history, kept to export bundles.
type Stored struct {
	KeysetDocs [][]byte
	KeysetHead []byte
	StatusHead []byte
	Bits       []byte
	ListDoc    []byte
	DeltaDocs  [][]byte
	// Floor is the newest issued_at seen (local, unsigned: it only ever
	// raises the bar, see Freshness).
	Floor time.Time
}

// Stored returns what a store keeps of s.
func (s *State) Stored() Stored {
	d := Stored{KeysetDocs: s.KeysetDocs, StatusHead: s.StatusHead, ListDoc: s.ListDoc, DeltaDocs: s.DeltaDocs, Floor: s.Floor}
	if n := len(s.KeysetDocs); n > 0 {
		d.KeysetHead = s.KeysetDocs[n-1]
	}
	if s.List != nil {
		d.Bits = s.List.Bits()
	}
	return d
}

// Restore re-verifies stored trust data from scratch: what a verifier does
// on start, so a store edited at rest gives either a signature failure or
// an older signed state, never a newer or mixed one.
//
// The keyset chain must verify and end exactly at KeysetHead; the status
// list is Bits under StatusHead's signature (status.OpenHead). A part that
// fails is dropped with an error wrapping ErrDamaged, and the state holds
// what did verify: keysets without a list when only the list fails, so
// codes are still told forged or genuine but none is called valid. A
// history that does not rebuild the list is dropped alone: verdicts do
// not use it, and the next sync fetches the full list.
func Restore(roots []ed25519.PublicKey, d Stored) (*State, error) {
	s := New(roots)
	s.Floor = d.Floor
	if len(d.KeysetDocs) == 0 && d.KeysetHead == nil && d.StatusHead == nil && d.Bits == nil && d.ListDoc == nil && len(d.DeltaDocs) == 0 {
		return s, nil
	}
	if n := len(d.KeysetDocs); n == 0 || !bytes.Equal(d.KeysetDocs[n-1], d.KeysetHead) {
		return s, fmt.Errorf("%w: the keyset chain does not end at the keyset held", ErrDamaged)
	}
	ks, err := s.WithKeysets(d.KeysetDocs)
	if err != nil {
		return s, fmt.Errorf("%w: keysets: %w", ErrDamaged, err)
	}
	if d.StatusHead == nil {
		if d.Bits != nil || d.ListDoc != nil || len(d.DeltaDocs) > 0 {
			return ks, fmt.Errorf("%w: a status list without its signed statement", ErrDamaged)
		}
		return ks, nil
	}
	l, err := status.OpenHead(d.StatusHead, d.Bits, ks.Keyset)
	if err != nil {
		return ks, fmt.Errorf("%w: status list: %w", ErrDamaged, err)
	}
	next := ks.clone()
	next.List, next.StatusHead = l, d.StatusHead
	next.raise(l.IssuedAt)
	if chainMakes(next.Keyset, d.ListDoc, d.DeltaDocs, l) {
		next.ListDoc, next.DeltaDocs = d.ListDoc, d.DeltaDocs
	}
	return next, nil
}
