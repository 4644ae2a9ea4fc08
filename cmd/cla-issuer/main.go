// Command cla-issuer runs the CLA issuer: the request and verify pages,
// the trust endpoints verifiers sync from, and the JSON API. With no
// configuration it runs on the development defaults: 127.0.0.1:8080, data
// under ./data, development keys made on first start, the embedded
// synthetic registries, and e-mails written to an outbox folder.
//
// Every setting is a flag and an environment variable (docs/ISSUER.md).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/minedu-cla/cla/issuer/mailq"
	"github.com/minedu-cla/cla/issuer/server"
	"github.com/minedu-cla/cla/issuer/web"
)

// localNote says plainly when the address printed on PDFs and e-mails is
// one that only this machine can open (loopback, or an unspecified or
// private bind address): fine for make run, wrong for real constancias.
func localNote(publicURL string) string {
	u, err := url.Parse(publicURL)
	if err != nil {
		return ""
	}
	host := u.Hostname()
	local := host == "localhost" || strings.HasSuffix(host, ".localhost")
	if ip, err := netip.ParseAddr(host); err == nil {
		local = ip.IsLoopback() || ip.IsUnspecified() || ip.IsPrivate() || ip.IsLinkLocalUnicast()
	}
	if !local {
		return ""
	}
	return fmt.Sprintf("  NOTE: PDFs and e-mails print %s/verificar, an address people elsewhere cannot open.\n"+
		"        Fine for trying it out; for real constancias set -public-url (CLA_PUBLIC_URL) to the public address.", publicURL)
}

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "admin" || args[0] == "audit" || args[0] == "database" || args[0] == "mail") {
		return (&sub{getenv: getenv, stdin: os.Stdin, stdout: stdout, stderr: stderr}).run(args)
	}
	cfg, logJSON, err := parse(args, getenv, stderr)
	if err == flag.ErrHelp {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "cla-issuer:", err)
		return 2
	}
	var h slog.Handler = slog.NewTextHandler(stderr, nil)
	if logJSON {
		h = slog.NewJSONHandler(stderr, nil)
	}
	log := slog.New(h)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ready := func(url string) {
		fmt.Fprintf(stdout, "CLA issuer ready at %s\n", cfg.PublicURL)
		fmt.Fprintf(stdout, "  request: %s/solicitar   verify: %s/verificar   JWKS: %s/.well-known/jwks.json\n",
			cfg.PublicURL, cfg.PublicURL, cfg.PublicURL)
		fmt.Fprintf(stdout, "  staff console: %s/admin (first admin, with the issuer stopped: cla-issuer admin create -user NAME -role admin)\n",
			cfg.PublicURL)
		if note := localNote(cfg.PublicURL); note != "" {
			fmt.Fprintln(stdout, note)
		}
		if cfg.RENIEC == "" {
			fmt.Fprintln(stdout, "  registries: the embedded synthetic population. Identities to try (all in docs/DEMO.md):")
			for _, l := range server.DemoIdentities(3) {
				fmt.Fprintln(stdout, "   -", l)
			}
			fmt.Fprintf(stdout, "  e-mails land in %s/mail/outbox\n", cfg.DataDir)
		}
	}
	if err := server.Run(ctx, cfg, log, ready); err != nil {
		fmt.Fprintln(stderr, "cla-issuer:", err)
		return 1
	}
	return 0
}

