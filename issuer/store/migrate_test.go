package store_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/minedu-cla/cla/internal/pgtest"
	"github.com/minedu-cla/cla/issuer/constancia"
	"github.com/minedu-cla/cla/issuer/store"
)

// dump reads everything a Store answers through Tx: constancias (by ID,
// and through each index), the status list and its changes, the log and
// every meta key.
func dump(t *testing.T, s store.Store) string {
	t.Helper()
	var b strings.Builder
	err := s.View(context.Background(), func(tx store.Tx) error {
		err := tx.ForEach(func(c *constancia.Issued) error {
			byCode, err := tx.ByCode(c.Code)
			if err != nil {
				return err
			}
			byIndex, err := tx.ByIndex(c.StatusIndex)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "c %d %s %d %s %x code→%d index→%d\n", c.ID, c.Code, c.StatusIndex, c.State, c.RecordDoc, byCode.ID, byIndex.ID)
			return nil
		})
		if err != nil {
			return err
		}
		st, err := tx.Status()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "status %d %x %x\n", st.Seq, st.Bits, st.Doc)
		ch, err := tx.Changes(0)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "changes %v\n", ch)
		err = tx.ForEachLog(1, func(seq uint64, rec []byte) error { fmt.Fprintf(&b, "log %d %s\n", seq, rec); return nil })
		if err != nil {
			return err
		}
		return tx.ForEachMeta("", func(k string, v []byte) error { fmt.Fprintf(&b, "meta %s %s\n", k, v); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestMigrate: a bbolt store copied into an empty PostgreSQL database
// answers every read the same; new IDs and log seqs continue after the
// copied ones; a second migration into the same database is refused, as is
// a file with a bucket this program does not know.
func TestMigrate(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster: make test runs it")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db_micertificado")
	src, err := store.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	err = src.Update(ctx, func(tx store.Tx) error {
		if err := tx.PutStatus(&store.Status{Bits: bytes.Repeat([]byte{0x10}, 64), Seq: 3, PublishedAt: time.Unix(1e9, 0).UTC(),
			Doc: []byte("signed list")}); err != nil {
			return err
		}
		for i := range 1200 {
			c := &constancia.Issued{Code: fmt.Sprintf("M%05d", i), StatusIndex: uint64(i * 3), StudentKey: fmt.Sprint("s", i),
				RecordDoc: []byte(fmt.Sprint("record ", i)), State: constancia.Active}
			if err := tx.PutConstancia(c); err != nil {
				return err
			}
			if _, err := tx.AppendLog([]byte(fmt.Sprint("entry ", i))); err != nil {
				return err
			}
		}
		if err := tx.DeleteConstancia(5); err != nil {
			return err
		}
		if err := tx.AddChange(store.Change{Seq: 2, Set: []uint64{7}}); err != nil {
			return err
		}
		return tx.PutMeta("staff/ana", []byte("account"))
	})
	if err != nil {
		t.Fatal(err)
	}
	c := pgtest.Start(t)
	url := c.NewDatabase(t)
	dst := openPG(t, url)
	var rows []int
	if err := store.Migrate(ctx, src, dst, func(n int) { rows = append(rows, n) }); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || rows[len(rows)-1] < 1199*4 {
		t.Fatalf("progress %v: fewer rows than the records", rows)
	}
	want, got := dump(t, src), dump(t, dst)
	if want != got {
		t.Fatalf("PostgreSQL answers differently after the migration:\nbbolt:\n%.2000s\npostgres:\n%.2000s", want, got)
	}
	for name, s := range map[string]store.Store{"bbolt": src, "postgres": dst} {
		var id, seq uint64
		err := s.Update(ctx, func(tx store.Tx) error {
			c := &constancia.Issued{Code: "NEXT", StatusIndex: 99_999, StudentKey: "next", State: constancia.Active}
			if err := tx.PutConstancia(c); err != nil {
				return err
			}
			id = c.ID
			var err error
			seq, err = tx.AppendLog([]byte("next"))
			return err
		})
		if err != nil || id != 1201 || seq != 1201 {
			t.Errorf("%s after the migration: new ID %d, log seq %d (%v), want 1201 and 1201", name, id, seq, err)
		}
	}
	if err := store.Migrate(ctx, src, dst, nil); err == nil || !strings.Contains(err.Error(), "already holds") {
		t.Fatalf("a second migration into the same database: %v", err)
	}

	// A bucket this program does not know is not silently left behind.
	odd := filepath.Join(t.TempDir(), "odd")
	db, err := bolt.Open(odd, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("mystery")); return err })
	db.Close()
	s2, err := store.OpenBolt(odd)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if err := store.Migrate(ctx, s2, openPG(t, c.NewDatabase(t)), nil); err == nil || !strings.Contains(err.Error(), "mystery") {
		t.Fatalf("a file with an unknown bucket: %v", err)
	}
}
