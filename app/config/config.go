// Package config gathers what the desktop verifier needs before its window
// opens: where the trust store is, which root keys are pinned, which issuer
// to sync with. It follows cla-verify exactly (same store file, same root
// discovery, same environment variables), so the app and the CLI share one
// trust store: a bundle imported by one is seen by the other.
package config

import (
	"context"
	"crypto/ed25519"
	"flag"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/setup"
	"github.com/minedu-cla/cla/verifier/store"
	"github.com/minedu-cla/cla/verifier/trust"
)

// DefaultIssuer is the local development issuer that make run starts.
const DefaultIssuer = setup.DefaultIssuer

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

// DefaultStore is the trust store cla-verify uses (setup.DefaultStore).
func DefaultStore() string { return setup.DefaultStore() }

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

// PinnedRoots gathers the root keys as cla-verify does (setup.PinnedRoots).
func (c Config) PinnedRoots() ([]ed25519.PublicKey, error) {
	return setup.PinnedRoots(c.Roots, c.Store)
}

// ParseRoot reads one root key spec (setup.ParseRoot).
func ParseRoot(s string) (ed25519.PublicKey, error) { return setup.ParseRoot(s) }

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

// Scanner is scan as a verifier.Scanner.
var Scanner = setup.Scanner
