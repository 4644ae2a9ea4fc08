// Package keys holds the issuer's signing keys and the root-signed keyset
// chain that vouches for them: loaded from a key folder at start, made on
// first start in development, served as the keyset documents and a JWKS.
//
// The folder holds:
//
//	root.pub             base64url of the root public key (verifiers pin it)
//	keyset-NNNNNN.cose   the root-signed keyset chain
//	signing-*.key        signing keys, encrypted (crypto/keyfile)
//	current-signer.json  the key in use since a rotation's switch (current.go)
//	root.key             development only: the root key never lives on a
//	                     production issuer
package keys

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/crypto/keyset"
)

// ErrNoSigner: no loaded signing key may sign now.
var ErrNoSigner = errors.New("keys: no signing key of the keyset may sign now")

// Options say where the keys are and how to open them.
type Options struct {
	Dir string
	// Passphrase opens the signing keys.
	Passphrase []byte
	// Dev makes a root key, a signing key and keyset 1 when Dir has no
	// keyset (with Passphrase, or a random one saved as dev-passphrase).
	Dev  bool
	Now  func() time.Time
	Rand io.Reader
	KDF  keyfile.Params
}

// Keys are the issuer's keys. Safe for concurrent use.
type Keys struct {
	mu      sync.RWMutex
	root    ed25519.PublicKey
	docs    [][]byte
	keyset  *keyset.Keyset
	signers map[string]ed25519.PrivateKey // by kid
	// cur records the key in use (see current.go); nil before the first
	// rotation.
	cur *Current
	now func() time.Time
	dir string
	// pass, kdf and rand seal the signing keys an admin uploads.
	pass []byte
	kdf  keyfile.Params
	rand io.Reader
	// fp is the folder as last read (Reload).
	fp string
}

// Open loads the keys in o.Dir (making development keys first if asked).
func Open(o Options) (*Keys, error) {
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, err
	}
	docs, err := readKeysets(o.Dir)
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		if !o.Dev {
			return nil, fmt.Errorf("keys: no keyset-*.cose in %s (make one with cla-keys)", o.Dir)
		}
		if o.Passphrase, err = makeDev(o); err != nil {
			return nil, err
		}
		if docs, err = readKeysets(o.Dir); err != nil {
			return nil, err
		}
	} else if o.Dev && o.Passphrase == nil {
		if o.Passphrase, err = os.ReadFile(filepath.Join(o.Dir, "dev-passphrase")); err != nil {
			return nil, fmt.Errorf("keys: development passphrase: %w", err)
		}
	}
	// Before what it describes is read: a change while reading is seen
	// by the next Reload.
	fp, err := fingerprint(o.Dir)
	if err != nil {
		return nil, err
	}
	root, err := readRoot(o.Dir)
	if err != nil {
		return nil, err
	}
	k := &Keys{root: root, signers: map[string]ed25519.PrivateKey{}, now: o.Now, dir: o.Dir,
		pass: o.Passphrase, kdf: o.KDF, rand: o.Rand}
	if k.keyset, _, err = keyset.FollowsChain(nil, nil, docs, []ed25519.PublicKey{root}); err != nil {
		return nil, fmt.Errorf("keys: the keyset chain in %s: %w", o.Dir, err)
	}
	k.docs = docs
	if k.cur, err = readCurrent(o.Dir); err != nil {
		return nil, err
	}
	if err := k.loadSigners(o.Passphrase); err != nil {
		return nil, err
	}
	k.fp = fp
	return k, nil
}

func readKeysets(dir string) ([][]byte, error) {
	names, err := filepath.Glob(filepath.Join(dir, "keyset-*.cose"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names) // keyset-000001.cose, keyset-000002.cose…
	var docs [][]byte
	for _, n := range names {
		d, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, nil
}

func readRoot(dir string) (ed25519.PublicKey, error) {
	b, err := os.ReadFile(filepath.Join(dir, "root.pub"))
	if err != nil {
		return nil, fmt.Errorf("keys: the root public key: %w", err)
	}
	pub, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("keys: root.pub is not a base64url Ed25519 public key")
	}
	return pub, nil
}

func (k *Keys) loadSigners(pass []byte) error {
	names, err := filepath.Glob(filepath.Join(k.dir, "signing-*.key"))
	if err != nil {
		return err
	}
	for _, n := range names {
		priv, f, err := keyfile.ReadFile(n, pass)
		if err != nil {
			return fmt.Errorf("keys: %s: %w", filepath.Base(n), err)
		}
		if f.Role != keyfile.RoleSigning {
			return fmt.Errorf("keys: %s is not a signing key", filepath.Base(n))
		}
		k.signers[string(cose.KeyID(priv.Public().(ed25519.PublicKey)))] = priv
	}
	if _, _, err := k.Signer(); err != nil {
		return err
	}
	return nil
}

// Signer returns the key to sign with now: the key recorded as in use
// (current.go) while it may sign; otherwise the held key that the newest
// keyset lists as active with a window around now, preferring the newest
// window.
func (k *Keys) Signer() (ed25519.PrivateKey, keyset.Key, error) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	now := k.now()
	if k.cur != nil {
		if key, ok := k.keyset.Key(k.cur.Kid); ok && k.mayUse(key, now) {
			return k.signers[string(key.ID)], key, nil
		}
	}
	var best keyset.Key
	var priv ed25519.PrivateKey
	for _, key := range k.keyset.Keys {
		if k.mayUse(key, now) && (priv == nil || key.NotBefore.After(best.NotBefore)) {
			best, priv = key, k.signers[string(key.ID)]
		}
	}
	if priv == nil {
		return nil, keyset.Key{}, ErrNoSigner
	}
	return priv, best, nil
}

// MustSigner returns the current signing key or nil (for signers that
// check errors at issue time).
func (k *Keys) MustSigner() ed25519.PrivateKey {
	p, _, _ := k.Signer()
	return p
}

// Root returns the root public key.
func (k *Keys) Root() ed25519.PublicKey { return k.root }

// Keyset returns the newest keyset and the whole chain of documents.
func (k *Keys) Keyset() (*keyset.Keyset, [][]byte) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.keyset, slices.Clone(k.docs)
}

// JWKS returns the signing keys as a JWKS.
func (k *Keys) JWKS() ([]byte, error) {
	ks, _ := k.Keyset()
	return keyset.MarshalJWKS(ks.Keys)
}
