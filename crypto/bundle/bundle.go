// Package bundle packs the trust data a verifier needs — the keyset chain
// and the status list with its deltas — into one file, for offices that
// never get online: the issuer exports one, a USB stick carries it, and a
// verifier imports it with exactly the checks of an online sync. A verifier
// can export one too, to pass its data on.
//
// The container itself is not signed — a verifier that re-exports holds no
// signing key — but everything in it is: each keyset is root-signed, the
// list and deltas are signed by an issuer key. Tampering with the container
// can only drop or swap signed documents, which the importer's seq checks
// (anti-rollback) and signature checks catch.
package bundle

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/minedu-cla/cla/crypto/dcbor"
)

// Magic starts every bundle file, so people and programs can tell it.
const Magic = "CLA-BUNDLE/1\n"

// MaxSize caps a bundle file: a century of keysets and a 16-Mbit list are
// far below it.
const MaxSize = 32 << 20

// ErrMalformed wraps every decoding failure.
var ErrMalformed = errors.New("bundle: not a CLA trust bundle")

// Bundle is the decoded container. Documents stay in their signed form.
type Bundle struct {
	CreatedAt time.Time
	// Keysets are keyset documents in ascending seq: the whole history,
	// so a verifier at any seq can link to the newest.
	Keysets [][]byte
	// List is a status list document, or nil.
	List []byte
	// Deltas are status delta documents to apply to List, in order.
	Deltas [][]byte
}

type wire struct {
	CreatedAt uint64   `cbor:"1,keyasint"`
	Keysets   [][]byte `cbor:"2,keyasint"`
	List      []byte   `cbor:"3,keyasint,omitempty"`
	Deltas    [][]byte `cbor:"4,keyasint,omitempty"`
}

// Marshal returns the bundle file.
func (b *Bundle) Marshal() ([]byte, error) {
	if len(b.Keysets) == 0 {
		return nil, errors.New("bundle: no keyset")
	}
	if b.List == nil && len(b.Deltas) > 0 {
		return nil, errors.New("bundle: deltas without a list")
	}
	body, err := dcbor.Marshal(wire{CreatedAt: uint64(max(b.CreatedAt.Unix(), 0)), Keysets: b.Keysets,
		List: b.List, Deltas: b.Deltas})
	if err != nil {
		return nil, err
	}
	return append([]byte(Magic), body...), nil
}

// Parse decodes a bundle file. It checks the container only; the importer
// verifies every document in it.
func Parse(data []byte) (*Bundle, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%w: over %d bytes", ErrMalformed, MaxSize)
	}
	body, ok := bytes.CutPrefix(data, []byte(Magic))
	if !ok {
		return nil, fmt.Errorf("%w: no %q header", ErrMalformed, Magic[:len(Magic)-1])
	}
	var w wire
	if err := dcbor.Unmarshal(body, &w); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if len(w.Keysets) == 0 {
		return nil, fmt.Errorf("%w: no keyset", ErrMalformed)
	}
	if w.List == nil && len(w.Deltas) > 0 {
		return nil, fmt.Errorf("%w: deltas without a list", ErrMalformed)
	}
	return &Bundle{CreatedAt: time.Unix(int64(min(w.CreatedAt, 253402300799)), 0).UTC(), Keysets: w.Keysets,
		List: w.List, Deltas: w.Deltas}, nil
}
