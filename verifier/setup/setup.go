// Package setup finds what a verifier needs before it can verify: the
// trust store file and the pinned root keys, the same way for cla-verify
// and the desktop app, so both share one store and trust the same roots.
package setup

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"

	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/scan"
	"github.com/minedu-cla/cla/verifier"
)

// DefaultIssuer is the local development issuer that make run starts;
// CLA_ISSUER_URL overrides it.
const DefaultIssuer = "http://127.0.0.1:8080"

// DefaultStore is the shared trust store: CLA_STORE, else
// cla-verificador/trust.db in the user's configuration folder.
func DefaultStore() string {
	if p := os.Getenv("CLA_STORE"); p != "" {
		return p
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "cla-trust.db"
	}
	return filepath.Join(dir, "cla-verificador", "trust.db")
}

// RootsFile is the file of root keys beside a store, one a line.
func RootsFile(store string) string { return filepath.Join(filepath.Dir(store), "roots") }

// PinnedRoots gathers the root keys from specs (--root flags), CLA_ROOTS
// (comma-separated), the roots file beside the store, and the roots
// embedded in the build, in that order, each once (Roots says where each
// comes from).
func PinnedRoots(specs []string, store string) ([]ed25519.PublicKey, error) {
	rs, err := Roots(specs, store)
	if err != nil {
		return nil, err
	}
	var roots []ed25519.PublicKey
	for _, r := range rs {
		roots = append(roots, r.Key)
	}
	return roots, nil
}

// ErrBadRoot means a root key given (flag, CLA_ROOTS, the roots file) is
// none of the forms ParseRoot reads.
var ErrBadRoot = errors.New("not a root key")

// ParseRoot reads a root key: base64url of the 32 bytes; or a file holding
// that (the issuer's data/keys/root.pub); or a cla-keys root key file (only
// its public part is read).
func ParseRoot(s string) (ed25519.PublicKey, error) {
	if k, ok := decodeKey(s); ok {
		return k, nil
	}
	data, err := os.ReadFile(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %q is not a base64url public key, nor a readable file", ErrBadRoot, s)
	}
	return parseRootData(data, s)
}

// ParseRootText reads a root key from text a person pasted: the base64url
// key (the content of root.pub), or a whole cla-keys root key file. Unlike
// ParseRoot it never reads a file named by the text.
func ParseRootText(text string) (ed25519.PublicKey, error) {
	return parseRootData([]byte(text), "text")
}

func parseRootData(data []byte, name string) (ed25519.PublicKey, error) {
	if k, ok := decodeKey(strings.TrimSpace(string(data))); ok {
		return k, nil
	}
	f, pub, err := keyfile.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBadRoot, name, err)
	}
	if f.Role != keyfile.RoleRoot {
		return nil, fmt.Errorf("%w: %s is a %s key", ErrBadRoot, name, f.Role)
	}
	return pub, nil
}

func decodeKey(s string) (ed25519.PublicKey, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, false
	}
	return b, true
}

func fileLines(path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return lines(string(data))
}

// lines returns the non-empty lines of s that are not # comments.
func lines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// Scanner is scan as a verifier.Scanner.
var Scanner verifier.Scanner = scanFunc(scan.Image)

type scanFunc func(ctx context.Context, img image.Image) ([]string, error)

func (f scanFunc) Image(ctx context.Context, img image.Image) ([]string, error) { return f(ctx, img) }
