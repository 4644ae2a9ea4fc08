// Package cose implements COSE_Sign1 (RFC 9052 §4.2) with EdDSA over
// Ed25519 (RFC 9053 §2.2) and nothing else.
//
// Messages are always tagged (tag 18), encoded deterministically, and
// decoded strictly: duplicate map keys, indefinite lengths, unknown
// critical headers, detached payloads, trailing bytes and any algorithm
// other than EdDSA are rejected before a signature is checked.
package cose

import (
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/fxamacker/cbor/v2"
	"github.com/minedu-cla/cla/crypto/dcbor"
)

var (
	// ErrMalformed wraps every decoding failure: the bytes are not a
	// COSE_Sign1 this package accepts.
	ErrMalformed = errors.New("cose: malformed COSE_Sign1")
	// ErrSignature reports a signature that does not verify under the key.
	ErrSignature = errors.New("cose: signature does not verify")
)

// tagSign1 is the one-byte encoding of CBOR tag 18 (major type 6, value 18).
const tagSign1 = 0xd2

// Sign1 is a decoded COSE_Sign1 message.
type Sign1 struct {
	Protected   Headers
	Unprotected Headers
	// RawProtected is the protected header exactly as signed.
	RawProtected []byte
	Payload      []byte
	Signature    []byte

	rawUnprotected []byte
}

// wireSign1 is the COSE_Sign1 array. Unprotected stays raw: it is parsed
// by decodeHeaders.
type wireSign1 struct {
	_           struct{} `cbor:",toarray"`
	Protected   []byte
	Unprotected cbor.RawMessage
	Payload     []byte
	Signature   []byte
}

// KeyID returns the protected kid, or the unprotected one if there is none.
func (m *Sign1) KeyID() []byte {
	if m.Protected.KeyID != nil {
		return m.Protected.KeyID
	}
	return m.Unprotected.KeyID
}

// KeyID returns the CLA key identifier of pub: the first 8 bytes of the
// SHA-256 of the raw 32-byte public key. 64 bits keep the QR code small and
// still make an accidental collision among a few hundred keys ~1e-15 likely;
// a deliberate collision gains nothing, since the signature must verify.
func KeyID(pub ed25519.PublicKey) []byte {
	sum := sha256.Sum256(pub)
	return sum[:8]
}

// Sign returns the tagged COSE_Sign1 of payload. The algorithm is always
// EdDSA and always protected; protected.Alg may be left zero.
func Sign(priv ed25519.PrivateKey, protected, unprotected Headers, payload, externalAAD []byte) ([]byte, error) {
	if protected.Alg != 0 && protected.Alg != AlgEdDSA {
		return nil, fmt.Errorf("cose: algorithm %d not supported", protected.Alg)
	}
	if unprotected.Alg != 0 {
		return nil, errors.New("cose: alg must be protected")
	}
	if len(priv) != ed25519.PrivateKeySize {
		return nil, errors.New("cose: not an Ed25519 private key")
	}
	protected.Alg = AlgEdDSA
	prot, err := protected.encode()
	if err != nil {
		return nil, err
	}
	unprot, err := unprotected.encode()
	if err != nil {
		return nil, err
	}
	sig := ed25519.Sign(priv, sigStructure(prot, externalAAD, payload))
	out := make([]byte, 0, len(prot)+len(unprot)+len(payload)+len(sig)+16)
	out = append(out, tagSign1, 0x84)
	out = appendBstr(out, prot)
	out = append(out, unprot...)
	out = appendBstr(out, payload)
	out = appendBstr(out, sig)
	return out, nil
}

// Decode parses a tagged COSE_Sign1 strictly. It does not check the
// signature. Every error wraps ErrMalformed.
func Decode(b []byte) (*Sign1, error) {
	w, err := decodeArray(b)
	if err != nil {
		return nil, err
	}
	m := &Sign1{RawProtected: w.Protected, Payload: w.Payload, Signature: w.Signature, rawUnprotected: w.Unprotected}
	if m.Protected, err = decodeHeaders(w.Protected, true); err != nil {
		return nil, malformed("protected header: %v", err)
	}
	if m.Unprotected, err = decodeHeaders(w.Unprotected, false); err != nil {
		return nil, malformed("unprotected header: %v", err)
	}
	switch {
	case m.Unprotected.Alg != 0:
		return nil, malformed("alg in the unprotected header")
	case m.Protected.Alg != AlgEdDSA:
		return nil, malformed("algorithm %d, only EdDSA (-8) is accepted", m.Protected.Alg)
	case m.Protected.KeyID != nil && m.Unprotected.KeyID != nil:
		return nil, malformed("kid in both headers")
	}
	return m, nil
}

// decodeArray checks the tag and decodes the COSE_Sign1 array strictly,
// leaving the headers raw.
func decodeArray(b []byte) (*wireSign1, error) {
	if len(b) > MaxMessage {
		return nil, malformed("message over %d bytes", MaxMessage)
	}
	if len(b) == 0 || b[0] != tagSign1 {
		return nil, malformed("not tagged as COSE_Sign1 (tag 18)")
	}
	var w wireSign1
	if err := dcbor.Unmarshal(b[1:], &w); err != nil {
		return nil, malformed("%v", err)
	}
	switch {
	case w.Payload == nil:
		return nil, malformed("detached payload")
	case len(w.Signature) != ed25519.SignatureSize:
		return nil, malformed("signature of %d bytes", len(w.Signature))
	case len(w.Protected) == 0:
		return nil, malformed("empty protected header")
	}
	return &w, nil
}

// Verify checks the signature of m under pub with the given external AAD.
func (m *Sign1) Verify(pub ed25519.PublicKey, externalAAD []byte) error {
	if len(pub) != ed25519.PublicKeySize {
		return errors.New("cose: not an Ed25519 public key")
	}
	if !verifyEd25519(pub, sigStructure(m.RawProtected, externalAAD, m.Payload), m.Signature) {
		return ErrSignature
	}
	return nil
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// sigStructure returns the CBOR of
// ["Signature1", protected, external_aad, payload] (RFC 9052 §4.4),
// built by hand: it is on the hot path of every verification.
func sigStructure(protected, externalAAD, payload []byte) []byte {
	const context = "Signature1"
	b := make([]byte, 0, 1+1+len(context)+len(protected)+len(externalAAD)+len(payload)+15)
	b = append(b, 0x84, 0x60|byte(len(context)))
	b = append(b, context...)
	b = appendBstr(b, protected)
	b = appendBstr(b, externalAAD)
	return appendBstr(b, payload)
}

// appendBstr appends a CBOR byte string with the shortest length header.
func appendBstr(b, s []byte) []byte {
	const major = 2 << 5
	n := uint64(len(s))
	switch {
	case n < 24:
		b = append(b, major|byte(n))
	case n <= 0xff:
		b = append(b, major|24, byte(n))
	case n <= 0xffff:
		b = append(b, major|25, byte(n>>8), byte(n))
	case n <= 0xffffffff:
		b = append(b, major|26, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	default:
		b = append(b, major|27, byte(n>>56), byte(n>>48), byte(n>>40), byte(n>>32),
			byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return append(b, s...)
}
