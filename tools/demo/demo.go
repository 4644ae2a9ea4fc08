// Package demo is the smallest real end-to-end run of the signed code:
// development keys made (or reused) on disk, a sample constancia signed,
// its QR code printed, then verified from the files alone. `make run` runs
// it until the issuer service exists.
package demo

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/minedu-cla/cla/atomicfile"
	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/crypto/vcode"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/internal/sample"
	"github.com/minedu-cla/cla/issuer/keytool"
	"github.com/minedu-cla/cla/qr"
)

// DevPassphrase encrypts the development keys. It is public on purpose:
// development keys protect nothing; production keys are made with cla-keys.
const DevPassphrase = "solo-para-desarrollo-local"

// Options of a run.
type Options struct {
	Dir  string // where keys, keyset and outputs live
	Lang i18n.Lang
	Now  func() time.Time
	Rand io.Reader
	// KDF is the cost of encrypting the development keys.
	KDF keyfile.Params
}

// Run makes or reuses development keys in o.Dir, signs a sample constancia
// with a fresh virtual code and verifies it, printing each step to out.
func Run(o Options, out io.Writer) error {
	t := func(key string, args ...any) string { return i18n.T(o.Lang, key, args...) }
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return err
	}
	root, err := devKey(filepath.Join(o.Dir, "root.key"), keyfile.RoleRoot, o)
	if err != nil {
		return err
	}
	signer, err := devKey(filepath.Join(o.Dir, "signing.key"), keyfile.RoleSigning, o)
	if err != nil {
		return err
	}
	ksPath := filepath.Join(o.Dir, "keyset.cose")
	if _, err := os.Stat(ksPath); errors.Is(err, fs.ErrNotExist) {
		now := o.Now().UTC().Truncate(time.Second)
		ks := &keyset.Keyset{Seq: 1, IssuedAt: now, ExpiresAt: now.AddDate(1, 0, 0),
			Keys: []keyset.Key{keyset.NewKey(signer.Public().(ed25519.PublicKey), now.Add(-time.Hour), now.AddDate(1, 0, 0))}}
		doc, err := ks.Sign(root)
		if err != nil {
			return err
		}
		if err := atomicfile.WriteFile(ksPath, doc, 0o644); err != nil {
			return err
		}
		fmt.Fprintln(out, t("demo.keys.made", o.Dir))
	} else {
		fmt.Fprintln(out, t("demo.keys.reused", o.Dir))
	}

	code, err := vcode.New(o.Rand)
	if err != nil {
		return err
	}
	r := sample.Record(sample.Student(), 13)
	r.IssuedAt, r.Code = o.Now().UTC().Truncate(time.Second), code
	recDoc, err := credential.SealRecord(signer, r)
	if err != nil {
		return err
	}
	text, err := credential.Seal(signer, sample.Claims(r, recDoc))
	if err != nil {
		return err
	}
	q, err := qr.Encode(text)
	if err != nil {
		return err
	}
	png, err := q.PNG(4)
	if err != nil {
		return err
	}
	pngPath := filepath.Join(o.Dir, "constancia-qr.png")
	if err := atomicfile.WriteFile(pngPath, png, 0o644); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(o.Dir, "constancia-registro.cose"), recDoc, 0o644); err != nil {
		return err
	}
	fmt.Fprint(out, q.Terminal())
	fmt.Fprintln(out, t("demo.signed", vcode.Format(code), len(text), q.Version, pngPath))
	fmt.Fprintln(out, text)

	// Verify from the files alone, as an offline verifier would.
	ksDoc, err := os.ReadFile(ksPath)
	if err != nil {
		return err
	}
	ks, err := keyset.Open(ksDoc, []ed25519.PublicKey{root.Public().(ed25519.PublicKey)})
	if err != nil {
		return err
	}
	c, k, err := credential.Open(text, ks)
	status := credential.StatusOf(err)
	fmt.Fprintln(out, t("demo.status."+string(status)))
	if err != nil {
		return fmt.Errorf("%s: %w", status, err)
	}
	var years []string
	for _, y := range c.Years {
		grade := fmt.Sprintf("%d.°", y.Grade)
		if y.Level == credential.Inicial {
			grade = t("demo.age", y.Grade)
		}
		years = append(years, fmt.Sprintf("%d %s %s", y.Year, y.Level, grade))
	}
	fmt.Fprintln(out, t("demo.holder", c.Student.FullName(), c.Student.DocType, c.Student.DocNumber,
		strings.Join(years, ", "), fmt.Sprintf("%x", k.ID)))
	return nil
}

// devKey reads a development key, or makes it when absent.
func devKey(path, role string, o Options) (ed25519.PrivateKey, error) {
	priv, _, err := keyfile.ReadFile(path, []byte(DevPassphrase))
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return priv, err
	}
	_, priv, err = ed25519.GenerateKey(o.Rand)
	if err != nil {
		return nil, err
	}
	return priv, keytool.WriteKey(path, priv, role, []byte(DevPassphrase), o.KDF, o.Rand)
}
