package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/staff"
	"github.com/minedu-cla/cla/issuer/store"
	"golang.org/x/term"

	"github.com/minedu-cla/cla/atomicfile"
	"github.com/minedu-cla/cla/qr"
)

// Offline subcommands: they open db_micertificado directly, so the issuer
// must be stopped (bbolt allows one process); the console does the same
// while it runs.
//
//	cla-issuer admin create -user NAME -role admin|registrar|auditor
//	cla-issuer admin list
//	cla-issuer audit check
//	cla-issuer audit export [-o FILE]
//	cla-issuer database migrate -database URL
//	cla-issuer mail status
//	cla-issuer mail requeue

const subUsage = `usage:
  cla-issuer admin create -user NAME -role admin|registrar|auditor [-password-file F]
  cla-issuer admin list
  cla-issuer audit check
  cla-issuer audit export [-o FILE]
  cla-issuer database migrate -database postgres://…   (the bbolt file into an empty PostgreSQL database)
  cla-issuer mail status      (the e-mail outbox: waiting, dead and why)
  cla-issuer mail requeue     (every dead e-mail sent again)
Common flags: -data DIR (CLA_DATA, default ./data), -database postgres://… (CLA_DATABASE_URL).
On the bbolt file, stop the issuer first; on PostgreSQL they run beside it.
`

type sub struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
}

// open parses a subcommand's flags (-data and those more adds) and opens
// the issuer's database.
func (c *sub) open(name string, args []string, more func(*flag.FlagSet)) (store.Store, error) {
	fs := flag.NewFlagSet("cla-issuer "+name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	data := c.dataFlag(fs)
	if more != nil {
		more(fs)
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return c.openStore(data)
}

// where is the issuer's database: a PostgreSQL address, or the bbolt
// file in the data folder.
type where struct{ data, database *string }

func (c *sub) openStore(w where) (store.Store, error) {
	if *w.database != "" {
		return store.OpenPostgres(context.Background(), *w.database)
	}
	path := filepath.Join(*w.data, "db_micertificado")
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no issuer database at %s (use -data or -database, or start the issuer once)", path)
	}
	return store.OpenBolt(path)
}

func (c *sub) dataFlag(fs *flag.FlagSet) where {
	def := c.getenv("CLA_DATA")
	if def == "" {
		def = "data"
	}
	return where{data: fs.String("data", def, "data folder (CLA_DATA)"),
		database: fs.String("database", c.getenv("CLA_DATABASE_URL"), "PostgreSQL address postgres://… (CLA_DATABASE_URL; empty: the bbolt file in the data folder)")}
}

func (c *sub) run(args []string) int {
	if len(args) < 2 {
		fmt.Fprint(c.stderr, subUsage)
		return 2
	}
	var err error
	switch args[0] + " " + args[1] {
	case "admin create":
		err = c.create(args[2:])
	case "admin list":
		err = c.list(args[2:])
	case "audit check":
		var ok bool
		ok, err = c.check(args[2:])
		if err == nil && !ok {
			return 1
		}
	case "audit export":
		err = c.export(args[2:])
	case "database migrate":
		err = c.migrate(args[2:])
	case "mail status":
		err = c.mailStatus(args[2:])
	case "mail requeue":
		err = c.mailRequeue(args[2:])
	default:
		fmt.Fprint(c.stderr, subUsage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(c.stderr, "cla-issuer:", err)
		return 1
	}
	return 0
}

func (c *sub) create(args []string) error {
	fs := flag.NewFlagSet("cla-issuer admin create", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	data := c.dataFlag(fs)
	user := fs.String("user", "", "user name: 3–32 of a-z 0-9 . - _")
	role := fs.String("role", "", "admin, registrar or auditor")
	passFile := fs.String("password-file", "", "read the password from this file (else CLA_ADMIN_PASSWORD, else a prompt)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *user == "" || !staff.Role(*role).Valid() {
		return fmt.Errorf("give -user NAME and -role admin|registrar|auditor")
	}
	pass, err := c.password(*passFile)
	if err != nil {
		return err
	}
	db, err := c.openStore(data)
	if err != nil {
		return err
	}
	defer db.Close()
	acc := &staff.Accounts{Store: db, Params: staff.DefaultParams, Now: time.Now, Rand: rand.Reader}
	uri, err := acc.Create(context.Background(), *user, staff.Role(*role), pass)
	if errors.Is(err, staff.ErrWeakPassword) {
		return fmt.Errorf("the password needs at least %d characters", staff.MinPassword)
	}
	if err != nil {
		return err
	}
	err = db.Update(context.Background(), func(tx store.Tx) error {
		_, err := audit.Append(tx, audit.Entry{Time: time.Now(), Actor: audit.System, Action: audit.UserCreate,
			Target: *user, Details: map[string]string{"role": *role, "via": "cli"}})
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "user %s (%s) created\n", *user, *role)
	if uri != "" {
		fmt.Fprintln(c.stdout, "\nAdmins sign in with a TOTP code too. Scan this with an authenticator app now (shown once):")
		if q, err := qr.Encode(uri); err == nil {
			fmt.Fprint(c.stdout, q.Terminal())
		}
		fmt.Fprintln(c.stdout, uri)
	}
	return nil
}

// password reads a new password: a file, CLA_ADMIN_PASSWORD, or twice at
// a terminal prompt.
func (c *sub) password(file string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		return strings.TrimRight(string(b), "\r\n"), err
	}
	if p := c.getenv("CLA_ADMIN_PASSWORD"); p != "" {
		return p, nil
	}
	f, ok := c.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		line, err := bufio.NewReader(c.stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", fmt.Errorf("no password: give -password-file, CLA_ADMIN_PASSWORD or type it")
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	fmt.Fprint(c.stderr, "Password (12 characters or more): ")
	a, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(c.stderr)
	if err != nil {
		return "", err
	}
	fmt.Fprint(c.stderr, "Again: ")
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(c.stderr)
	if err != nil {
		return "", err
	}
	if string(a) != string(b) {
		return "", errors.New("the passwords differ")
	}
	return string(a), nil
}

func (c *sub) list(args []string) error {
	db, err := c.open("admin list", args, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := (&staff.Accounts{Store: db}).List(context.Background())
	if err != nil {
		return err
	}
	for _, u := range users {
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(c.stdout, "%-32s %-10s %s created %s\n", u.Name, u.Role, state, u.Created.Format("2006-01-02"))
	}
	return nil
}

func (c *sub) check(args []string) (bool, error) {
	db, err := c.open("audit check", args, nil)
	if err != nil {
		return false, err
	}
	defer db.Close()
	rep, err := audit.Check(context.Background(), db)
	if err != nil {
		return false, err
	}
	if rep.OK() {
		fmt.Fprintf(c.stdout, "audit trail intact: %d entries; head %x\n", rep.Entries, rep.Head)
		return true, nil
	}
	fmt.Fprintf(c.stdout, "AUDIT TRAIL ALTERED: %d entries read, %d wrong; first: %s\n", rep.Entries, rep.Problems, rep.First)
	return false, nil
}

func (c *sub) export(args []string) error {
	var out *string
	db, err := c.open("audit export", args, func(fs *flag.FlagSet) {
		out = fs.String("o", "", "write to this file (default: standard output)")
	})
	if err != nil {
		return err
	}
	defer db.Close()
	if *out == "" {
		return audit.Export(context.Background(), db, c.stdout)
	}
	// Streamed to a temporary file beside the target, then renamed: a
	// crash never leaves half an export under the final name.
	return atomicfile.Write(*out, 0o600, func(w io.Writer) error {
		return audit.Export(context.Background(), db, w)
	})
}
