// Command cla-verify verifies constancias offline — PDFs, photos, scans or
// QR texts — and keeps the trust data (keyset, revocation list) it checks
// them against: sync with the issuer, bundles on USB sticks. It is a thin
// shell over package verifier, the same engine as the desktop app.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/setup"
)

type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	cfg            config
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	c := &cli{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
	os.Exit(c.run(ctx, os.Args[1:]))
}

// Exit statuses besides the verification ones (verifier.ExitCode).
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
	// exitRefused: import judged the bundle and refused it (not signed by
	// the pinned roots, malformed, or older than the data held).
	exitRefused = 5
)

var errUsage = errors.New("usage")

func usagef(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}

// exitError carries a verification exit status out of a command.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func (c *cli) run(ctx context.Context, args []string) int {
	c.cfg = config{lang: i18n.FromEnv(), storePath: setup.DefaultStore(), issuer: defaultIssuer(),
		soft: 7 * 24 * time.Hour, hard: 30 * 24 * time.Hour}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(c.stdout, i18n.T(c.cfg.lang, "verify.usage"))
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	commands := map[string]func(context.Context, []string) error{
		"verify": c.verify, "sync": c.sync, "import": c.importBundle, "export": c.export,
		"status": c.status, "batch": c.batch, "scan": c.scan,
	}
	cmd, ok := commands[args[0]]
	if !ok {
		c.cfg.lang = langFrom(args, c.cfg.lang)
		fmt.Fprintln(c.stderr, "cla-verify:", i18n.T(c.cfg.lang, "verify.err.command", args[0]))
		return exitUsage
	}
	err := cmd(ctx, args[1:])
	var status exitStatus
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &status):
		return int(status)
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errUsage):
		fmt.Fprintln(c.stderr, "cla-verify:", strings.TrimPrefix(err.Error(), "usage: "))
		return exitUsage
	case errors.Is(err, verifier.ErrRefused):
		fmt.Fprintln(c.stderr, "cla-verify:", err)
		return exitRefused
	case errors.Is(err, setup.ErrBadRoot):
		fmt.Fprintln(c.stderr, "cla-verify:", i18n.T(c.cfg.lang, "verify.err.badroot", err))
		return exitUsage
	case errors.Is(err, errNoRoots):
		fmt.Fprintln(c.stderr, "cla-verify:", i18n.T(c.cfg.lang, "verify.err.noroots", setup.RootsFile(c.cfg.storePath)))
		return exitUsage
	}
	fmt.Fprintln(c.stderr, "cla-verify:", err)
	return exitError
}

// langFrom finds --lang in args, for messages before flags are parsed.
func langFrom(args []string, def i18n.Lang) i18n.Lang {
	for i, a := range args {
		if v, ok := strings.CutPrefix(strings.TrimLeft(a, "-"), "lang="); ok {
			if l, ok := i18n.Parse(v); ok {
				return l
			}
		}
		if (a == "--lang" || a == "-lang") && i+1 < len(args) {
			if l, ok := i18n.Parse(args[i+1]); ok {
				return l
			}
		}
	}
	return def
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// langFlag parses a language.
type langFlag struct{ l *i18n.Lang }

func (f langFlag) String() string {
	if f.l == nil {
		return ""
	}
	return string(*f.l)
}

func (f langFlag) Set(v string) error {
	l, ok := i18n.Parse(v)
	if !ok {
		return fmt.Errorf("%q: use es, en or qu", v)
	}
	*f.l = l
	return nil
}

// flags returns a flag set with the options every command shares.
func (c *cli) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("cla-verify "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Var(langFlag{&c.cfg.lang}, "lang", "language: es, en or qu")
	fs.BoolVar(&c.cfg.json, "json", false, "print results as JSON")
	fs.StringVar(&c.cfg.storePath, "store", c.cfg.storePath, "trust store file (CLA_STORE)")
	fs.Var(&c.cfg.roots, "root", "pinned root key: base64url public key or a cla-keys key file; repeatable (CLA_ROOTS)")
	fs.StringVar(&c.cfg.issuer, "issuer", c.cfg.issuer, "issuer URL for sync (CLA_ISSUER_URL)")
	fs.DurationVar(&c.cfg.soft, "soft-limit", c.cfg.soft, "warn when the trust data is older than this")
	fs.DurationVar(&c.cfg.hard, "hard-limit", c.cfg.hard, "call no code valid when the trust data is older than this")
	fs.StringVar(&c.cfg.now, "now", "", "verify as of this RFC 3339 time (tests, audits)")
	return fs
}

// parse parses flags anywhere among the arguments ("verify a.pdf --json").
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}
