// Package pgtest starts a throwaway PostgreSQL cluster for tests: initdb
// in a temporary folder, the server on a free loopback port, stopped and
// removed when the test ends. Debian's postgresql package provides the
// programs (scripts/deps.sh installs it); as root they run as the
// postgres user, since PostgreSQL refuses to run as root.
package pgtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Cluster is a running throwaway server.
type Cluster struct {
	dir, bin string
	port     int
	asUser   []string // runuser prefix when running as root
	n        atomic.Int64
}

// binDir finds PostgreSQL's programs: on the PATH, else Debian's
// /usr/lib/postgresql/<version>/bin (the newest).
func binDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		// A link on the PATH (to Debian's folder): the folder of every
		// program is the one it points into.
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		return filepath.Dir(p), nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi < vj
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i], nil
		}
	}
	return "", fmt.Errorf("pgtest: PostgreSQL's initdb not found (make deps installs the postgresql package)")
}

// Start starts a cluster for the test (and its subtests), without fsync
// (tests, not crashes of the machine).
func Start(t testing.TB) *Cluster { t.Helper(); return start(t, false) }

// StartDurable starts a cluster that flushes every commit to disk, as a
// deployment does: for benchmarks against bbolt, which does too.
func StartDurable(t testing.TB) *Cluster { t.Helper(); return start(t, true) }

func start(t testing.TB, durable bool) *Cluster {
	t.Helper()
	bin, err := binDir()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "cla-pg-")
	if err != nil {
		t.Fatal(err)
	}
	c := &Cluster{dir: dir, bin: bin}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatal("pgtest: running as root needs the postgres user (from the postgresql package): ", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
		c.asUser = []string{"runuser", "-u", "postgres", "--"}
	}
	data := filepath.Join(dir, "data")
	c.run(t, "initdb", "-D", data, "-U", "cla", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c max_connections=200", c.port, dir)
	if !durable {
		opts += " -c fsync=off -c full_page_writes=off"
	}
	c.run(t, "pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start", "-o", opts)
	t.Cleanup(func() {
		cmd := exec.Command(c.asUser0(), c.args("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")...)
		cmd.Run()
	})
	return c
}

func (c *Cluster) asUser0() string {
	if len(c.asUser) > 0 {
		return c.asUser[0]
	}
	return filepath.Join(c.bin, "pg_ctl")
}

func (c *Cluster) args(prog string, args ...string) []string {
	if len(c.asUser) > 0 {
		return append(append(c.asUser[1:], filepath.Join(c.bin, prog)), args...)
	}
	return args
}

func (c *Cluster) run(t testing.TB, prog string, args ...string) {
	t.Helper()
	var cmd *exec.Cmd
	if len(c.asUser) > 0 {
		cmd = exec.Command(c.asUser[0], c.args(prog, args...)...)
	} else {
		cmd = exec.Command(filepath.Join(c.bin, prog), args...)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "log"))
		t.Fatalf("pgtest: %s: %v\n%s\n%s", prog, err, out, log)
	}
}

// URL is the address of database name on the cluster.
func (c *Cluster) URL(name string) string {
	return fmt.Sprintf("postgres://cla@127.0.0.1:%d/%s?sslmode=disable", c.port, name)
}

// NewDatabase creates an empty database and returns its address.
func (c *Cluster) NewDatabase(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("t%d", c.n.Add(1))
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	return c.URL(name)
}
