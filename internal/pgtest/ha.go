package pgtest

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Standby starts a streaming-replication standby of c, as docs/DEPLOY.md
// sets one up: pg_basebackup -R (the standby.signal and primary_conninfo
// it writes), on a port of its own. It answers reads, refuses writes, and
// replays c's changes until promoted.
func (c *Cluster) Standby(t testing.TB) *Cluster {
	t.Helper()
	dir, err := os.MkdirTemp("", "cla-pg-standby-")
	if err != nil {
		t.Fatal(err)
	}
	s := &Cluster{dir: dir, bin: c.bin, asUser: c.asUser}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if len(c.asUser) > 0 {
		if out, err := exec.Command("chown", "postgres:", dir).CombinedOutput(); err != nil {
			t.Fatalf("pgtest: %v %s", err, out)
		}
	}
	data := filepath.Join(dir, "data")
	c.run(t, "pg_basebackup", "-h", "127.0.0.1", "-p", strconv.Itoa(c.port), "-U", "cla", "-D", data, "-R", "-X", "stream",
		"--no-sync", "-c", "fast")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = l.Addr().(*net.TCPAddr).Port
	l.Close()
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c max_connections=200 -c fsync=off", s.port, dir)
	s.run(t, "pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start", "-o", opts)
	t.Cleanup(func() { s.Stop() })
	return s
}

// Stop stops the server at once (as a crash of its machine would).
func (c *Cluster) Stop() {
	exec.Command(c.asUser0(), c.args("pg_ctl", "-D", filepath.Join(c.dir, "data"), "-m", "immediate", "-w", "stop")...).Run()
}

// Promote makes a standby the primary (pg_ctl promote) and waits until
// it takes writes.
func (c *Cluster) Promote(t testing.TB) {
	t.Helper()
	c.run(t, "pg_ctl", "-D", filepath.Join(c.dir, "data"), "-w", "-t", "60", "promote")
}

// CaughtUp waits until standby has replayed everything c has written.
func (c *Cluster) CaughtUp(t testing.TB, standby *Cluster) {
	t.Helper()
	ctx := context.Background()
	var lsn string
	if err := queryRow(ctx, c.URL("postgres"), `SELECT pg_current_wal_lsn()::text`, &lsn); err != nil {
		t.Fatal(err)
	}
	for range 300 {
		var done bool
		err := queryRow(ctx, standby.URL("postgres"), `SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn`, &done, lsn)
		if err == nil && done {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("pgtest: the standby did not replay up to %s", lsn)
}

// Dump writes database dbURL (an address on c) with pg_dump's custom
// format, online, and returns the file.
func (c *Cluster) Dump(t testing.TB, dbURL string) string {
	t.Helper()
	file := filepath.Join(c.dir, "backup-"+dbName(t, dbURL)+".dump")
	c.run(t, "pg_dump", "-h", "127.0.0.1", "-p", strconv.Itoa(c.port), "-U", "cla", "-Fc", "-f", file, dbName(t, dbURL))
	return file
}

// Restore creates a database on c from a pg_dump file (pg_restore) and
// returns its address.
func (c *Cluster) Restore(t testing.TB, file string) string {
	t.Helper()
	u := c.NewDatabase(t)
	// Where the server's user can read it.
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	local := filepath.Join(c.dir, "restore.dump")
	if err := os.WriteFile(local, b, 0o644); err != nil {
		t.Fatal(err)
	}
	c.run(t, "pg_restore", "-h", "127.0.0.1", "-p", strconv.Itoa(c.port), "-U", "cla", "-d", dbName(t, u), "--no-owner", local)
	return u
}

// Query runs one query returning one row on dbURL.
func Query(t testing.TB, dbURL, sql string, dest ...any) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if err := conn.QueryRow(context.Background(), sql).Scan(dest...); err != nil {
		t.Fatalf("pgtest: %s: %v", sql, err)
	}
}

// URLOn is dbURL's database on cluster c (a standby's copy of it).
func (c *Cluster) URLOn(t testing.TB, dbURL string) string {
	t.Helper()
	return c.URL(dbName(t, dbURL))
}

func dbName(t testing.TB, dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(u.Path, "/")
}

func queryRow(ctx context.Context, dbURL, sql string, dest any, args ...any) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return conn.QueryRow(ctx, sql, args...).Scan(dest)
}
