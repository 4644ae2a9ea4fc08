package main

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"time"

	"github.com/skip2/go-qrcode"

	"github.com/minedu-cla/cla/internal/testissuer"
	"github.com/minedu-cla/cla/internal/testpdf"
)

// Sample files gen writes.
const (
	fileRoot    = "root.pub"
	fileBundle  = "confianza.cla"
	fileValid   = "valida.pdf"
	fileRevoked = "revocada.pdf"
	fileForged  = "alterada.png"
	fileOther   = "otra-clave.png"
	fileCode    = "codigo.txt" // the valid code's QR text, for the camera
	// fileLater is a later bundle, in which the valid one is revoked.
	fileLater = "confianza-posterior.cla"
)

// gen writes a small world into dir: a test issuer's root key and trust
// bundle (issued two hours ago, so fresh), a valid and a revoked
// constancia as PDFs with their signed records attached, a forged code
// and one signed by an unknown key as pictures.
func gen(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	is := testissuer.New("cla-app-shots", time.Now().Add(-2*time.Hour))
	valid := is.Issue(13)
	revoked := is.Issue(11)
	is.Revoke(revoked)
	other := testissuer.New("an issuer nobody trusts", time.Now().Add(-2*time.Hour)).Issue(6)
	forged := []byte(valid.Text)
	forged[len(forged)-7] = map[bool]byte{true: 'B', false: 'C'}[forged[len(forged)-7] != 'B']

	write := func(name string, data []byte) error { return os.WriteFile(filepath.Join(dir, name), data, 0o644) }
	pdf := func(name string, c testissuer.Code) error {
		b, err := testpdf.Make([]testpdf.Page{{QR: c.Text, Text: "CONSTANCIA DE LOGROS DE APRENDIZAJE"}},
			map[string][]byte{"constancia.cla": c.Record})
		if err != nil {
			return err
		}
		return write(name, b)
	}
	png := func(name, text string) error {
		b, err := qrcode.Encode(text, qrcode.High, 800)
		if err != nil {
			return err
		}
		return write(name, b)
	}
	steps := []error{
		write(fileRoot, []byte(base64.RawURLEncoding.EncodeToString(is.RootPublic())+"\n")),
		write(fileBundle, is.Bundle()),
		write(fileCode, []byte(valid.Text)),
		pdf(fileValid, valid),
		pdf(fileRevoked, revoked),
		png(fileForged, string(forged)),
		png(fileOther, other.Text),
	}
	is.Now = is.Now.Add(time.Hour)
	is.Revoke(valid)
	steps = append(steps, write(fileLater, is.Bundle()))
	for _, err := range steps {
		if err != nil {
			return err
		}
	}
	return nil
}
