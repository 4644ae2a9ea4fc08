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
	// exitPartial: import kept the bundle's new keysets but refused its
	// status list (docs/VERIFIER.md): the keys, and so any compromise they
	// declare, are in force; the list is not.
	exitPartial = 6
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
	// --lang anywhere counts from the start: help and flag errors come
	// before the flags are parsed.
	c.cfg.lang = langFrom(args, c.cfg.lang)
	// The common options may come before the command too
	// ("cla-verify --store X import f.cla").
	global, err := parse1(c.flags(""), args)
	switch {
	case errors.Is(err, flag.ErrHelp) || len(global) > 0 && global[0] == "help":
		fmt.Fprint(c.stdout, i18n.T(c.cfg.lang, "verify.usage"))
		return exitOK
	case err != nil:
		fmt.Fprintln(c.stderr, "cla-verify:", c.flagError(err, ""))
		return exitUsage
	case len(global) == 0:
		fmt.Fprint(c.stdout, i18n.T(c.cfg.lang, "verify.usage"))
		return exitUsage
	}
	args = global
	commands := map[string]func(context.Context, []string) error{
		"verify": c.verify, "sync": c.sync, "import": c.importBundle, "export": c.export,
		"status": c.status, "batch": c.batch, "scan": c.scan, "trust": c.trust,
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintln(c.stderr, "cla-verify:", i18n.T(c.cfg.lang, "verify.err.command", args[0]))
		return exitUsage
	}
	err = cmd(ctx, args[1:])
	var status exitStatus
	var ferr *flagErr
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &status):
		return int(status)
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(c.stdout, i18n.T(c.cfg.lang, "verify.help."+args[0])+i18n.T(c.cfg.lang, "verify.help.common"))
		return exitOK
	case errors.As(err, &ferr):
		fmt.Fprintln(c.stderr, "cla-verify:", c.flagError(ferr.err, args[0]))
		return exitUsage
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
	// Help and flag errors are written in the user's language by run
	// (verify.help.COMMAND, flagError), not by package flag in English.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.Var(langFlag{&c.cfg.lang}, "lang", "language: es, en or qu")
	fs.BoolVar(&c.cfg.json, "json", c.cfg.json, "print results as JSON")
	fs.StringVar(&c.cfg.storePath, "store", c.cfg.storePath, "trust store file (CLA_STORE)")
	fs.Var(&c.cfg.roots, "root", "pinned root key: base64url public key or a cla-keys key file; repeatable (CLA_ROOTS)")
	fs.StringVar(&c.cfg.issuer, "issuer", c.cfg.issuer, "issuer URL for sync (CLA_ISSUER_URL)")
	fs.DurationVar(&c.cfg.soft, "soft-limit", c.cfg.soft, "warn when the trust data is older than this")
	fs.DurationVar(&c.cfg.hard, "hard-limit", c.cfg.hard, "call no code valid when the trust data is older than this")
	fs.StringVar(&c.cfg.now, "now", c.cfg.now, "verify as of this RFC 3339 time (tests, audits)")
	return fs
}

// flagErr is a flag that package flag could not parse.
type flagErr struct{ err error }

func (e *flagErr) Error() string { return e.err.Error() }
func (e *flagErr) Unwrap() error { return e.err }

// parse1 parses the flags before the first argument that is not one.
func parse1(fs *flag.FlagSet, args []string) ([]string, error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, &flagErr{err}
	}
	return fs.Args(), nil
}

// parse parses flags anywhere among the arguments ("verify a.pdf --json").
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		rest, err := parse1(fs, args)
		if err != nil {
			return nil, err
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// flagError says in the user's language what package flag found wrong
// (its own messages are English), with where to find the command's help.
func (c *cli) flagError(err error, cmd string) string {
	l := c.cfg.lang
	msg := err.Error()
	var text string
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		text = i18n.T(l, "verify.err.flagunknown", strings.TrimPrefix(msg, "flag provided but not defined: "))
	case strings.HasPrefix(msg, "flag needs an argument: "):
		text = i18n.T(l, "verify.err.flagarg", strings.TrimPrefix(msg, "flag needs an argument: "))
	default:
		name := "?"
		if i := strings.Index(msg, " for flag "); i >= 0 {
			name, _, _ = strings.Cut(msg[i+len(" for flag "):], ":")
		}
		text = i18n.T(l, "verify.err.flagvalue", name)
	}
	help := "cla-verify -h"
	if cmd != "" {
		help = "cla-verify " + cmd + " -h"
	}
	return i18n.T(l, "verify.err.flag", text, help)
}
