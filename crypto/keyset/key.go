// Package keyset holds the issuer's signing keys as verifiers see them: the
// root-signed keyset document, the rules that link one keyset to the next,
// and the JWKS (RFC 8037) export for standard COSE/JOSE libraries.
package keyset

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"github.com/minedu-cla/cla/crypto/cose"
)

// Outcomes of checking a signing key; verifiers branch on them.
var (
	// ErrUnknownKey: the kid is not in the trusted keys.
	ErrUnknownKey = errors.New("keyset: unknown key")
	// ErrKeyCompromised: the issuer declared the key compromised, so
	// nothing it signed can be trusted, whatever date it claims.
	ErrKeyCompromised = errors.New("keyset: key declared compromised")
	// ErrKeyNotValid: the document claims a time outside the key's
	// signing window.
	ErrKeyNotValid = errors.New("keyset: issued outside the key's signing window")
)

// Status is the life-cycle state of a signing key.
type Status uint8

// Key states. A key moves only forward: active → retired → compromised,
// or straight to compromised.
const (
	// Active keys may sign within their window.
	Active Status = 1
	// Retired keys sign no more, but what they signed in their window
	// stays valid for decades.
	Retired Status = 2
	// Compromised keys invalidate everything they signed.
	Compromised Status = 3
)

var statusNames = map[Status]string{Active: "active", Retired: "retired", Compromised: "compromised"}

func (s Status) String() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return fmt.Sprintf("status(%d)", uint8(s))
}

// ParseStatus parses the name of a status.
func ParseStatus(name string) (Status, error) {
	for s, n := range statusNames {
		if n == name {
			return s, nil
		}
	}
	return 0, fmt.Errorf("keyset: unknown key status %q", name)
}

// Key is one issuer signing key.
type Key struct {
	ID     []byte
	Public ed25519.PublicKey
	// NotBefore and NotAfter bound when the key may sign (inclusive at
	// both ends: equal times are a one-second window; NotAfter before
	// NotBefore is a key that never signs, see docs/FORMAT.md).
	NotBefore, NotAfter time.Time
	Status              Status
}

// NewKey returns an active key for pub with the given signing window.
func NewKey(pub ed25519.PublicKey, notBefore, notAfter time.Time) Key {
	return Key{ID: cose.KeyID(pub), Public: pub, NotBefore: notBefore.UTC(), NotAfter: notAfter.UTC(), Status: Active}
}

// CheckSignedAt reports whether a document that claims to be signed at t
// may be trusted under k: the key is not compromised and t is within its
// window. A window whose not_after is before its not_before (a key retired
// before it ever opened) contains no time: such a key never signs.
func (k Key) CheckSignedAt(t time.Time) error {
	if k.Status == Compromised {
		return ErrKeyCompromised
	}
	if t.Before(k.NotBefore) || t.After(k.NotAfter) {
		return fmt.Errorf("%w: %s not in [%s, %s]", ErrKeyNotValid,
			t.UTC().Format(time.RFC3339), k.NotBefore.Format(time.RFC3339), k.NotAfter.Format(time.RFC3339))
	}
	return nil
}

func (k Key) validate() error {
	switch {
	case len(k.Public) != ed25519.PublicKeySize:
		return fmt.Errorf("public key of %d bytes", len(k.Public))
	case !bytes.Equal(k.ID, cose.KeyID(k.Public)):
		return fmt.Errorf("kid %x is not the kid of its public key", k.ID)
	case statusNames[k.Status] == "":
		return fmt.Errorf("key %x: %v", k.ID, k.Status)
	}
	return nil
}

// Lookup is implemented by every source of trusted keys.
type Lookup interface {
	// Key returns the key with the given kid.
	Key(kid []byte) (Key, bool)
}

// List is a plain list of keys, as read from a JWKS.
type List []Key

// Key implements Lookup.
func (l List) Key(kid []byte) (Key, bool) {
	for _, k := range l {
		if bytes.Equal(k.ID, kid) {
			return k, true
		}
	}
	return Key{}, false
}
