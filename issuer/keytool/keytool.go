// Package keytool is the library behind cla-keys: key ceremonies for the
// root key, signing keys and the root-signed keyset.
package keytool

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/minedu-cla/cla/atomicfile"
	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/crypto/keyset"
)

// NewKey makes a fresh key of role and writes it, encrypted, to path.
func NewKey(path, role string, passphrase []byte, p keyfile.Params, rand io.Reader) (ed25519.PublicKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand)
	if err != nil {
		return nil, err
	}
	return pub, WriteKey(path, priv, role, passphrase, p, rand)
}

// WriteKey seals priv under passphrase into a new key file at path,
// written atomically with mode keyfile.Perm; it never overwrites a file.
func WriteKey(path string, priv ed25519.PrivateKey, role string, passphrase []byte, p keyfile.Params, rand io.Reader) error {
	data, err := keyfile.Seal(priv, role, passphrase, p, rand)
	if err != nil {
		return err
	}
	return atomicfile.Create(path, data, keyfile.Perm)
}

// PublicOf reads the public key of a key file without its passphrase.
func PublicOf(path string) (*keyfile.File, ed25519.PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	return keyfile.Parse(data)
}

// KeysetOptions describe one keyset ceremony: start a keyset (Prev empty)
// or derive the next one from Prev.
type KeysetOptions struct {
	Root       ed25519.PrivateKey
	Prev       string // path of the previous keyset document, or ""
	Add        []ed25519.PublicKey
	NotBefore  time.Time
	NotAfter   time.Time
	Retire     [][]byte
	RetireAt   time.Time
	Compromise [][]byte
	Validity   time.Duration
	Now        time.Time
	Out        string
}

// BuildKeyset makes, signs and writes (atomically, never overwriting) the
// keyset the options describe.
func BuildKeyset(o KeysetOptions) (*keyset.Keyset, error) {
	roots := []ed25519.PublicKey{o.Root.Public().(ed25519.PublicKey)}
	var ks *keyset.Keyset
	if o.Prev == "" {
		if len(o.Retire)+len(o.Compromise) > 0 {
			return nil, errors.New("nothing to retire or compromise in a first keyset")
		}
		now := o.Now.UTC().Truncate(time.Second)
		ks = &keyset.Keyset{Seq: 1, IssuedAt: now, ExpiresAt: now.Add(o.Validity)}
	} else {
		doc, err := os.ReadFile(o.Prev)
		if err != nil {
			return nil, err
		}
		prev, err := keyset.Open(doc, roots)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", o.Prev, err)
		}
		ks = prev.Next(doc, o.Now, o.Validity)
	}
	for _, pub := range o.Add {
		if err := ks.Add(keyset.NewKey(pub, o.NotBefore, o.NotAfter)); err != nil {
			return nil, err
		}
	}
	for _, kid := range o.Retire {
		if err := ks.Retire(kid, o.RetireAt); err != nil {
			return nil, err
		}
	}
	for _, kid := range o.Compromise {
		if err := ks.Compromise(kid); err != nil {
			return nil, err
		}
	}
	doc, err := ks.Sign(o.Root)
	if err != nil {
		return nil, err
	}
	return ks, atomicfile.Create(o.Out, doc, 0o644)
}

// OpenKeyset reads and verifies a keyset document against root.
func OpenKeyset(path string, root ed25519.PublicKey) (*keyset.Keyset, error) {
	doc, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ks, err := keyset.Open(doc, []ed25519.PublicKey{root})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ks, nil
}

// ParseKid reads a kid typed as 16 hex digits or 11 base64url characters.
func ParseKid(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil && len(b) == 8 {
		return b, nil
	}
	if b, err := base64.RawURLEncoding.DecodeString(s); err == nil && len(b) == 8 {
		return b, nil
	}
	return nil, fmt.Errorf("%q is not a kid (16 hex digits or 11 base64url characters)", s)
}

// Kid formats a kid as cla-keys shows it: hex, as in COSE diagnostics.
func Kid(kid []byte) string { return hex.EncodeToString(kid) }
