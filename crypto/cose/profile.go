package cose

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
)

// The CLA profile of COSE_Sign1, shared by every CLA document: the protected
// header is exactly {1: -8, [3: content type,] 4: kid} with the 8-byte CLA
// kid, and the unprotected header is the empty map. Nothing unsigned can be
// added to a CLA document, so no byte of it can change without breaking
// either the decoding or the signature.

// KeyIDSize is the size of a CLA kid.
const KeyIDSize = 8

// SignDocument signs payload under the CLA profile. contentType may be
// empty (the QR code leaves it out to save bytes).
func SignDocument(priv ed25519.PrivateKey, contentType string, payload []byte) ([]byte, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("cose: not an Ed25519 private key")
	}
	kid := KeyID(priv.Public().(ed25519.PublicKey))
	return Sign(priv, Headers{ContentType: contentType, KeyID: kid}, Headers{}, payload, nil)
}

// DecodeDocument decodes a CLA-profile message of the given content type.
// It does not check the signature. Every error wraps ErrMalformed.
func DecodeDocument(b []byte, contentType string) (*Sign1, error) {
	m, err := Decode(b)
	if err != nil {
		return nil, err
	}
	if len(m.Protected.KeyID) != KeyIDSize {
		return nil, malformed("protected kid of %d bytes, want %d", len(m.Protected.KeyID), KeyIDSize)
	}
	want, err := Headers{Alg: AlgEdDSA, ContentType: contentType, KeyID: m.Protected.KeyID}.encode()
	if err != nil {
		return nil, malformed("%v", err)
	}
	if !bytes.Equal(m.RawProtected, want) {
		return nil, malformed("protected header is not {alg, content type %q, kid}", contentType)
	}
	if !bytes.Equal(m.rawUnprotected, []byte{0xa0}) {
		return nil, malformed("unprotected header is not empty")
	}
	return m, nil
}
