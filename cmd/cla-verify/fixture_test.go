package main

import (
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/internal/testissuer"
	"github.com/minedu-cla/cla/internal/testpdf"
)

// fixtureT0 is when the test issuer issues; scripts verify with --now.
var fixtureT0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// fixtureMain is the cla-fixture command of the test scripts: it writes
// files made by a real in-memory issuer (test issuer), or serves its trust
// endpoints.
//
//	cla-fixture write DIR   root.txt, old.bundle, new.bundle, valid.txt,
//	                        link.txt and revoked-link.txt (the QR link form),
//	                        revoked.txt, forged.txt, forged.bundle (another
//	                        root's), record.cose, jwks.json, bomb.pdf
//	                        and jpegbomb.pdf (testpdf.Bombs), compromised.bundle
//	                        (a keyset declaring the signing key compromised,
//	                        with a list signed by that key)
//	cla-fixture serve FILE  serve the trust endpoints; write the URL to FILE
func fixtureMain() {
	is := testissuer.New("cli", fixtureT0)
	valid, revoked := is.Issue(13), is.Issue(3)
	old := is.Bundle()
	is.Now = fixtureT0.Add(time.Hour)
	is.Revoke(revoked)
	forger := testissuer.New("forger", fixtureT0)
	forged := forger.Issue(3)
	switch os.Args[1] {
	case "write":
		dir := os.Args[2]
		jwks, _ := keyset.MarshalJWKS(is.Keyset().Keys)
		files := map[string][]byte{
			"root.txt":         []byte(base64.RawURLEncoding.EncodeToString(is.RootPublic()) + "\n"),
			"old.bundle":       old,
			"new.bundle":       is.Bundle(),
			"valid.txt":        []byte(valid.Text + "\n"),
			"link.txt":         []byte(mustLink(valid.Text) + "\n"),
			"revoked-link.txt": []byte(mustLink(revoked.Text) + "\n"),
			"revoked.txt":      []byte(revoked.Text + "\n"),
			"forged.txt":       []byte(forged.Text + "\n"),
			"forged.bundle":    forger.Bundle(),
			"record.cose":      valid.Record,
			"jwks.json":        jwks,
			"bomb.pdf":         testpdf.Bombs()["flate-256MiB-content"],
			"jpegbomb.pdf":     testpdf.Bombs()["jpeg-header-20000x20000"],
		}
		// The issuer then declares its key compromised; the bundle's
		// keysets are new, its list (signed by that key) is refused.
		next := is.Keyset().Next(is.Keysets[len(is.Keysets)-1], is.Now, 365*24*time.Hour)
		next.Compromise(is.Keyset().Keys[0].ID)
		doc, _ := next.Sign(is.Root)
		is.Keysets = append(is.Keysets, doc)
		files["compromised.bundle"] = is.Bundle()
		for name, data := range files {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
	case "serve":
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			os.Exit(1)
		}
		os.WriteFile(os.Args[2], []byte("http://"+ln.Addr().String()), 0o644)
		http.Serve(ln, testissuer.NewServer(is))
	}
}

// mustLink is the link form a new constancia's QR code carries.
func mustLink(text string) string {
	l, err := credential.Link("https://constancia.minedu.gob.pe", text)
	if err != nil {
		panic(err)
	}
	return l
}
