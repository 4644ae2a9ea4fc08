package keyset

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/minedu-cla/cla/crypto/cose"
)

// JWK is one Ed25519 public key in RFC 8037 form (kty OKP, crv Ed25519),
// with the CLA signing window and status as extra members, so a verifier
// given only a JWKS can still tell key_not_valid and key_compromised.
type JWK struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	// X is the raw public key, base64url without padding.
	X string `json:"x"`
	// Kid is the 8-byte CLA kid, base64url without padding: the same
	// bytes as the COSE kid header.
	Kid    string `json:"kid"`
	Alg    string `json:"alg,omitempty"`
	Use    string `json:"use,omitempty"`
	D      string `json:"d,omitempty"`
	Status string `json:"status,omitempty"`
	// NotBefore and NotAfter are RFC 3339 times (UTC).
	NotBefore string `json:"not_before,omitempty"`
	NotAfter  string `json:"not_after,omitempty"`
}

// JWKS is a JSON Web Key Set.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

var b64 = base64.RawURLEncoding

// MarshalJWKS returns the JWKS of keys, indented, with a final newline.
func MarshalJWKS(keys []Key) ([]byte, error) {
	set := JWKS{Keys: []JWK{}}
	for _, k := range keys {
		if err := k.validate(); err != nil {
			return nil, err
		}
		set.Keys = append(set.Keys, JWK{
			Kty: "OKP", Crv: "Ed25519", X: b64.EncodeToString(k.Public), Kid: b64.EncodeToString(k.ID),
			Alg: "EdDSA", Use: "sig", Status: k.Status.String(),
			NotBefore: k.NotBefore.UTC().Format(time.RFC3339), NotAfter: k.NotAfter.UTC().Format(time.RFC3339),
		})
	}
	b, err := json.MarshalIndent(set, "", "  ")
	return append(b, '\n'), err
}

// ParseJWKS reads the Ed25519 keys of a JWKS. Keys of other types are
// skipped; a key with a private part, a kid that is not the CLA kid of its
// public key, or a bad window is an error. Missing windows are unbounded
// and a missing status is active, so a plain RFC 8037 JWKS works too.
func ParseJWKS(data []byte) (List, error) {
	if len(data) > MaxJWKS {
		return nil, fmt.Errorf("keyset: JWKS over %d bytes", MaxJWKS)
	}
	var set JWKS
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("keyset: JWKS: %w", err)
	}
	var keys List
	for i, j := range set.Keys {
		if j.D != "" {
			return nil, fmt.Errorf("keyset: JWKS key %d: private key material in a public key set", i)
		}
		if j.Kty != "OKP" || j.Crv != "Ed25519" {
			continue
		}
		k, err := j.key()
		if err != nil {
			return nil, fmt.Errorf("keyset: JWKS key %d: %w", i, err)
		}
		if _, dup := keys.Key(k.ID); dup {
			return nil, fmt.Errorf("keyset: JWKS key %d: kid %s listed twice", i, j.Kid)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, errors.New("keyset: JWKS has no Ed25519 key")
	}
	return keys, nil
}

func (j JWK) key() (Key, error) {
	if j.D != "" {
		return Key{}, errors.New("private key material in a public key set")
	}
	pub, err := b64.DecodeString(j.X)
	if err != nil || len(pub) != 32 {
		return Key{}, errors.New("x is not a base64url Ed25519 public key")
	}
	k := Key{ID: cose.KeyID(pub), Public: pub, NotBefore: time.Unix(0, 0).UTC(),
		NotAfter: time.Unix(maxUnix, 0).UTC(), Status: Active}
	if j.Kid != "" {
		kid, err := b64.DecodeString(j.Kid)
		if err != nil || !bytes.Equal(kid, k.ID) {
			return Key{}, fmt.Errorf("kid %q is not base64url(SHA-256(x)[:8])", j.Kid)
		}
	}
	if j.Status != "" {
		if k.Status, err = ParseStatus(j.Status); err != nil {
			return Key{}, err
		}
	}
	if j.NotBefore != "" {
		if k.NotBefore, err = time.Parse(time.RFC3339, j.NotBefore); err != nil {
			return Key{}, fmt.Errorf("not_before: %w", err)
		}
	}
	if j.NotAfter != "" {
		if k.NotAfter, err = time.Parse(time.RFC3339, j.NotAfter); err != nil {
			return Key{}, fmt.Errorf("not_after: %w", err)
		}
	}
	return k, k.validate()
}
