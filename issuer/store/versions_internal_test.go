package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// TestVersionsBuiltOnOpen: a file written before the versions index
// existed (no such bucket) gets the index on open, covering every
// constancia already there.
func TestVersionsBuiltOnOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db")
	s, err := OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(ctx, func(tx Tx) error {
		for i := range 6 {
			c := &constancia.Issued{Code: fmt.Sprint("B", i), StatusIndex: uint64(i), StudentKey: fmt.Sprint("k", i%2),
				Version: i/2 + 1, State: constancia.Active}
			if err := tx.PutConstancia(c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte(bVersions)) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err = OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.View(ctx, func(tx Tx) error {
		for _, k := range []string{"k0", "k1"} {
			if vs, err := tx.Versions(k); err != nil || len(vs) != 3 {
				t.Errorf("Versions(%s) after the upgrade: %d, %v; want 3", k, len(vs), err)
			}
		}
		return nil
	})
}
