package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/minedu-cla/cla/issuer/store"
	"github.com/minedu-cla/cla/issuer/store/storetest"
)

func TestMemory(t *testing.T) {
	storetest.Run(t, func(*testing.T) store.Store { return store.NewMemory() })
}

func TestBolt(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := store.OpenBolt(filepath.Join(t.TempDir(), "db_micertificado"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestBoltReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db_micertificado")
	s, err := store.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Update(context.Background(), func(tx store.Tx) error { return tx.PutMeta("k", []byte("v")) })
	s.Close()
	s, err = store.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.View(context.Background(), func(tx store.Tx) error {
		if v, err := tx.Meta("k"); err != nil || string(v) != "v" {
			t.Fatalf("after reopen: %q %v", v, err)
		}
		return nil
	})
}

func TestStudentKey(t *testing.T) {
	a := store.StudentKey([]byte("secret"), "DNI", "10117410")
	if a == store.StudentKey([]byte("other"), "DNI", "10117410") || a == store.StudentKey([]byte("secret"), "CE", "10117410") ||
		a != store.StudentKey([]byte("secret"), "DNI", "10117410") || len(a) != 64 {
		t.Fatal("student keys do not separate secrets, kinds, or are not stable")
	}
}
