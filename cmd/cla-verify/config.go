package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/setup"
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

// defaultIssuer is where sync goes: CLA_ISSUER_URL, else the local
// development issuer that make run starts.
func defaultIssuer() string {
	if u := os.Getenv("CLA_ISSUER_URL"); u != "" {
		return u
	}
	return setup.DefaultIssuer
}

var errNoRoots = errors.New("no root key configured")

// engine opens the verifier engine the config describes.
func (c *config) engine(ctx context.Context, needStore bool) (*verifier.Engine, error) {
	o := verifier.Options{Limits: trust.Limits{Soft: c.soft, Hard: c.hard, Skew: trust.DefaultLimits.Skew},
		Scanner: setup.Scanner, Now: time.Now}
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
	roots, err := setup.PinnedRoots(c.roots, c.storePath)
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