// parse reads flags, with environment variables as their defaults.
func parse(args []string, getenv func(string) string, stderr io.Writer) (server.Config, bool, error) {
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	var cfg server.Config
	fs := flag.NewFlagSet("cla-issuer", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Addr, "addr", env("CLA_ADDR", "127.0.0.1:8080"), "listen address (CLA_ADDR)")
	fs.StringVar(&cfg.PublicURL, "public-url", env("CLA_PUBLIC_URL", ""), "URL people use, printed on PDFs and e-mails (CLA_PUBLIC_URL; default http://ADDR)")
	fs.StringVar(&cfg.DataDir, "data", env("CLA_DATA", "data"), "data folder: db_micertificado, keys, mail (CLA_DATA)")
	fs.StringVar(&cfg.Database, "database", env("CLA_DATABASE_URL", ""), "PostgreSQL address postgres://… for the records (CLA_DATABASE_URL; default: the bbolt file in the data folder)")
	fs.StringVar(&cfg.KeyDir, "keys", env("CLA_KEYS", ""), "key folder (CLA_KEYS; default DATA/keys)")
	prod := fs.Bool("production", env("CLA_ENV", "") == "production", "refuse to make development keys (CLA_ENV=production)")
	passFile := fs.String("signing-passphrase-file", env("CLA_SIGNING_PASSPHRASE_FILE", ""), "file with the signing keys' passphrase (or CLA_SIGNING_PASSPHRASE)")
	fs.IntVar(&cfg.StatusSize, "status-size", 0, "status list size in bits for a new list (default 1048576)")
	fs.StringVar(&cfg.RENIEC, "reniec-url", env("CLA_RENIEC_URL", ""), "RENIEC-like service (CLA_RENIEC_URL; empty: embedded synthetic registries)")
	fs.StringVar(&cfg.Migraciones, "migraciones-url", env("CLA_MIGRACIONES_URL", ""), "Migraciones-like service (CLA_MIGRACIONES_URL)")
	fs.StringVar(&cfg.SIAGIE, "siagie-url", env("CLA_SIAGIE_URL", ""), "SIAGIE-like service (CLA_SIAGIE_URL)")
	fs.StringVar(&cfg.UbigeoDir, "ubigeo", env("CLA_UBIGEO_DIR", ""), "folder with the RENIEC ubigeo CSVs (CLA_UBIGEO_DIR; empty: embedded demo catalogue)")
	noLimits := fs.Bool("no-rate-limits", env("CLA_RATE_LIMITS", "") == "off", "turn rate limits off, for load tests (CLA_RATE_LIMITS=off)")
	fs.BoolVar(&cfg.SecureCookies, "secure-cookies", env("CLA_SECURE_COOKIES", "") == "on", "mark cookies Secure behind a TLS proxy (CLA_SECURE_COOKIES=on)")
	behindProxy := fs.Bool("behind-proxy", env("CLA_BEHIND_PROXY", "") == "on", "a reverse proxy on this machine: trust X-Forwarded-For from loopback (CLA_BEHIND_PROXY=on)")
	proxies := fs.String("trusted-proxies", env("CLA_TRUSTED_PROXIES", ""), "reverse proxies whose X-Forwarded-For is trusted, CIDRs separated by commas (CLA_TRUSTED_PROXIES)")
	logJSON := fs.Bool("log-json", env("CLA_LOG", "") == "json", "JSON logs (CLA_LOG=json)")
	if err := fs.Parse(args); err != nil {
		return cfg, false, err
	}
	if *behindProxy {
		cfg.TrustedProxies = append(cfg.TrustedProxies, web.Loopback...)
	}
	for _, c := range strings.FieldsFunc(*proxies, func(r rune) bool { return r == ',' || r == ' ' }) {
		p, err := netip.ParsePrefix(c)
		if err != nil {
			return cfg, false, fmt.Errorf("-trusted-proxies: %q is not a CIDR (e.g. 10.0.0.0/8): %v", c, err)
		}
		cfg.TrustedProxies = append(cfg.TrustedProxies, p.Masked())
	}
	if fs.NArg() > 0 {
		return cfg, false, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	cfg.DevKeys = !*prod
	cfg.Limits = web.DefaultLimits
	if *noLimits {
		cfg.Limits = web.Limits{}
	}
	if *passFile != "" {
		b, err := os.ReadFile(*passFile)
		if err != nil {
			return cfg, false, err
		}
		cfg.SigningPassphrase = []byte(strings.TrimRight(string(b), "\r\n"))
	} else if p := getenv("CLA_SIGNING_PASSPHRASE"); p != "" {
		cfg.SigningPassphrase = []byte(p)
	}
	m, err := mailq.ConfigFromEnv(getenv)
	if err != nil {
		return cfg, false, err
	}
	// The outbox folder defaults under the data folder, not the process's.
	if getenv("CLA_MAIL_OUTBOX") == "" {
		m.Outbox = ""
	}
	cfg.Mail = m
	if cfg.PublicURL == "" {
		cfg.PublicURL = "http://" + cfg.Addr
	}
	return cfg, *logJSON, nil
}
