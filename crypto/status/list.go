// Package status implements the signed revocation status list: a bitstring
// where bit i set means the constancia with status-list index i is revoked,
// and the signed deltas that move a verifier's copy from one seq to the
// next without downloading the whole list.
package status

import (
	"bytes"
	"compress/zlib"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/bits"
	"time"

	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/dcbor"
	zinflate "github.com/minedu-cla/cla/crypto/inflate"
	"github.com/minedu-cla/cla/crypto/keyset"
)

// ContentType is the protected content type of a status list document.
const ContentType = "application/vnd.cla.status-list+cbor"

// Errors verifiers branch on.
var (
	// ErrMalformed wraps every decoding failure.
	ErrMalformed = errors.New("status: malformed status document")
	// ErrSignature: the signature does not verify under the named key.
	ErrSignature = errors.New("status: signature does not verify")
	// ErrIndex: an index beyond the end of the list.
	ErrIndex = errors.New("status: index out of range")
)

// List is a status list. Bit i is the most significant bit first: index i
// is bit 7-i%8 of byte i/8, as in the W3C Bitstring Status List.
type List struct {
	Seq        uint64
	IssuedAt   time.Time
	NextUpdate time.Time
	bits       []byte
}

type wireList struct {
	Seq        uint64 `cbor:"1,keyasint"`
	IssuedAt   uint64 `cbor:"2,keyasint"`
	NextUpdate uint64 `cbor:"3,keyasint"`
	Bits       []byte `cbor:"4,keyasint"`
}

// New returns an empty list of size bits (a multiple of 8, at least
// MinBits).
func New(size int) (*List, error) {
	if size < MinBits || size > MaxBits || size%8 != 0 {
		return nil, fmt.Errorf("status: size %d is not a multiple of 8 in [%d, %d]", size, MinBits, MaxBits)
	}
	return &List{bits: make([]byte, size/8)}, nil
}

// Size returns the number of indices in the list.
func (l *List) Size() uint64 { return uint64(len(l.bits)) * 8 }

// Revoked reports whether index i is set.
func (l *List) Revoked(i uint64) (bool, error) {
	if i >= l.Size() {
		return false, fmt.Errorf("%w: %d of %d", ErrIndex, i, l.Size())
	}
	return l.bits[i/8]&(0x80>>(i%8)) != 0, nil
}

// Set sets or clears index i.
func (l *List) Set(i uint64, revoked bool) error {
	if i >= l.Size() {
		return fmt.Errorf("%w: %d of %d", ErrIndex, i, l.Size())
	}
	if revoked {
		l.bits[i/8] |= 0x80 >> (i % 8)
	} else {
		l.bits[i/8] &^= 0x80 >> (i % 8)
	}
	return nil
}

// Count returns the number of revoked indices.
func (l *List) Count() int {
	n := 0
	for _, b := range l.bits {
		n += bits.OnesCount8(b)
	}
	return n
}

// Digest returns the SHA-256 of the uncompressed bitstring.
func (l *List) Digest() []byte {
	sum := sha256.Sum256(l.bits)
	return sum[:]
}

// Clone returns a deep copy of l.
func (l *List) Clone() *List {
	c := *l
	c.bits = bytes.Clone(l.bits)
	return &c
}

// Sign returns the list document, compressed and signed by priv.
func (l *List) Sign(priv ed25519.PrivateKey) ([]byte, error) {
	if l.Seq == 0 || !l.IssuedAt.Before(l.NextUpdate) {
		return nil, errors.New("status: seq 0, or next_update not after issued_at")
	}
	var z bytes.Buffer
	w, err := zlib.NewWriterLevel(&z, zlib.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(l.bits); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	payload, err := dcbor.Marshal(wireList{l.Seq, unix(l.IssuedAt), unix(l.NextUpdate), z.Bytes()})
	if err != nil {
		return nil, err
	}
	return cose.SignDocument(priv, ContentType, payload)
}

// Open decodes a list document and verifies it under the signing key it
// names, which must be in keys and valid at the list's issued_at. The
// order of checks is docs/FORMAT.md's, the first failure wins: everything
// that makes a document malformed (size, COSE profile, CBOR schema, the
// zlib bitstring) before the key: unknown, then the signature, then
// compromised, then its window.
func Open(doc []byte, keys keyset.Lookup) (*List, error) {
	var w wireList
	m, err := decode(doc, ContentType, &w)
	if err != nil {
		return nil, err
	}
	if w.Seq == 0 || w.IssuedAt >= w.NextUpdate || w.NextUpdate > maxUnix {
		return nil, fmt.Errorf("%w: seq 0 or bad times", ErrMalformed)
	}
	l := &List{Seq: w.Seq, IssuedAt: fromUnix(w.IssuedAt), NextUpdate: fromUnix(w.NextUpdate)}
	if l.bits, err = inflate(w.Bits); err != nil {
		return nil, err
	}
	if err := checkSigner(m, keys, l.IssuedAt); err != nil {
		return nil, err
	}
	return l, nil
}

// inflate decompresses a zlib bitstring under the rules of package
// inflate, stopping at MaxBits/8 bytes.
func inflate(z []byte) ([]byte, error) {
	out, err := zinflate.Zlib(z, MaxBits/8)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%w: bits: %w", ErrMalformed, err)
	case len(out) < MinBits/8:
		return nil, fmt.Errorf("%w: %d bits, under %d", ErrMalformed, len(out)*8, MinBits)
	}
	return out, nil
}

// decode decodes a status document of the given content type into w.
func decode(doc []byte, contentType string, w any) (*cose.Sign1, error) {
	if len(doc) > MaxDocument {
		return nil, fmt.Errorf("%w: over %d bytes", ErrMalformed, MaxDocument)
	}
	m, err := cose.DecodeDocument(doc, contentType)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if err := dcbor.Unmarshal(m.Payload, w); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return m, nil
}

// checkSigner verifies m under the key it names, which must have been
// allowed to sign at issuedAt.
func checkSigner(m *cose.Sign1, keys keyset.Lookup, issuedAt time.Time) error {
	k, ok := keys.Key(m.Protected.KeyID)
	if !ok {
		return fmt.Errorf("%w: %x", keyset.ErrUnknownKey, m.Protected.KeyID)
	}
	if err := m.Verify(k.Public, nil); err != nil {
		return fmt.Errorf("%w (%w)", ErrSignature, err)
	}
	return k.CheckSignedAt(issuedAt)
}

// maxUnix is 9999-12-31T23:59:59Z.
const maxUnix = 253402300799

func unix(t time.Time) uint64 {
	if t.Unix() < 0 {
		return 0
	}
	return uint64(t.Unix())
}

func fromUnix(s uint64) time.Time { return time.Unix(int64(s), 0).UTC() }

// FromBits returns a list over a copy of bits (a whole number of bytes,
// at least MinBits), for issuers that keep the bits in their own store.
func FromBits(bits []byte) (*List, error) {
	if len(bits)*8 < MinBits || len(bits)*8 > MaxBits {
		return nil, fmt.Errorf("status: %d bits outside [%d, %d]", len(bits)*8, MinBits, MaxBits)
	}
	return &List{bits: bytes.Clone(bits)}, nil
}

// Bits returns a copy of the bitstring.
func (l *List) Bits() []byte { return bytes.Clone(l.bits) }
