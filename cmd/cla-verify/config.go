package main

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
	"time"

	"github.com/minedu-cla/cla/assets"
	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/internal/i18n"
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/scan"
	"github.com/minedu-cla/cla/verifier/store"
	"github.com/minedu-cla/cla/verifier/trust"
)

// config is what the flags and environment say.
type config struct {
	lang      i18n.Lang
	json      bool
	storePath string
	roots     listFlag
	issuer    string
	jwks      string
	soft      time.Duration
	hard      time.Duration
	now       string // for tests and reproducible runs
}

// defaultStore is the trust store shared with the desktop app.
func defaultStore() string {
	if p := os.Getenv("CLA_STORE"); p != "" {
		return p
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "cla-trust.db"
	}
	return filepath.Join(dir, "cla-verificador", "trust.db")
}

// defaultIssuer is where sync goes: CLA_ISSUER_URL, else the local
// development issuer that make run starts.
func defaultIssuer() string {
	if u := os.Getenv("CLA_ISSUER_URL"); u != "" {
		return u
	}
	return "http://127.0.0.1:8080"
}

// pinnedRoots gathers the root keys from --root, CLA_ROOTS, the roots file
// beside the store, and the roots embedded in the build.
func (c *config) pinnedRoots() ([]ed25519.PublicKey, error) {
	var specs []string
	specs = append(specs, c.roots...)
	if env := os.Getenv("CLA_ROOTS"); env != "" {
		specs = append(specs, strings.Split(env, ",")...)
	}
	specs = append(specs, lines(filepath.Join(filepath.Dir(c.storePath), "roots"))...)
	specs = append(specs, splitLines(assets.Roots)...)
	var roots []ed25519.PublicKey
	for _, s := range specs {
		k, err := parseRoot(strings.TrimSpace(s))
		if err != nil {
			return nil, err
		}
		roots = append(roots, k)
	}
	return roots, nil
}

// parseRoot reads a root key: base64url of the 32 bytes, or the path of a
// cla-keys key file (only its public part is read).
func parseRoot(s string) (ed25519.PublicKey, error) {
	if b, err := base64.RawURLEncoding.DecodeString(s); err == nil && len(b) == ed25519.PublicKeySize {
		return b, nil
	}
	data, err := os.ReadFile(s)
	if err != nil {
		return nil, fmt.Errorf("root key %q: not a base64url public key, nor a readable file", s)
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

func lines(path string) []string {
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

var errNoRoots = errors.New("no root key configured")

// engine opens the verifier engine the config describes.
func (c *config) engine(ctx context.Context, needStore bool) (*verifier.Engine, error) {
	o := verifier.Options{Limits: trust.Limits{Soft: c.soft, Hard: c.hard, Skew: trust.DefaultLimits.Skew},
		Scanner: scanFunc(scan.Image), Now: time.Now}
	if c.now != "" {
		t, err := time.Parse(time.RFC3339, c.now)
		if err != nil {
			return nil, usagef("--now: %v", err)
		}
		o.Now = func() time.Time { return t }
	}
	if c.jwks != "" && !needStore {
		data, err := os.ReadFile(c.jwks)
		if err != nil {
			return nil, err
		}
		if o.Keys, err = keyset.ParseJWKS(data); err != nil {
			return nil, err
		}
		return verifier.Open(ctx, o)
	}
	roots, err := c.pinnedRoots()
	if err != nil {
		return nil, err
	}
	if len(roots) == 0 {
		return nil, errNoRoots
	}
	if err := os.MkdirAll(filepath.Dir(c.storePath), 0o700); err != nil {
		return nil, err
	}
	o.Roots, o.Store = roots, &store.Bolt{Path: c.storePath}
	return verifier.Open(ctx, o)
}

// scanFunc adapts a function to verifier.Scanner.
type scanFunc func(ctx context.Context, img image.Image) ([]string, error)

func (f scanFunc) Image(ctx context.Context, img image.Image) ([]string, error) { return f(ctx, img) }
