package keys

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/minedu-cla/cla/atomicfile"
	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/crypto/keyset"
)

// A rotation changes the signing key when an admin says so, not when a
// window opens by itself: the key in use is recorded in the key folder
// (currentFile) and Signer keeps it while it may sign. Without a record
// (a fresh issuer) the newest open window wins, as before; if the
// recorded key can no longer sign (expired, retired, compromised, its
// file gone) Signer falls back to that rule too, so the issuer never
// stops signing the status list.

// currentFile records the signing key in use (JSON, see Current).
const currentFile = "current-signer.json"

// Errors of the rotation steps.
var (
	// ErrCannotSign: the key asked for may not sign now (not held, not
	// active in the keyset, or outside its window).
	ErrCannotSign = errors.New("keys: that key may not sign now")
	// ErrListed: a key offered as a new one is already in the keyset.
	ErrListed = errors.New("keys: the key is already in the keyset")
)

// Current is the record of the signing key in use.
type Current struct {
	Kid hexBytes `json:"kid"`
	// Since is when it was recorded: the switch time.
	Since time.Time `json:"since"`
	// Previous is the key used before the switch, while it awaits its
	// retirement (empty after it).
	Previous hexBytes `json:"previous,omitempty"`
}

// hexBytes is a kid written as hex in JSON.
type hexBytes []byte

func (h hexBytes) MarshalText() ([]byte, error) { return []byte(hex.EncodeToString(h)), nil }

func (h *hexBytes) UnmarshalText(b []byte) error {
	v, err := hex.DecodeString(string(b))
	*h = v
	return err
}

func readCurrent(dir string) (*Current, error) {
	b, err := os.ReadFile(filepath.Join(dir, currentFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var c Current
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("keys: %s: %w", currentFile, err)
	}
	return &c, nil
}

// writeCurrent saves c and makes it the record. The caller holds k.mu.
func (k *Keys) writeCurrent(c *Current) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(k.dir, currentFile), append(b, '\n'), 0o644); err != nil {
		return err
	}
	k.cur = c
	return nil
}

// Current returns the record of the key in use, if any.
func (k *Keys) Current() (Current, bool) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	if k.cur == nil {
		return Current{}, false
	}
	return *k.cur, true
}

// mayUse reports whether key may sign now here. The caller holds k.mu.
func (k *Keys) mayUse(key keyset.Key, now time.Time) bool {
	_, held := k.signers[string(key.ID)]
	return held && key.Status == keyset.Active && key.CheckSignedAt(now) == nil
}

// Pin records the key signing now as the one in use, unless a record
// exists: from then on a newly published key does not take over when its
// window opens, only by SwitchTo.
func (k *Keys) Pin() error {
	_, key, err := k.Signer()
	if err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.cur != nil && bytes.Equal(k.cur.Kid, key.ID) {
		return nil
	}
	prev := hexBytes(nil)
	if k.cur != nil {
		prev = k.cur.Previous
	}
	return k.writeCurrent(&Current{Kid: hexBytes(key.ID), Since: k.now().UTC(), Previous: prev})
}

// SwitchTo makes kid the signing key from now on; the key signing until
// now is remembered as Previous until ForgetPrevious. It returns that key.
func (k *Keys) SwitchTo(kid []byte) (keyset.Key, error) {
	_, old, err := k.Signer()
	if err != nil {
		return keyset.Key{}, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	now := k.now()
	key, ok := k.keyset.Key(kid)
	if !ok || !k.mayUse(key, now) {
		return keyset.Key{}, ErrCannotSign
	}
	if err := k.writeCurrent(&Current{Kid: hexBytes(kid), Since: now.UTC(), Previous: hexBytes(old.ID)}); err != nil {
		return keyset.Key{}, err
	}
	return old, nil
}

// ForgetPrevious clears the record's Previous (the old key was retired).
func (k *Keys) ForgetPrevious() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.cur == nil || k.cur.Previous == nil {
		return nil
	}
	c := *k.cur
	c.Previous = nil
	return k.writeCurrent(&c)
}

// HeldKids returns the kids of every private key the issuer holds,
// listed in the keyset or not (a key prepared for a rotation).
func (k *Keys) HeldKids() [][]byte {
	k.mu.RLock()
	defer k.mu.RUnlock()
	out := make([][]byte, 0, len(k.signers))
	for kid := range k.signers {
		out = append(out, []byte(kid))
	}
	slices.SortFunc(out, bytes.Compare) // the same answer every time
	return out
}

// Prepare takes a signing key file as cla-keys writes it, with the
// passphrase it was made with, before any keyset lists it (the first step
// of a rotation): it is sealed again under the issuer's own passphrase
// and saved as signing-<kid>.key, where every signing key is kept. Signer
// never picks it before a keyset lists it. A key the keyset already lists
// is not new (ErrListed). It returns the kid.
func (k *Keys) Prepare(file, passphrase []byte) ([]byte, error) {
	priv, f, err := keyfile.Open(file, passphrase)
	if err != nil {
		return nil, err
	}
	if f.Role != keyfile.RoleSigning {
		return nil, ErrNotSigningKey
	}
	kid := cose.KeyID(priv.Public().(ed25519.PublicKey))
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, listed := k.keyset.Key(kid); listed {
		return nil, ErrListed
	}
	if err := k.hold(kid, priv); err != nil {
		return nil, err
	}
	return kid, nil
}

// hold seals priv under the issuer's passphrase, saves it and keeps it.
// The caller holds k.mu.
func (k *Keys) hold(kid []byte, priv ed25519.PrivateKey) error {
	sealed, err := keyfile.Seal(priv, keyfile.RoleSigning, k.pass, k.kdf, k.rand)
	if err != nil {
		return err
	}
	path := filepath.Join(k.dir, "signing-"+hex.EncodeToString(kid)+".key")
	if err := atomicfile.WriteFile(path, sealed, 0o600); err != nil {
		return err
	}
	k.signers[string(kid)] = priv
	return nil
}
