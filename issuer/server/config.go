// Package server wires the issuer together — store, keys, registries,
// status list, PDF, mail queue, web — and runs it until its context ends,
// shutting down gracefully. cmd/cla-issuer turns flags and environment
// into a Config and calls Run.
package server

import (
	"net/netip"
	"time"

	"github.com/minedu-cla/cla/issuer/mailq"
	"github.com/minedu-cla/cla/issuer/web"
)

// Config is the issuer's whole configuration. Zero values mean the
// development defaults (docs/DESIGN.md, "Defaults that make it run anywhere").
type Config struct {
	// Addr is the listen address (default 127.0.0.1:8080).
	Addr string
	// PublicURL is how people reach the issuer; it is printed on the PDF
	// and in e-mails (default http://<Addr>).
	PublicURL string
	// DataDir holds db_micertificado, the keys (unless KeyDir), the mail
	// outbox folder, and the secret (default ./data).
	DataDir string
	// Database, when set (postgres://…), keeps the records in PostgreSQL
	// instead of DataDir's bbolt file: several issuer processes can share
	// it (docs/DEPLOY.md). Keys, the student-index secret and the mail
	// folders stay in each process's DataDir.
	Database string
	// KeyDir holds root.pub, the keyset chain and the signing keys
	// (default DataDir/keys). With DevKeys, keys are made there on first
	// start.
	KeyDir  string
	DevKeys bool
	// SigningPassphrase opens the signing keys (development keys use a
	// random passphrase saved beside them).
	SigningPassphrase []byte
	// StatusSize is the status list size in bits (default 1,048,576).
	StatusSize int
	// RENIEC, Migraciones and SIAGIE are the registry services' base URLs;
	// all empty means the embedded synthetic registries.
	RENIEC, Migraciones, SIAGIE string
	// UbigeoDir holds the RENIEC ubigeo catalogue CSVs; empty means the
	// small embedded demo catalogue.
	UbigeoDir string
	Mail      mailq.Config
	Limits    web.Limits
	// SecureCookies and TrustedProxies: see web.Deps.
	SecureCookies  bool
	TrustedProxies []netip.Prefix
	// Issuer is the iss claim (default "MINEDU").
	Issuer string
	// ShutdownGrace bounds the graceful shutdown (default 15 s).
	ShutdownGrace time.Duration
	// Now is the issuer's clock (default time.Now): tests move it past a
	// new key's not_before and a rotation's overlap.
	Now func() time.Time
}

func (c *Config) fill() {
	or := func(s *string, def string) {
		if *s == "" {
			*s = def
		}
	}
	or(&c.Addr, "127.0.0.1:8080")
	or(&c.PublicURL, "http://"+c.Addr)
	or(&c.DataDir, "data")
	or(&c.KeyDir, c.DataDir+"/keys")
	or(&c.Issuer, "MINEDU")
	or(&c.Mail.From, mailq.DefaultFrom)
	or(&c.Mail.Outbox, c.DataDir+"/mail/outbox")
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.ShutdownGrace == 0 {
		c.ShutdownGrace = 15 * time.Second
	}
}
