// Package trust holds a verifier's trust data — the keyset chain and the
// status list — as verified, immutable snapshots. Every change (a sync, a
// bundle) builds a new State from the old one and fails without touching
// it, so the caller commits the new state only once everything in it has
// been checked: signatures, seq order (anti-rollback), chain links.
package trust

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/crypto/status"
)

var (
	// ErrRollback: the offered data is older than what is held.
	ErrRollback = errors.New("trust: older than the trust data held (rollback)")
	// ErrUpToDate: the offered data is what is held already.
	ErrUpToDate = errors.New("trust: nothing newer than the trust data held")
	// ErrNoKeyset: a status list cannot be checked without a keyset.
	ErrNoKeyset = errors.New("trust: no keyset held yet")
	// ErrFork: a document with the seq of one held, but other bytes.
	ErrFork = errors.New("trust: differs from the document held at the same seq")
)

// State is verified trust data. Treat it as immutable.
type State struct {
	roots []ed25519.PublicKey
	// Keyset is the newest keyset; KeysetDocs the chain held, ascending.
	Keyset     *keyset.Keyset
	KeysetDocs [][]byte
	// List is the current status list, and StatusHead the last signed
	// statement about it: the list document, or the delta that made it
	// (which signs the digest of the bits it produces).
	List       *status.List
	StatusHead []byte
	// ListDoc and DeltaDocs are the history that rebuilds List (a full
	// list and the deltas since), kept to export bundles. Nil when a
	// verifier holds the list without a usable history (see Restore); the
	// next sync then fetches the full list.
	ListDoc   []byte
	DeltaDocs [][]byte
	// Floor is the newest issued_at seen in any document: a clock behind
	// it has been wound back.
	Floor time.Time
}

// New returns an empty state trusting the given root keys.
func New(roots []ed25519.PublicKey) *State { return &State{roots: slices.Clone(roots)} }

// Roots returns the pinned root keys.
func (s *State) Roots() []ed25519.PublicKey { return s.roots }

func (s *State) clone() *State {
	c := *s
	c.KeysetDocs = slices.Clone(s.KeysetDocs)
	c.DeltaDocs = slices.Clone(s.DeltaDocs)
	return &c
}

func (s *State) raise(t time.Time) {
	if t.After(s.Floor) {
		s.Floor = t
	}
}

// WithKeysets returns the state with the keyset chain docs applied (see
// docs/FORMAT.md for the rules). Documents the state already holds are
// skipped; a document at a held seq with other bytes is ErrFork. When the
// newest keyset no longer vouches for the held status list (its key was
// declared compromised), the list is dropped.
func (s *State) WithKeysets(docs [][]byte) (*State, error) {
	if len(docs) == 0 {
		return nil, fmt.Errorf("%w: no keyset", keyset.ErrMalformed)
	}
	var fresh [][]byte
	for _, d := range docs {
		ks, err := keyset.Open(d, s.roots)
		if err != nil {
			return nil, err
		}
		if held := s.heldKeyset(ks.Seq); held != nil {
			if !bytes.Equal(held, d) {
				return nil, fmt.Errorf("%w: keyset %d", ErrFork, ks.Seq)
			}
			continue
		}
		fresh = append(fresh, d)
	}
	if len(fresh) == 0 {
		return nil, ErrUpToDate
	}
	var prevDoc []byte
	if s.Keyset != nil {
		prevDoc = s.KeysetDocs[len(s.KeysetDocs)-1]
	}
	last, _, err := keyset.FollowsChain(s.Keyset, prevDoc, fresh, s.roots)
	if err != nil {
		if errors.Is(err, keyset.ErrRollback) {
			return nil, fmt.Errorf("%w: %w", ErrRollback, err)
		}
		return nil, err
	}
	next := s.clone()
	next.Keyset = last
	next.KeysetDocs = append(next.KeysetDocs, fresh...)
	next.raise(last.IssuedAt)
	if next.List != nil {
		next.reopenList()
	}
	return next, nil
}

// heldKeyset returns the held document of seq, or nil.
func (s *State) heldKeyset(seq uint64) []byte {
	if s.Keyset == nil || seq > s.Keyset.Seq {
		return nil
	}
	// The chain held is contiguous and ends at s.Keyset.Seq.
	i := len(s.KeysetDocs) - 1 - int(s.Keyset.Seq-seq)
	if i < 0 {
		return nil // before the first keyset this verifier took
	}
	return s.KeysetDocs[i]
}

// reopenList re-verifies the held list under the current keyset: its
// signed statement, then its history. A list whose statement the keyset
// no longer vouches for (its key was declared compromised) is dropped; a
// history that no longer verifies is dropped alone.
func (s *State) reopenList() {
	l, err := status.OpenHead(s.StatusHead, s.List.Bits(), s.Keyset)
	if err != nil {
		s.List, s.StatusHead, s.ListDoc, s.DeltaDocs = nil, nil, nil, nil
		return
	}
	s.List = l
	if !chainMakes(s.Keyset, s.ListDoc, s.DeltaDocs, l) {
		s.ListDoc, s.DeltaDocs = nil, nil
	}
}

// chainMakes reports whether the list document and deltas verify under
// keys and build exactly want.
func chainMakes(keys keyset.Lookup, listDoc []byte, deltas [][]byte, want *status.List) bool {
	if listDoc == nil {
		return false
	}
	l, err := status.Open(listDoc, keys)
	for _, d := range deltas {
		if err != nil {
			return false
		}
		var delta *status.Delta
		if delta, err = status.OpenDelta(d, keys); err == nil {
			l, err = l.Apply(delta)
		}
	}
	return err == nil && l.Seq == want.Seq && l.IssuedAt.Equal(want.IssuedAt) && bytes.Equal(l.Digest(), want.Digest())
}

// WithList returns the state with the status list doc, which must be newer
// than the list held (anti-rollback).
func (s *State) WithList(doc []byte) (*State, error) {
	if s.Keyset == nil {
		return nil, ErrNoKeyset
	}
	l, err := status.Open(doc, s.Keyset)
	if err != nil {
		return nil, err
	}
	if s.List != nil {
		switch {
		case l.Seq < s.List.Seq:
			return nil, fmt.Errorf("%w: status list %d, holding %d", ErrRollback, l.Seq, s.List.Seq)
		case l.Seq == s.List.Seq && bytes.Equal(l.Digest(), s.List.Digest()):
			return nil, ErrUpToDate
		case l.Seq == s.List.Seq:
			return nil, fmt.Errorf("%w: status list %d", ErrFork, l.Seq)
		}
	}
	next := s.clone()
	next.List, next.StatusHead, next.ListDoc, next.DeltaDocs = l, doc, doc, nil
	next.raise(l.IssuedAt)
	return next, nil
}

// WithDelta returns the state with a status delta applied.
func (s *State) WithDelta(doc []byte) (*State, error) {
	if s.List == nil {
		return nil, errors.New("trust: no status list to apply a delta to")
	}
	d, err := status.OpenDelta(doc, s.Keyset)
	if err != nil {
		return nil, err
	}
	if d.ToSeq <= s.List.Seq {
		return nil, fmt.Errorf("%w: delta to %d, holding %d", ErrRollback, d.ToSeq, s.List.Seq)
	}
	l, err := s.List.Apply(d)
	if err != nil {
		return nil, err
	}
	next := s.clone()
	next.List, next.StatusHead = l, doc
	if next.ListDoc != nil {
		next.DeltaDocs = append(next.DeltaDocs, doc)
	}
	next.raise(l.IssuedAt)
	return next, nil
}
