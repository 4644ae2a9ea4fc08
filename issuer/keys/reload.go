package keys

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// fingerprint names the key folder's files with their sizes and times:
// what Reload compares.
func fingerprint(dir string) (string, error) {
	var names []string
	for _, pattern := range []string{"root.pub", "keyset-*.cose", "signing-*.key", currentFile} {
		m, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			return "", err
		}
		names = append(names, m...)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		st, err := os.Stat(n)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%s %d %d\n", filepath.Base(n), st.Size(), st.ModTime().UnixNano())
	}
	return b.String(), nil
}

// Reload reads the key folder again if its files changed since it was
// last read. Several replicas share one key folder (docs/DEPLOY.md): a
// rotation step taken through one replica's console — a keyset
// published, a key prepared, the switch, a retirement — reaches the
// others when they reload (the issuer does every ReloadEvery). What is
// read must extend the chain in use, from the same root; otherwise the
// keys in use stay and the error says why.
func (k *Keys) Reload() (bool, error) {
	for attempt := 0; ; attempt++ {
		fp, err := fingerprint(k.dir)
		if err != nil {
			return false, err
		}
		k.mu.RLock()
		same := fp == k.fp
		k.mu.RUnlock()
		if same {
			return false, nil
		}
		n, err := Open(Options{Dir: k.dir, Passphrase: k.pass, Now: k.now, Rand: k.rand, KDF: k.kdf})
		if err != nil {
			return false, fmt.Errorf("keys: reloading %s: %w", k.dir, err)
		}
		k.mu.Lock()
		// This process writes its own files holding k.mu (a switch, a
		// keyset): if one did while the folder was read, what was read is
		// older than what this process holds and must not replace it.
		// Read again.
		if now, err := fingerprint(k.dir); err == nil && now != n.fp && attempt < 3 {
			k.mu.Unlock()
			continue
		}
		changed, err := k.swap(n)
		k.mu.Unlock()
		return changed, err
	}
}

// swap takes what Open read in place of what is held. The caller holds k.mu.
func (k *Keys) swap(n *Keys) (bool, error) {
	if !bytes.Equal(n.root, k.root) {
		return false, fmt.Errorf("keys: reloading %s: root.pub changed; restart the issuer to pin another root", k.dir)
	}
	if len(n.docs) < len(k.docs) {
		return false, fmt.Errorf("keys: reloading %s: keyset %d is gone (a rollback is refused)", k.dir, len(k.docs))
	}
	for i := range k.docs {
		if !bytes.Equal(n.docs[i], k.docs[i]) {
			return false, fmt.Errorf("keys: reloading %s: keyset %d was rewritten (refused)", k.dir, i+1)
		}
	}
	k.docs, k.keyset, k.signers, k.cur, k.fp = n.docs, n.keyset, n.signers, n.cur, n.fp
	return true, nil
}
