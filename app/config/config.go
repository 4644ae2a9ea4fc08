// Package config gathers what the desktop verifier needs before its window
// opens: where the trust store is, which root keys are pinned, which issuer
// to sync with. It follows cla-verify exactly (same store file, same root
// discovery, same environment variables), so the app and the CLI share one
// trust store: a bundle imported by one is seen by the other.
package config

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"flag"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/minedu-cla/cla/assets"
	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/scan"
	"github.com/minedu-cla/cla/verifier/store"
	"github.com/minedu-cla/cla/verifier/trust"
)

// DefaultIssuer is the local development issuer that make run starts.
const DefaultIssuer = "http://127.0.0.1:8080"

// Config is what the command line and the environment say.
type Config struct {
	// Store is the bbolt trust store shared with cla-verify.
	Store string
	// Roots are root key specs: base64url keys or key/root.pub files.
	Roots []string
	// Issuer is the issuer URL from --issuer or CLA_ISSUER_URL; "" when
	// neither is set (the app then uses its saved setting or DefaultIssuer).
	Issuer string
	// Lang is --lang, "" for the saved setting or the environment.
	Lang string
	// Files are opened at start (a file manager's "open with").
	Files []string
}

// DefaultStore is the trust store cla-verify uses: CLA_STORE, else
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

// Parse reads args (without the program name) and the environment.
func Parse(args []string, stderr io.Writer) (Config, error) {
	c := Config{Issuer: os.Getenv("CLA_ISSUER_URL")}
	fs := flag.NewFlagSet("cla-verificador", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Store, "store", DefaultStore(), "trust store file (CLA_STORE)")
	fs.Func("root", "pinned root key: base64url, or a file such as data/keys/root.pub (repeatable; CLA_ROOTS)", func(s string) error {
		c.Roots = append(c.Roots, s)
		return nil
	})
	fs.StringVar(&c.Issuer, "issuer", c.Issuer, "issuer URL for sync and code lookups (CLA_ISSUER_URL)")
	fs.StringVar(&c.Lang, "lang", "", "language: es, en or qu")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	c.Files = fs.Args()
	return c, nil
}

// PinnedRoots gathers the root keys from --root, CLA_ROOTS, the roots file
// beside the store and the roots embedded in the build (cla-verify's order).
func (c Config) PinnedRoots() ([]ed25519.PublicKey, error) {
	specs := append([]string(nil), c.Roots...)
	if env := os.Getenv("CLA_ROOTS"); env != "" {
		specs = append(specs, strings.Split(env, ",")...)
	}
	specs = append(specs, fileLines(filepath.Join(filepath.Dir(c.Store), "roots"))...)
	specs = append(specs, splitLines(assets.Roots)...)
	var roots []ed25519.PublicKey
	for _, s := range specs {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		k, err := ParseRoot(s)
		if err != nil {
			return nil, err
		}
		roots = append(roots, k)
	}
	return roots, nil
}

// ParseRoot reads a root key: base64url of the 32 bytes; or a file holding
// that (the issuer's data/keys/root.pub); or a cla-keys root key file.
func ParseRoot(s string) (ed25519.PublicKey, error) {
	if k, ok := decodeKey(s); ok {
		return k, nil
	}
	data, err := os.ReadFile(s)
	if err != nil {
		return nil, fmt.Errorf("root key %q: not a base64url public key, nor a readable file", s)
	}
	if k, ok := decodeKey(strings.TrimSpace(string(data))); ok {
		return k, nil
	}
	f, pub, err := keyfile.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("root key %s: %w", s, err)
	}
	if f.Role != keyfile.RoleRoot {
		return nil, fmt.Errorf("root key %s: a %s key, not a root key", s, f.Role)
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
	return splitLines(string(data))
}

func splitLines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// Open opens the verifier engine on the shared store and says how many
// root keys are pinned. It always returns an engine, so the app can start
// and explain: with a store whose data does not verify, the engine is
// empty and the error is verifier.ErrCorruptStore; with a root key that
// cannot be read, or a store that cannot be opened, the engine holds
// nothing and keeps nothing, and the error says why.
func (c Config) Open(ctx context.Context, now func() time.Time) (*verifier.Engine, int, error) {
	o := verifier.Options{Limits: trust.DefaultLimits, Scanner: Scanner, Now: now}
	roots, err := c.PinnedRoots()
	if err == nil {
		err = os.MkdirAll(filepath.Dir(c.Store), 0o700)
	}
	if err == nil {
		o.Roots, o.Store = roots, &store.Bolt{Path: c.Store}
		e, err := verifier.Open(ctx, o)
		if e != nil {
			return e, len(roots), err
		}
		o.Roots, o.Store = nil, nil
		roots = nil
		e, _ = verifier.Open(ctx, o)
		return e, 0, err
	}
	e, _ := verifier.Open(ctx, o) // memory only: cannot fail
	return e, 0, err
}

// Scanner is verifier/scan as a verifier.Scanner.
var Scanner verifier.Scanner = scanFunc(scan.Image)

type scanFunc func(ctx context.Context, img image.Image) ([]string, error)

func (f scanFunc) Image(ctx context.Context, img image.Image) ([]string, error) { return f(ctx, img) }
