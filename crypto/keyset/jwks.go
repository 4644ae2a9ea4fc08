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

// ParseJWKS reads the Ed25519 keys of a JWKS (docs/FORMAT.md, "JWKS").
// Keys of other types are skipped, whatever their other members hold. The
// whole set is refused for a key, of any type, with a private member d
// (whatever its value), and for an Ed25519 key with a member it reads (x,
// kid, status, not_before, not_after) that is null or not a string, an x
// or kid that is not canonical base64url, a kid that is not the CLA kid of
// x, an unknown status or a time outside the grammar of parseTime. Missing
// windows are unbounded and a missing status is active, so a plain RFC 8037
// JWKS works too. A window whose not_after is before its not_before is a
// key that never signs, not an error: keysets keep every key forever, so
// such an entry must not make a whole document unusable.
func ParseJWKS(data []byte) (List, error) {
	if len(data) > MaxJWKS {
		return nil, fmt.Errorf("keyset: JWKS over %d bytes", MaxJWKS)
	}
	var set struct {
		Keys []map[string]json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("keyset: JWKS: %w", err)
	}
	var keys List
	for i, m := range set.Keys {
		if m == nil {
			return nil, fmt.Errorf("keyset: JWKS key %d is not an object", i)
		}
		if _, ok := m["d"]; ok {
			return nil, fmt.Errorf("keyset: JWKS key %d: private key material in a public key set", i)
		}
		if !isString(m["kty"], "OKP") || !isString(m["crv"], "Ed25519") {
			continue
		}
		k, err := jwkKey(m)
		if err != nil {
			return nil, fmt.Errorf("keyset: JWKS key %d: %w", i, err)
		}
		if _, dup := keys.Key(k.ID); dup {
			return nil, fmt.Errorf("keyset: JWKS key %d: kid %x listed twice", i, k.ID)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, errors.New("keyset: JWKS has no Ed25519 key")
	}
	return keys, nil
}

// isString reports whether raw is the JSON string want.
func isString(raw json.RawMessage, want string) bool {
	var s string
	return bytes.HasPrefix(bytes.TrimSpace(raw), []byte{'"'}) && json.Unmarshal(raw, &s) == nil && s == want
}

// member returns the string value of member name of m. Absent is ok ==
// false; present and not a JSON string (null included) is an error: only
// absence means "the default".
func member(m map[string]json.RawMessage, name string) (v string, ok bool, err error) {
	raw, ok := m[name]
	if !ok {
		return "", false, nil
	}
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte{'"'}) || json.Unmarshal(raw, &v) != nil {
		return "", false, fmt.Errorf("%s is not a string", name)
	}
	return v, true, nil
}

// decodeB64 decodes canonical base64url: only A–Z a–z 0–9 - _, no padding,
// no line breaks (which the standard decoder skips), unused bits zero.
func decodeB64(s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return nil, errors.New("not canonical base64url")
		}
	}
	return b64.Strict().DecodeString(s)
}

func jwkKey(m map[string]json.RawMessage) (Key, error) {
	var str [5]string
	var has [5]bool
	for i, name := range []string{"x", "kid", "status", "not_before", "not_after"} {
		var err error
		if str[i], has[i], err = member(m, name); err != nil {
			return Key{}, err
		}
	}
	pub, err := decodeB64(str[0])
	if !has[0] || err != nil || len(pub) != 32 {
		return Key{}, errors.New("x is not a base64url Ed25519 public key")
	}
	k := Key{ID: cose.KeyID(pub), Public: pub, NotBefore: time.Unix(0, 0).UTC(),
		NotAfter: time.Unix(maxUnix, 0).UTC(), Status: Active}
	if has[1] {
		kid, err := decodeB64(str[1])
		if err != nil || !bytes.Equal(kid, k.ID) {
			return Key{}, fmt.Errorf("kid %q is not base64url(SHA-256(x)[:8])", str[1])
		}
	}
	if has[2] {
		if k.Status, err = ParseStatus(str[2]); err != nil {
			return Key{}, err
		}
	}
	if has[3] {
		if k.NotBefore, err = parseTime(str[3]); err != nil {
			return Key{}, fmt.Errorf("not_before: %w", err)
		}
	}
	if has[4] {
		if k.NotAfter, err = parseTime(str[4]); err != nil {
			return Key{}, fmt.Errorf("not_after: %w", err)
		}
	}
	return k, k.validate()
}
