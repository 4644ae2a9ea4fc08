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
//
// The profile fixes the header bytes, so they are compared, not parsed:
// the kid sits at a known offset of the one protected header this content
// type allows. This skips the generic header decoding, a fifth of the cost
// of opening a QR code besides the signature check.
func DecodeDocument(b []byte, contentType string) (*Sign1, error) {
	w, err := decodeArray(b)
	if err != nil {
		return nil, err
	}
	want, err := Headers{Alg: AlgEdDSA, ContentType: contentType, KeyID: make([]byte, KeyIDSize)}.encode()
	if err != nil {
		return nil, malformed("%v", err)
	}
	kidAt := len(want) - KeyIDSize
	prot := w.Protected
	if len(prot) != len(want) || !bytes.Equal(prot[:kidAt], want[:kidAt]) {
		return nil, malformed("protected header is not {alg, content type %q, kid}", contentType)
	}
	if !bytes.Equal(w.Unprotected, []byte{0xa0}) {
		return nil, malformed("unprotected header is not empty")
	}
	kid := prot[kidAt:]
	return &Sign1{Protected: Headers{Alg: AlgEdDSA, ContentType: contentType, KeyID: kid}, RawProtected: prot,
		Payload: w.Payload, Signature: w.Signature, rawUnprotected: w.Unprotected}, nil
}
