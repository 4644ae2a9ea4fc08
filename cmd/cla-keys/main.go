// Command cla-keys runs the key ceremonies of the CLA issuer: it makes the
// root key and signing keys (encrypted at rest), builds and root-signs each
// keyset (rotation, retirement, compromise) and exports the JWKS.
//
// Passphrases come from -passphrase-file, then the environment
// (CLA_PASSPHRASE for the key being made or used, CLA_ROOT_PASSPHRASE for
// the root key), then a prompt on the terminal.
package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/keytool"
	"golang.org/x/term"
)

// minPassphrase is the shortest passphrase accepted for a new key: with
// argon2id at 64 MiB, 12 random-ish characters resist offline guessing.
const minPassphrase = 12

type cli struct {
	lang           i18n.Lang
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

func main() {
	c := &cli{lang: i18n.FromEnv(), stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(c.run(os.Args[1:]))
}

// errUsage marks errors that exit with status 2.
var errUsage = errors.New("usage")

func (c *cli) run(args []string) int {
	args = c.takeLang(args)
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(c.stdout, i18n.T(c.lang, "keys.usage"))
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	commands := map[string]func([]string) error{
		"init-root":   func(a []string) error { return c.newKey(a, keyfile.RoleRoot) },
		"new-signing": func(a []string) error { return c.newKey(a, keyfile.RoleSigning) },
		"keyset":      c.keyset,
		"show":        c.show,
		"jwks":        c.jwks,
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintln(c.stderr, i18n.T(c.lang, "keys.err.command", args[0]))
		return 2
	}
	if err := cmd(args[1:]); err != nil {
		if errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp) {
			if !errors.Is(err, flag.ErrHelp) {
				fmt.Fprintln(c.stderr, "cla-keys:", strings.TrimPrefix(err.Error(), "usage: "))
			}
			return 2
		}
		var pe *os.PathError
		if errors.Is(err, os.ErrExist) && errors.As(err, &pe) {
			err = errors.New(i18n.T(c.lang, "keys.err.exists", pe.Path))
		} else if errors.Is(err, os.ErrExist) {
			err = errors.New(i18n.T(c.lang, "keys.err.exists", strings.TrimSuffix(err.Error(), ": "+os.ErrExist.Error())))
		}
		fmt.Fprintln(c.stderr, "cla-keys:", err)
		return 1
	}
	return 0
}

// takeLang removes -lang/--lang X from anywhere in args.
func (c *cli) takeLang(args []string) []string {
	out := args[:0:0]
	for i := 0; i < len(args); i++ {
		a := args[i]
		if (a == "-lang" || a == "--lang") && i+1 < len(args) {
			if l, ok := i18n.Parse(args[i+1]); ok {
				c.lang = l
			}
			i++
			continue
		}
		if v, ok := strings.CutPrefix(strings.TrimPrefix(a, "-"), "-lang="); ok {
			if l, ok := i18n.Parse(v); ok {
				c.lang = l
			}
			continue
		}
		out = append(out, a)
	}
	return out
}

func (c *cli) flags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.Usage = func() {
		fmt.Fprintln(c.stderr, i18n.T(c.lang, "keys.help."+name))
		fs.PrintDefaults()
	}
	return fs
}

func usagef(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}

type kdfFlags struct {
	time, memKiB uint
}

func (k *kdfFlags) register(fs *flag.FlagSet) {
	fs.UintVar(&k.time, "kdf-time", uint(keyfile.DefaultParams.Time), "argon2id passes")
	fs.UintVar(&k.memKiB, "kdf-memory-kib", uint(keyfile.DefaultParams.MemoryKiB), "argon2id memory in KiB")
}

func (k *kdfFlags) params() keyfile.Params {
	return keyfile.Params{Time: uint32(k.time), MemoryKiB: uint32(k.memKiB), Threads: keyfile.DefaultParams.Threads}
}

func (c *cli) newKey(args []string, role string) error {
	name := map[string]string{keyfile.RoleRoot: "init-root", keyfile.RoleSigning: "new-signing"}[role]
	fs := c.flags(name)
	out := fs.String("out", "", "key file to create (never overwritten)")
	passFile := fs.String("passphrase-file", "", "file holding the passphrase")
	var kdf kdfFlags
	kdf.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() != 0 {
		return usagef("%s", i18n.T(c.lang, "keys.err.out"))
	}
	env := "CLA_PASSPHRASE"
	if role == keyfile.RoleRoot {
		env = "CLA_ROOT_PASSPHRASE"
	}
	pass, err := c.passphrase(*passFile, env, true)
	if err != nil {
		return err
	}
	pub, err := keytool.NewKey(*out, role, pass, kdf.params(), rand.Reader)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, i18n.T(c.lang, "keys.created."+role, *out, keytool.Kid(keyIDOf(pub))))
	if role == keyfile.RoleRoot {
		fmt.Fprintln(c.stdout, i18n.T(c.lang, "keys.fingerprint", keyset.Fingerprint(pub)))
	}
	return nil
}

func keyIDOf(pub ed25519.PublicKey) []byte {
	return keyset.NewKey(pub, time.Unix(0, 0), time.Unix(1, 0)).ID
}

// passphrase reads a passphrase from file, then env, then the terminal.
func (c *cli) passphrase(file, env string, confirm bool) ([]byte, error) {
	var pass []byte
	switch {
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		pass = []byte(strings.TrimRight(string(b), "\r\n"))
	case c.getenv(env) != "":
		pass = []byte(c.getenv(env))
	default:
		f, ok := c.stdin.(*os.File)
		if !ok || !term.IsTerminal(int(f.Fd())) {
			return nil, usagef("%s", i18n.T(c.lang, "keys.err.nopass", env))
		}
		fmt.Fprint(c.stderr, i18n.T(c.lang, "keys.pass.prompt"))
		p, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(c.stderr)
		if err != nil {
			return nil, err
		}
		if confirm {
			fmt.Fprint(c.stderr, i18n.T(c.lang, "keys.pass.confirm"))
			again, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(c.stderr)
			if err != nil {
				return nil, err
			}
			if string(again) != string(p) {
				return nil, errors.New(i18n.T(c.lang, "keys.err.mismatch"))
			}
		}
		pass = p
	}
	if confirm && len([]rune(string(pass))) < minPassphrase {
		return nil, errors.New(i18n.T(c.lang, "keys.err.short", minPassphrase))
	}
	return pass, nil
}
