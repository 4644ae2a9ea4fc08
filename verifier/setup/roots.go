package setup

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/minedu-cla/cla/assets"
	"github.com/minedu-cla/cla/atomicfile"
	"github.com/minedu-cla/cla/crypto/keyset"
)

// Where a pinned root comes from, as status and the app say it.
const (
	SourceFlag     = "flag"     // --root
	SourceEnv      = "env"      // CLA_ROOTS
	SourceFile     = "file"     // the roots file beside the store
	SourceEmbedded = "embedded" // built into this release (assets/trust/roots.txt)
)

// Embedded is the text of the roots built into this release
// (assets.Roots); tests replace it.
var Embedded = assets.Roots

// Root is one pinned root key and where it comes from.
type Root struct {
	Key ed25519.PublicKey `json:"-"`
	// Public is the key in base64url, as the roots file holds it.
	Public string `json:"key"`
	// Fingerprint is keyset.Fingerprint of the key.
	Fingerprint string `json:"fingerprint"`
	// Source is SourceFlag, SourceEnv, SourceFile or SourceEmbedded: the
	// first of these, in that order, that names the key.
	Source string `json:"source"`
}

func newRoot(k ed25519.PublicKey, source string) Root {
	return Root{Key: k, Public: EncodeRoot(k), Fingerprint: keyset.Fingerprint(k), Source: source}
}

// EncodeRoot writes a root key as the roots file and --root read it.
func EncodeRoot(k ed25519.PublicKey) string { return base64.RawURLEncoding.EncodeToString(k) }

// Roots gathers the pinned roots as PinnedRoots does, each once, with
// where it comes from.
func Roots(specs []string, store string) ([]Root, error) {
	var env []string
	if e := os.Getenv("CLA_ROOTS"); e != "" {
		env = strings.Split(e, ",")
	}
	var out []Root
	for _, src := range []struct {
		name  string
		specs []string
	}{{SourceFlag, specs}, {SourceEnv, env}, {SourceFile, fileLines(RootsFile(store))}, {SourceEmbedded, lines(Embedded)}} {
		for _, s := range src.specs {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			k, err := ParseRoot(s)
			if err != nil {
				return nil, err
			}
			if !hasKey(out, k) {
				out = append(out, newRoot(k, src.name))
			}
		}
	}
	return out, nil
}

func hasKey(rs []Root, k ed25519.PublicKey) bool {
	for _, r := range rs {
		if r.Key.Equal(k) {
			return true
		}
	}
	return false
}

// IsEmbedded says whether k is built into this release.
func IsEmbedded(k ed25519.PublicKey) bool {
	for _, s := range lines(Embedded) {
		if e, ok := decodeKey(s); ok && e.Equal(k) {
			return true
		}
	}
	return false
}

// Pin adds keys to the roots file beside store, each once, keeping what
// the file holds; the file is replaced atomically. It returns the keys
// that were not pinned before (in the file or in the build).
func Pin(store string, keys ...ed25519.PublicKey) ([]ed25519.PublicKey, error) {
	path := RootsFile(store)
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	var held []ed25519.PublicKey
	for _, l := range lines(string(old)) {
		if k, ok := decodeKey(l); ok {
			held = append(held, k)
		}
	}
	var added []ed25519.PublicKey
	var buf bytes.Buffer
	buf.Write(old)
	if len(old) == 0 {
		buf.WriteString("# Root public keys this verifier trusts, one base64url key a line, each\n" +
			"# under its fingerprint (cla-verify trust add / remove, or the app).\n")
	} else if old[len(old)-1] != '\n' {
		buf.WriteByte('\n')
	}
	for _, k := range keys {
		if len(k) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: %d bytes", ErrBadRoot, len(k))
		}
		if IsEmbedded(k) || contains(held, k) || contains(added, k) {
			continue
		}
		added = append(added, k)
		fmt.Fprintf(&buf, "# %s\n%s\n", keyset.Fingerprint(k), EncodeRoot(k))
	}
	if len(added) == 0 {
		return nil, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	return added, atomicfile.WriteFile(path, buf.Bytes(), 0o600)
}

func contains(ks []ed25519.PublicKey, k ed25519.PublicKey) bool {
	for _, h := range ks {
		if h.Equal(k) {
			return true
		}
	}
	return false
}

// Errors of Unpin.
var (
	// ErrEmbeddedRoot: the key is built into this release; removing it
	// from a file would change nothing.
	ErrEmbeddedRoot = errors.New("root key embedded in this release")
	// ErrNotPinned: no key in the roots file matches.
	ErrNotPinned = errors.New("no such root key in the roots file")
)

// Unpin removes from the roots file the key that which names: the key
// itself (any form ParseRoot reads) or its fingerprint (spaces, dashes and
// case ignored). It returns the key removed. A key built into the release
// is refused with ErrEmbeddedRoot; a key the file does not hold gives
// ErrNotPinned.
func Unpin(store, which string) (ed25519.PublicKey, error) {
	path := RootsFile(store)
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	for _, l := range lines(Embedded) {
		if k, ok := decodeKey(l); ok && Matches(k, which) {
			return nil, fmt.Errorf("%w: %s", ErrEmbeddedRoot, keyset.Fingerprint(k))
		}
	}
	src := strings.Split(string(data), "\n")
	var out []string
	var removed ed25519.PublicKey
	for i, l := range src {
		k, ok := decodeKey(strings.TrimSpace(l))
		if !ok || !Matches(k, which) {
			out = append(out, l)
			continue
		}
		removed = k
		// The fingerprint comment Pin wrote above the key goes with it.
		if i > 0 && len(out) > 0 && strings.TrimSpace(out[len(out)-1]) == "# "+keyset.Fingerprint(k) {
			out = out[:len(out)-1]
		}
	}
	if removed == nil {
		return nil, ErrNotPinned
	}
	return removed, atomicfile.WriteFile(path, []byte(strings.Join(out, "\n")), 0o600)
}

// Matches says whether which names k: as a key (base64url, or a file
// ParseRoot reads) or as its fingerprint, read leniently (case, spaces
// and dashes ignored; O read as 0, I and L as 1, as Crockford base32 does).
func Matches(k ed25519.PublicKey, which string) bool {
	which = strings.TrimSpace(which)
	if w := normFingerprint(which); len(w) == 32 && w == normFingerprint(keyset.Fingerprint(k)) {
		return true
	}
	if len(which) == 43 {
		if w, ok := decodeKey(which); ok {
			return w.Equal(k)
		}
	}
	if _, err := os.Stat(which); err == nil {
		if w, err := ParseRoot(which); err == nil {
			return w.Equal(k)
		}
	}
	return false
}

func normFingerprint(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\t':
			return -1
		case 'o', 'O':
			return '0'
		case 'i', 'I', 'l', 'L':
			return '1'
		}
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
}
