package trust

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"github.com/minedu-cla/cla/crypto/bundle"
)

// ErrListRejected: the keysets of a bundle or sync were taken, its status
// list was not (the returned state holds the new keysets). Learning that a
// key was compromised must never wait for a good list.
var ErrListRejected = errors.New("trust: keysets updated, status list refused")

// Import returns the state with everything in b applied, with exactly the
// checks of a sync. A bundle older than the data held is refused
// (ErrRollback); one that brings nothing new is ErrUpToDate. When its
// keysets are new but its list fails, Import returns the state with the
// keysets and an error wrapping ErrListRejected.
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
		case changed && !errors.Is(err, ErrRollback):
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
	scratch.List, scratch.ListDoc, scratch.DeltaDocs = nil, nil, nil
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

// Export returns the state as a bundle made at now.
func (s *State) Export(now time.Time) *bundle.Bundle {
	return &bundle.Bundle{CreatedAt: now.UTC(), Keysets: s.KeysetDocs, List: s.ListDoc, Deltas: s.DeltaDocs}
}

// Restore re-verifies stored trust data from scratch: what a verifier does
// on start, so a file altered at rest is caught, not trusted.
func Restore(roots []ed25519.PublicKey, keysetDocs [][]byte, listDoc []byte, deltaDocs [][]byte, floor time.Time) (*State, error) {
	s := New(roots)
	s.Floor = floor
	if len(keysetDocs) == 0 {
		return s, nil
	}
	s, err := s.WithKeysets(keysetDocs)
	if err != nil {
		return nil, err
	}
	if listDoc == nil {
		return s, nil
	}
	return s.withListChain(listDoc, deltaDocs)
}
