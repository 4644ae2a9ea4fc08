package server

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/issuer/constancia"
	"github.com/minedu-cla/cla/issuer/issuance"
	"github.com/minedu-cla/cla/issuer/keys"
	"github.com/minedu-cla/cla/issuer/manage"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/synth"
	"github.com/minedu-cla/cla/issuer/revocation"
	"github.com/minedu-cla/cla/issuer/store"
	"github.com/minedu-cla/cla/issuer/web"
)

// preloadBatch is how many constancias one transaction of Preload issues.
const preloadBatch = 1000

// preloadEmail is the address the preloaded constancias keep.
const preloadEmail = "carga@example.pe"

// Preload fills the store of cfg (its data folder's bbolt file, or its
// database) with n constancias of a synthetic population (seed), signed
// with the issuer's keys and audited as issuances, as the issuer run on
// cfg would have issued them, without PDFs or e-mails: the national-scale
// load tests (tools/cla-load -preload). On bbolt the issuer must not be
// running. report, if not nil, is called after each transaction.
func Preload(ctx context.Context, cfg Config, n int, seed uint64, report func(done int)) error {
	cfg.fill()
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return err
	}
	var db store.Store
	var err error
	if cfg.Database != "" {
		db, err = store.OpenPostgres(ctx, cfg.Database)
	} else {
		db, err = store.OpenBolt(filepath.Join(cfg.DataDir, "db_micertificado"))
	}
	if err != nil {
		return err
	}
	defer db.Close()
	now := cfg.Now
	k, err := keys.Open(keys.Options{Dir: cfg.KeyDir, Dev: cfg.DevKeys, Passphrase: cfg.SigningPassphrase,
		Now: now, Rand: rand.Reader, KDF: keyfile.DefaultParams})
	if err != nil {
		return err
	}
	secret, err := loadSecret(filepath.Join(cfg.DataDir, "secret"))
	if err != nil {
		return err
	}
	status := revocation.New(revocation.Options{Store: db, Size: cfg.StatusSize, Signer: k.MustSigner, Now: now, Rand: rand.Reader})
	if err := status.Init(ctx); err != nil {
		return err
	}
	svc := &issuance.Service{Store: db, Keys: k, Status: status, Secret: secret, Issuer: cfg.Issuer, Now: now, Rand: rand.Reader}
	mgr := &manage.Manager{Service: svc, Store: db, Keys: k, Status: status, Secret: secret, Now: now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	defer mgr.Close()
	svc.Audit = mgr

	// Some students have neither DNI nor CE and cannot ask: a tenth more.
	g, err := synth.New(synth.Config{Seed: seed, Students: min(synth.MaxStudents, n+n/10+10), Today: synth.DefaultToday})
	if err != nil {
		return err
	}
	done := 0
	var batch []*issuance.Checked
	flush := func() error {
		got, err := svc.Preload(ctx, batch)
		done += got
		batch = batch[:0]
		if err == nil && report != nil {
			report(done)
		}
		return err
	}
	for f := 0; f < g.Families() && done+len(batch) < n; f++ {
		_, students := g.Family(f)
		for _, s := range students {
			if s.Doc.IsZero() || len(s.Years) == 0 || done+len(batch) >= n {
				continue
			}
			batch = append(batch, &issuance.Checked{
				Request: issuance.Request{Requester: constancia.Adult, Email: preloadEmail, TermsVersion: web.TermsVersion,
					Student: issuance.Person{Doc: s.Doc, Claim: registry.Claim{Ubigeo: s.Years[len(s.Years)-1].School.Ubigeo}}},
				Identity: &registry.Person{Doc: s.Doc, Names: s.Names, Surname1: s.Surname1, Surname2: s.Surname2},
				Records:  s,
			})
			if len(batch) == preloadBatch {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	if len(batch) > 0 {
		if err := flush(); err != nil {
			return err
		}
	}
	if done < n {
		return fmt.Errorf("server: preloaded %d constancias of %d: the population ran out", done, n)
	}
	return nil
}
