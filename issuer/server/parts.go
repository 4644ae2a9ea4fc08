package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/minedu-cla/cla/assets"
	"github.com/minedu-cla/cla/issuer/issuance"
	"github.com/minedu-cla/cla/issuer/keys"
	"github.com/minedu-cla/cla/issuer/mailq"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/dataset"
	"github.com/minedu-cla/cla/issuer/registry/httpreg"
	"github.com/minedu-cla/cla/issuer/revocation"
	"github.com/minedu-cla/cla/issuer/store"
	"github.com/minedu-cla/cla/issuer/ubigeo"
)

// registries returns the identity and records registries: HTTP clients
// when URLs are configured, the embedded synthetic population otherwise.
func registries(cfg Config) (registry.IdentityRegistry, registry.RecordsRegistry, error) {
	if cfg.RENIEC == "" && cfg.Migraciones == "" && cfg.SIAGIE == "" {
		reg, err := dataset.Demo()
		if err != nil {
			return nil, nil, err
		}
		return reg, reg, nil
	}
	if cfg.RENIEC == "" || cfg.SIAGIE == "" {
		return nil, nil, errors.New("server: RENIEC and SIAGIE URLs go together (Migraciones is optional)")
	}
	ids := registry.Identities{}
	var err error
	if ids.DNI, err = httpreg.NewIdentityClient(cfg.RENIEC, httpreg.Options{Service: "reniec"}); err != nil {
		return nil, nil, err
	}
	if cfg.Migraciones != "" {
		if ids.CE, err = httpreg.NewIdentityClient(cfg.Migraciones, httpreg.Options{Service: "migraciones"}); err != nil {
			return nil, nil, err
		}
	}
	recs, err := httpreg.NewRecordsClient(cfg.SIAGIE, httpreg.Options{Service: "siagie"})
	return ids, recs, err
}

func catalogue(cfg Config) (*ubigeo.Catalogue, error) {
	if cfg.UbigeoDir == "" {
		return ubigeo.LoadFS(assets.Ubigeo()) // the whole catalogue, embedded
	}
	return ubigeo.LoadDir(cfg.UbigeoDir)
}

// deliverer sends the outbox's mails over SMTP, or into the outbox
// folder when no SMTP server is configured (development: nothing is lost,
// every message lands as an .eml file).
func deliverer(cfg Config, db store.Store, svc *issuance.Service, log *slog.Logger) (*mailq.Deliverer, error) {
	sender, err := cfg.Mail.NewSender()
	if err != nil {
		return nil, err
	}
	ob, ok := db.(store.Outbox)
	if !ok {
		return nil, fmt.Errorf("mail: the %T store has no outbox", db)
	}
	return mailq.NewDeliverer(mailq.Options{Outbox: ob, Store: db, Sender: sender, From: cfg.Mail.From,
		Compose: composer(svc, cfg.PublicURL), Logger: log})
}

// health reports the parts' state for /healthz: no personal data.
func health(db store.Store, k *keys.Keys, l *revocation.List, d *mailq.Deliverer) func(context.Context) map[string]any {
	return func(ctx context.Context) map[string]any {
		out := map[string]any{}
		ks, _ := k.Keyset()
		out["keyset_seq"] = ks.Seq
		if _, seq, err := l.Current(ctx); err == nil {
			out["status_seq"] = seq
		} else {
			out["status"] = "degraded"
			out["store_error"] = err.Error()
		}
		if _, _, err := k.Signer(); err != nil {
			out["status"] = "degraded"
			out["signer_error"] = err.Error()
		}
		if st, err := d.Stats(ctx); err == nil {
			out["mail"] = st
		} else {
			out["status"] = "degraded"
			out["mail_error"] = err.Error()
		}
		out["time"] = time.Now().UTC().Format(time.RFC3339)
		return out
	}
}
