package server

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/issuance"
	"github.com/minedu-cla/cla/issuer/keys"
	"github.com/minedu-cla/cla/issuer/manage"
	"github.com/minedu-cla/cla/issuer/revocation"
	"github.com/minedu-cla/cla/issuer/staff"
	"github.com/minedu-cla/cla/issuer/store"
	"github.com/minedu-cla/cla/issuer/web"
	"github.com/minedu-cla/cla/issuer/web/api"
	"github.com/minedu-cla/cla/issuer/web/console"
	"github.com/minedu-cla/cla/scan/qrfile"
)

// Run starts the issuer and serves until ctx ends, then shuts down
// gracefully: it stops taking requests, lets those in flight finish
// (bounded by ShutdownGrace), stops the workers and closes the store.
// ready, if not nil, is called with the URL once the server listens.
func Run(ctx context.Context, cfg Config, log *slog.Logger, ready func(url string)) error {
	defaulted := cfg.PublicURL == ""
	cfg.fill()
	// Listen first: with port 0 (tests), the public URL the PDFs print
	// (their QR code links to it) is the port actually taken.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	defer ln.Close() // Serve closes it too; this covers the returns before
	if defaulted {
		cfg.PublicURL = "http://" + ln.Addr().String()
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return err
	}
	var db store.Store
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
	if err := checkPublicURL(cfg.PublicURL); err != nil {
		return err
	}
	ids, recs, err := registries(cfg)
	if err != nil {
		return err
	}
	cat, err := catalogue(cfg)
	if err != nil {
		return err
	}
	status := revocation.New(revocation.Options{Store: db, Size: cfg.StatusSize, Signer: k.MustSigner, Now: now, Rand: rand.Reader})
	if err := status.Init(ctx); err != nil {
		return err
	}
	svc := &issuance.Service{Identity: ids, Records: recs, Store: db, Keys: k, Status: status, Secret: secret,
		Issuer: cfg.Issuer, Now: now, Rand: rand.Reader, Render: renderer(cfg.PublicURL)}
	mail, err := deliverer(cfg, db, svc, log)
	if err != nil {
		return err
	}
	svc.Queued = mail.Wake
	if n, err := svc.UpgradeMail(ctx); err != nil {
		return err
	} else if n > 0 {
		log.Info("e-mails an earlier version left pending moved to the outbox", "count", n)
	}
	oldSpool(cfg.DataDir, log)
	mgr := &manage.Manager{Service: svc, Store: db, Keys: k, Status: status, Secret: secret, Now: now, Log: log}
	defer mgr.Close()
	svc.Audit = mgr
	recorder := audit.NewRecorder(db, audit.RecorderOptions{Now: now,
		OnError: func(err error) { log.Error("audit recorder", "err", err) }})
	defer recorder.Close()
	accounts := &staff.Accounts{Store: db, Params: staff.DefaultParams, Now: now, Rand: rand.Reader}
	// On PostgreSQL the rate limits are the database's, shared by every
	// replica; on bbolt (one process) they stay in memory.
	var buckets web.Buckets
	if b, ok := db.(web.Buckets); ok {
		buckets = b
	}
	// The same for the sessions: the database's, so any replica serves
	// any step of the form and any console page.
	var sessions web.SessionStore
	if s, ok := db.(web.SessionStore); ok {
		sessions = s
	}
	handler, err := web.New(web.Deps{Service: svc, Keys: k, Status: status, Catalogue: cat, Decode: qrfile.Texts,
		Limits: cfg.Limits, SecureCookies: cfg.SecureCookies, TrustedProxies: cfg.TrustedProxies, Log: log, Now: now,
		Health: health(db, k, status, mail), Accounts: accounts, Manage: mgr, Audit: recorder, Buckets: buckets, Sessions: sessions,
		Areas: []web.Area{api.Mount, console.Mount}})
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	workers, stop := context.WithCancel(context.Background())
	defer stop()
	var wg sync.WaitGroup
	wg.Go(func() { mail.Run(workers) })
	wg.Go(func() { refreshLoop(workers, status, log) })
	wg.Go(func() { keysLoop(workers, k, log) })
	if buckets != nil {
		wg.Go(func() { sweepLoop(workers, buckets, now, log) })
	}
	if n, err := mgr.ResumeJobs(ctx); err != nil {
		log.Error("resuming mass reissues", "err", err)
	} else if n > 0 {
		log.Info("resumed mass reissues", "count", n)
	}
	if n, err := accounts.Count(ctx); err == nil && n == 0 {
		log.Warn("no staff accounts: create the first admin with `cla-issuer admin create -user NAME -role admin`")
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	log.Info("issuer listening", "url", cfg.PublicURL, "addr", ln.Addr().String())
	if ready != nil {
		ready("http://" + ln.Addr().String())
	}
	select {
	case err = <-serveErr:
	case <-ctx.Done():
		log.Info("shutting down")
		grace, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
		err = srv.Shutdown(grace)
		cancel()
	}
	stop()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// refreshLoop re-publishes the status list before verifiers would call it
// old, checking every ten minutes.
func refreshLoop(ctx context.Context, l *revocation.List, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		if done, err := l.Refresh(ctx); err != nil && ctx.Err() == nil {
			log.Error("status list refresh", "err", err)
		} else if done {
			log.Info("status list re-published")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// sweepLoop forgets the shared rate-limit buckets idle for a day (full
// again long before: the longest window is an hour) and the expired
// request-form sessions, every ten minutes.
func sweepLoop(ctx context.Context, b web.Buckets, now func() time.Time, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := b.Sweep(ctx, now().Add(-24*time.Hour)); err != nil && ctx.Err() == nil {
			log.Error("sweeping rate-limit buckets", "err", err)
		}
		// Expired request-form sessions (the console sweeps its own, to
		// write each end to the audit trail).
		if ss, ok := b.(web.SessionStore); ok {
			if _, err := ss.SweepSessions(ctx, "public", now()); err != nil && ctx.Err() == nil {
				log.Error("sweeping sessions", "err", err)
			}
		}
	}
}

// KeysReloadEvery is how often a replica looks for rotation steps another
// replica took in the shared key folder (keys.Keys.Reload).
const KeysReloadEvery = 10 * time.Second

func keysLoop(ctx context.Context, k *keys.Keys, log *slog.Logger) {
	t := time.NewTicker(KeysReloadEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if changed, err := k.Reload(); err != nil {
			log.Error("reloading the key folder (the keys in use stay)", "err", err)
		} else if changed {
			ks, _ := k.Keyset()
			log.Info("key folder reloaded", "keyset", ks.Seq)
		}
	}
}

// loadSecret reads the issuer's HMAC secret, making a random one on
// first start (0600).
func loadSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil && len(b) >= 32 {
		return b, nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	b = make([]byte, 32)
	rand.Read(b)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, fmt.Errorf("server: writing the secret: %w", err)
	}
	return b, nil
}

// oldSpool warns of the mail spool folder an earlier version kept: its
// messages are not sent by this one (the outbox is in the database now).
func oldSpool(dataDir string, log *slog.Logger) {
	if m, _ := filepath.Glob(filepath.Join(dataDir, "mail", "spool", "*.msg")); len(m) > 0 {
		log.Warn("the mail spool of an earlier version holds messages this version does not send: "+
			"deliver them with that version, or delete the folder (docs/MAIL.md, upgrading)",
			"folder", filepath.Join(dataDir, "mail", "spool"), "messages", len(m))
	}
}
