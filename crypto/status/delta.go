package status

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/dcbor"
	"github.com/minedu-cla/cla/crypto/keyset"
)

// DeltaContentType is the protected content type of a delta document.
const DeltaContentType = "application/vnd.cla.status-delta+cbor"

var (
	// ErrSeq: a delta that does not start at the list's seq.
	ErrSeq = errors.New("status: delta does not start at the list's seq")
	// ErrDiverged: the delta applied, but the result is not the list the
	// issuer has: this copy diverged; fetch the full list.
	ErrDiverged = errors.New("status: the list diverged from the issuer's; fetch the full list")
)

// Delta moves a list from FromSeq to ToSeq. Digest is the SHA-256 of the
// resulting bitstring, so a verifier whose copy diverged finds out at
// once and falls back to the full list.
type Delta struct {
	FromSeq, ToSeq       uint64
	IssuedAt, NextUpdate time.Time
	// Set and Cleared are ascending indices, disjoint.
	Set, Cleared []uint64
	Digest       []byte
}

type wireDelta struct {
	FromSeq    uint64   `cbor:"1,keyasint"`
	ToSeq      uint64   `cbor:"2,keyasint"`
	IssuedAt   uint64   `cbor:"3,keyasint"`
	NextUpdate uint64   `cbor:"4,keyasint"`
	Set        []uint64 `cbor:"5,keyasint"`
	Cleared    []uint64 `cbor:"6,keyasint"`
	Digest     []byte   `cbor:"7,keyasint"`
}

// Diff returns the delta from old to new (same size, higher seq).
func Diff(old, new *List) (*Delta, error) {
	if len(old.bits) != len(new.bits) || new.Seq <= old.Seq {
		return nil, errors.New("status: lists of different sizes, or seqs not ascending")
	}
	d := &Delta{FromSeq: old.Seq, ToSeq: new.Seq, IssuedAt: new.IssuedAt, NextUpdate: new.NextUpdate,
		Set: []uint64{}, Cleared: []uint64{}, Digest: new.Digest()}
	for i := range new.bits {
		changed := old.bits[i] ^ new.bits[i]
		for b := 0; changed != 0; b++ {
			if changed&0x80 != 0 {
				idx := uint64(i)*8 + uint64(b)
				if new.bits[i]&(0x80>>b) != 0 {
					d.Set = append(d.Set, idx)
				} else {
					d.Cleared = append(d.Cleared, idx)
				}
			}
			changed <<= 1
		}
	}
	return d, nil
}

// Sign returns the delta document signed by priv.
func (d *Delta) Sign(priv ed25519.PrivateKey) ([]byte, error) {
	if err := d.validate(); err != nil {
		return nil, err
	}
	payload, err := dcbor.Marshal(wireDelta{d.FromSeq, d.ToSeq, unix(d.IssuedAt), unix(d.NextUpdate),
		d.Set, d.Cleared, d.Digest})
	if err != nil {
		return nil, err
	}
	return cose.SignDocument(priv, DeltaContentType, payload)
}

// OpenDelta decodes a delta document and verifies it under the signing key
// it names, which must be in keys and valid at the delta's issued_at.
func OpenDelta(doc []byte, keys keyset.Lookup) (*Delta, error) {
	var w wireDelta
	m, err := decode(doc, DeltaContentType, &w)
	if err != nil {
		return nil, err
	}
	if w.NextUpdate > maxUnix {
		return nil, fmt.Errorf("%w: next_update out of range", ErrMalformed)
	}
	d := &Delta{FromSeq: w.FromSeq, ToSeq: w.ToSeq, IssuedAt: fromUnix(w.IssuedAt), NextUpdate: fromUnix(w.NextUpdate),
		Set: w.Set, Cleared: w.Cleared, Digest: w.Digest}
	if err := d.validate(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if err := checkSigner(m, keys, d.IssuedAt); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *Delta) validate() error {
	switch {
	case d.ToSeq <= d.FromSeq:
		return errors.New("to_seq not after from_seq")
	case !d.IssuedAt.Before(d.NextUpdate):
		return errors.New("next_update not after issued_at")
	case d.Set == nil || d.Cleared == nil:
		return errors.New("set or cleared missing")
	case len(d.Digest) != 32:
		return errors.New("digest is not 32 bytes")
	case !strictlyAscending(d.Set) || !strictlyAscending(d.Cleared):
		return errors.New("indices not strictly ascending")
	}
	for _, i := range d.Set {
		if _, found := slices.BinarySearch(d.Cleared, i); found {
			return fmt.Errorf("index %d both set and cleared", i)
		}
	}
	return nil
}

func strictlyAscending(s []uint64) bool {
	for i := 1; i < len(s); i++ {
		if s[i] <= s[i-1] {
			return false
		}
	}
	return true
}

// Apply returns a copy of l moved forward by d; l is left unchanged, so a
// delta that fails halfway changes nothing. The checks run in the order of
// docs/FORMAT.md, the first failure wins: from_seq (ErrSeq), then every
// index below the list's size (ErrMalformed wrapping ErrIndex), then the
// digest (ErrDiverged).
func (l *List) Apply(d *Delta) (*List, error) {
	if d.FromSeq != l.Seq {
		return nil, fmt.Errorf("%w: delta from %d, list at %d", ErrSeq, d.FromSeq, l.Seq)
	}
	next := l.Clone()
	for _, i := range d.Set {
		if err := next.Set(i, true); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
	}
	for _, i := range d.Cleared {
		if err := next.Set(i, false); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
	}
	if !bytes.Equal(next.Digest(), d.Digest) {
		return nil, ErrDiverged
	}
	next.Seq, next.IssuedAt, next.NextUpdate = d.ToSeq, d.IssuedAt, d.NextUpdate
	return next, nil
}

// OpenHead returns the list that a verifier keeps as a bitstring and the
// last signed statement about it: a list document (which carries its own
// bits; bits, if given, must be the same) or a delta document, whose
// signed digest must be the SHA-256 of bits. Either way every bit and
// every number of the list is bound by an issuer signature: an edited
// bitstring, or a statement swapped for another, fails here.
func OpenHead(head, bits []byte, keys keyset.Lookup) (*List, error) {
	if _, err := cose.DecodeDocument(head, ContentType); err == nil {
		l, err := Open(head, keys)
		if err != nil {
			return nil, err
		}
		if bits != nil && !bytes.Equal(bits, l.bits) {
			return nil, ErrDiverged
		}
		return l, nil
	}
	d, err := OpenDelta(head, keys)
	if err != nil {
		return nil, err
	}
	l, err := FromBits(bits)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if !bytes.Equal(l.Digest(), d.Digest) {
		return nil, ErrDiverged
	}
	l.Seq, l.IssuedAt, l.NextUpdate = d.ToSeq, d.IssuedAt, d.NextUpdate
	return l, nil
}
