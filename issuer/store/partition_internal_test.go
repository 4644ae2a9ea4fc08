package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/minedu-cla/cla/internal/pgtest"
	"github.com/minedu-cla/cla/issuer/constancia"
)

// TestPartitionMigration: a database at schema 3 (one kv table) with
// records in it is brought to schema 4 at open: every row is kept, each in
// its bucket's partition (a bucket unknown to schema 4 in kv_other), and
// the store reads them as before.
func TestPartitionMigration(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster: make test runs it")
	}
	ctx := context.Background()
	url := pgtest.Start(t).NewDatabase(t)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE TABLE schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		t.Fatal(err)
	}
	for v := 1; v <= 3; v++ {
		if _, err := conn.Exec(ctx, migrations[v]); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, v); err != nil {
			t.Fatal(err)
		}
	}
	// Schema 3's records, written by that schema's store.
	c := &constancia.Issued{ID: 7, Code: "PART1", StudentKey: "k", StatusIndex: 5, Version: 1, State: constancia.Active}
	rec, err := Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	rows := [][3]any{
		{bConstancias, u64(7), rec}, {bByCode, []byte("PART1"), u64(7)}, {bByStudent, []byte("k"), u64(7)},
		{bByIndex, u64(5), u64(7)}, {bLog, u64(1), []byte("entry 1")}, {bOutbox, u64(1), []byte("mail")},
		{"later_bucket", []byte("x"), []byte("y")},
	}
	for _, r := range rows {
		if _, err := conn.Exec(ctx, `INSERT INTO kv (bucket, key, value) VALUES ($1, $2, $3)`, r[0], r[1], r[2]); err != nil {
			t.Fatal(err)
		}
	}
	p, err := OpenPostgres(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	err = p.View(ctx, func(tx Tx) error {
		got, err := tx.ByCode("PART1")
		if err != nil {
			return err
		}
		if got.ID != 7 || got.StatusIndex != 5 {
			return fmt.Errorf("after the migration ByCode = %+v", got)
		}
		_, last, err := tx.LastLog()
		if err != nil || string(last) != "entry 1" {
			return fmt.Errorf("LastLog = %q, %v", last, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		var part string
		if err := conn.QueryRow(ctx, `SELECT tableoid::regclass::text FROM kv WHERE bucket = $1`, r[0]).Scan(&part); err != nil {
			t.Fatalf("bucket %s after the migration: %v", r[0], err)
		}
		want := "kv_" + r[0].(string)
		if r[0] == "later_bucket" {
			want = "kv_other"
		}
		if part != want {
			t.Errorf("bucket %s is in %s, want %s", r[0], part, want)
		}
	}
	var version int
	if err := conn.QueryRow(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&version); err != nil || version != 4 {
		t.Fatalf("schema version %d, %v", version, err)
	}
}

// TestSessionSettings: the store's connections run without JIT and with
// generic plans, unless the database address says otherwise.
func TestSessionSettings(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster: make test runs it")
	}
	ctx := context.Background()
	url := pgtest.Start(t).NewDatabase(t)
	for _, c := range []struct{ url, jit, plans string }{
		{url, "off", "force_generic_plan"},
		{url + "&jit=on", "on", "force_generic_plan"},
	} {
		p, err := OpenPostgres(ctx, c.url)
		if err != nil {
			t.Fatal(err)
		}
		var jit, plans string
		err = p.pool.QueryRow(ctx, `SELECT current_setting('jit'), current_setting('plan_cache_mode')`).Scan(&jit, &plans)
		p.Close()
		if err != nil || jit != c.jit || plans != c.plans {
			t.Errorf("%s: jit %q, plan_cache_mode %q, %v; want %q, %q", c.url, jit, plans, err, c.jit, c.plans)
		}
	}
}
