package keys

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/minedu-cla/cla/atomicfile"
	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/crypto/keyset"
)

// Errors of key operations an admin can cause.
var (
	// ErrNotInKeyset: an uploaded signing key is not listed in the keyset.
	ErrNotInKeyset = errors.New("keys: the signing key is not in the keyset")
	// ErrNotSigningKey: an uploaded key file holds a root key, or no key.
	ErrNotSigningKey = errors.New("keys: not a signing key file")
	// ErrNoSignerAfter: under the uploaded keyset no key the issuer holds
	// could sign now.
	ErrNoSignerAfter = errors.New("keys: under that keyset the issuer would hold no key that may sign now")
)

// canSignUnder reports whether some held key may sign now under ks.
// The caller holds k.mu.
func (k *Keys) canSignUnder(ks *keyset.Keyset) bool {
	now := k.now()
	for _, key := range ks.Keys {
		if k.mayUse(key, now) {
			return true
		}
	}
	return false
}

// AddKeyset makes doc, a keyset root-signed with cla-keys, the current
// one: it must verify under the pinned root and follow the keyset held
// (the next seq, linked by hash, keeping every key). It is written to the
// key folder before it takes effect, so a restart keeps it.
func (k *Keys) AddKeyset(doc []byte) (*keyset.Keyset, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	ks, _, err := keyset.FollowsChain(k.keyset, k.docs[len(k.docs)-1], [][]byte{doc}, []ed25519.PublicKey{k.root})
	if err != nil {
		return nil, err
	}
	if ks.Seq == k.keyset.Seq {
		return nil, keyset.ErrRollback
	}
	// The issuer must still be able to sign (the status list, new
	// constancias) under the new keyset: install the new signing key
	// before declaring the old one compromised or retired.
	if !k.canSignUnder(ks) {
		return nil, ErrNoSignerAfter
	}
	path := filepath.Join(k.dir, KeysetFile(ks.Seq))
	if err := atomicfile.WriteFile(path, doc, 0o644); err != nil {
		return nil, err
	}
	k.keyset = ks
	k.docs = append(k.docs, doc)
	return ks, nil
}

// AddSigner takes a signing key file as cla-keys writes it and the
// passphrase it was made with. The key must be listed in the current
// keyset. It is sealed again under the issuer's own passphrase and saved
// as signing-<kid>.key; from then on Signer may pick it (when its window
// is open and it is the newest).
func (k *Keys) AddSigner(file, passphrase []byte) (keyset.Key, error) {
	priv, f, err := keyfile.Open(file, passphrase)
	if err != nil {
		return keyset.Key{}, err
	}
	if f.Role != keyfile.RoleSigning {
		return keyset.Key{}, ErrNotSigningKey
	}
	kid := cose.KeyID(priv.Public().(ed25519.PublicKey))
	k.mu.Lock()
	defer k.mu.Unlock()
	key, ok := k.keyset.Key(kid)
	if !ok {
		return keyset.Key{}, ErrNotInKeyset
	}
	if err := k.hold(kid, priv); err != nil {
		return keyset.Key{}, err
	}
	return key, nil
}

// Held reports whether the issuer holds the private key of kid.
func (k *Keys) Held(kid []byte) bool {
	k.mu.RLock()
	defer k.mu.RUnlock()
	_, ok := k.signers[string(kid)]
	return ok
}

// DropSigner deletes the private key of kid from the issuer (after a
// compromise, or when a retired key's window has closed): nothing can sign
// with it again here.
func (k *Keys) DropSigner(kid []byte) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	path := filepath.Join(k.dir, "signing-"+hex.EncodeToString(kid)+".key")
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("keys: %w", err)
	}
	delete(k.signers, string(kid))
	return nil
}
