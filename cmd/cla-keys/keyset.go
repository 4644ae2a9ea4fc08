package main

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/keytool"
)

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// timeFlag parses RFC 3339 times or dates.
func parseTime(s string, now time.Time) (time.Time, error) {
	if s == "" || s == "now" {
		return now, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, usagef("%q: %s", s, "not a date (2006-01-02) or time (2006-01-02T15:04:05Z)")
}

func (c *cli) keyset(args []string) error {
	fs := c.flags("keyset")
	rootPath := fs.String("root", "", "root key file (signs the keyset)")
	passFile := fs.String("root-passphrase-file", "", "file holding the root key's passphrase")
	prev := fs.String("prev", "", "previous keyset document (omit for the first keyset)")
	out := fs.String("out", "", "keyset document to write (never overwritten)")
	var add, retire, compromise listFlag
	fs.Var(&add, "add", "signing key file (or its public part) to add; repeatable")
	fs.Var(&retire, "retire", "kid of a key to retire; repeatable")
	fs.Var(&compromise, "compromise", "kid of a key to declare compromised; repeatable")
	notBefore := fs.String("not-before", "now", "start of the added keys' signing window")
	notAfter := fs.String("not-after", "", "end of the added keys' signing window (default: not-before + 1 year)")
	retireAt := fs.String("retire-at", "now", "when retired keys stop signing")
	validity := fs.Duration("validity", 365*24*time.Hour, "how long verifiers may use this keyset before fetching a newer one")
	nowFlag := fs.String("now", "", "issue time (default: the clock; for reproducible ceremonies)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *rootPath == "" || *out == "" || fs.NArg() != 0 {
		return usagef("%s", i18n.T(c.lang, "keys.err.keysetflags"))
	}
	if *prev == "" && len(add) == 0 {
		return usagef("%s", i18n.T(c.lang, "keys.err.nokeys"))
	}
	now, err := parseTime(*nowFlag, time.Now().UTC())
	if err != nil {
		return err
	}
	o := keytool.KeysetOptions{Prev: *prev, Validity: *validity, Now: now, Out: *out}
	if o.NotBefore, err = parseTime(*notBefore, now); err != nil {
		return err
	}
	o.NotAfter = o.NotBefore.AddDate(1, 0, 0)
	if *notAfter != "" {
		if o.NotAfter, err = parseTime(*notAfter, now); err != nil {
			return err
		}
	}
	if o.RetireAt, err = parseTime(*retireAt, now); err != nil {
		return err
	}
	for _, p := range add {
		f, pub, err := keytool.PublicOf(p)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if f.Role != keyfile.RoleSigning {
			return fmt.Errorf("%s: %s", p, i18n.T(c.lang, "keys.err.notsigning"))
		}
		o.Add = append(o.Add, pub)
	}
	for _, lists := range []struct {
		in  listFlag
		out *[][]byte
	}{{retire, &o.Retire}, {compromise, &o.Compromise}} {
		for _, s := range lists.in {
			kid, err := keytool.ParseKid(s)
			if err != nil {
				return usagef("%v", err)
			}
			*lists.out = append(*lists.out, kid)
		}
	}
	if o.Root, err = c.rootKey(*rootPath, *passFile); err != nil {
		return err
	}
	ks, err := keytool.BuildKeyset(o)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, i18n.T(c.lang, "keys.keyset.written", ks.Seq, *out, len(ks.Keys)))
	c.printKeys(ks)
	return nil
}

func (c *cli) rootKey(path, passFile string) (ed25519.PrivateKey, error) {
	pass, err := c.passphrase(passFile, "CLA_ROOT_PASSPHRASE", false)
	if err != nil {
		return nil, err
	}
	priv, f, err := keyfile.ReadFile(path, pass)
	if err != nil {
		if errors.Is(err, keyfile.ErrPassphrase) {
			return nil, errors.New(i18n.T(c.lang, "keys.err.passphrase", path))
		}
		return nil, err
	}
	if f.Role != keyfile.RoleRoot {
		return nil, fmt.Errorf("%s: %s", path, i18n.T(c.lang, "keys.err.notroot"))
	}
	return priv, nil
}

func (c *cli) printKeys(ks *keyset.Keyset) {
	for _, k := range ks.Keys {
		fmt.Fprintln(c.stdout, i18n.T(c.lang, "keys.keyline", keytool.Kid(k.ID), i18n.T(c.lang, "keys.status."+k.Status.String()),
			k.NotBefore.Format(time.RFC3339), k.NotAfter.Format(time.RFC3339)))
	}
}

// show prints what a key file or a keyset document holds.
func (c *cli) show(args []string) error {
	fs := c.flags("show")
	rootPath := fs.String("root", "", "root key file, to verify a keyset document")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("%s", i18n.T(c.lang, "keys.err.onefile"))
	}
	path := fs.Arg(0)
	if f, pub, err := keytool.PublicOf(path); err == nil {
		fmt.Fprintln(c.stdout, i18n.T(c.lang, "keys.show.key", path, i18n.T(c.lang, "keys.role."+f.Role),
			keytool.Kid(keyIDOf(pub)), f.Public))
		if f.Role == keyfile.RoleRoot {
			fmt.Fprintln(c.stdout, i18n.T(c.lang, "keys.fingerprint", keyset.Fingerprint(pub)))
		}
		return nil
	}
	// A root public key alone (the issuer's root.pub): its fingerprint.
	if data, err := os.ReadFile(path); err == nil && *rootPath == "" {
		if b, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(string(data))); err == nil && len(b) == ed25519.PublicKeySize {
			fmt.Fprintln(c.stdout, i18n.T(c.lang, "keys.fingerprint", keyset.Fingerprint(b)))
			return nil
		}
	}
	if *rootPath == "" {
		return usagef("%s", i18n.T(c.lang, "keys.err.needroot"))
	}
	_, root, err := keytool.PublicOf(*rootPath)
	if err != nil {
		return fmt.Errorf("%s: %w", *rootPath, err)
	}
	ks, err := keytool.OpenKeyset(path, root)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, i18n.T(c.lang, "keys.show.keyset", path, ks.Seq, ks.IssuedAt.Format(time.RFC3339),
		ks.ExpiresAt.Format(time.RFC3339)))
	c.printKeys(ks)
	return nil
}

func (c *cli) jwks(args []string) error {
	fs := c.flags("jwks")
	rootPath := fs.String("root", "", "root key file, to verify the keyset")
	out := fs.String("out", "", "write the JWKS here instead of standard output")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *rootPath == "" {
		return usagef("%s", i18n.T(c.lang, "keys.err.jwksflags"))
	}
	_, root, err := keytool.PublicOf(*rootPath)
	if err != nil {
		return fmt.Errorf("%s: %w", *rootPath, err)
	}
	ks, err := keytool.OpenKeyset(fs.Arg(0), root)
	if err != nil {
		return err
	}
	b, err := keyset.MarshalJWKS(ks.Keys)
	if err != nil {
		return err
	}
	if *out != "" {
		return os.WriteFile(*out, b, 0o644)
	}
	_, err = c.stdout.Write(b)
	return err
}
