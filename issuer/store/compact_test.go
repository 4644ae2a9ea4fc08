package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/issuer/store"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// TestCompactErasesDeleted shows why cancellation compacts: a deleted
// record's bytes stay in bbolt's freed pages until the file is rewritten.
// Transactions running during the compaction wait and then succeed.
func TestCompactErasesDeleted(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db_micertificado")
	s, err := store.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const secret = "QUISPEHUAMANZYX"
	var id uint64
	err = s.Update(ctx, func(tx store.Tx) error {
		for i := range 50 {
			c := &constancia.Issued{Code: fmt.Sprintf("C%03d", i), StatusIndex: uint64(i), StudentKey: fmt.Sprint(i),
				Student: credential.Student{FirstSurname: "PEREZ"}, State: constancia.Active}
			if i == 7 {
				c.Student.FirstSurname = secret
			}
			if err := tx.PutConstancia(c); err != nil {
				return err
			}
			if i == 7 {
				id = c.ID
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, func(tx store.Tx) error { return tx.DeleteConstancia(id) }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !bytes.Contains(b, []byte(secret)) {
		t.Log("the deleted bytes were already gone before compaction (page reused)")
	}
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Go(func() {
			errs <- s.Update(ctx, func(tx store.Tx) error { return tx.PutMeta(fmt.Sprint("k", i), []byte("v")) })
		})
	}
	if err := s.Compact(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if b, _ := os.ReadFile(path); bytes.Contains(b, []byte(secret)) {
		t.Fatal("the deleted surname is still in the file after Compact")
	}
	err = s.View(ctx, func(tx store.Tx) error {
		n := 0
		if err := tx.ForEach(func(*constancia.Issued) error { n++; return nil }); err != nil {
			return err
		}
		if n != 49 {
			return fmt.Errorf("%d constancias after compaction, want 49", n)
		}
		for i := range 20 {
			if v, err := tx.Meta(fmt.Sprint("k", i)); err != nil || string(v) != "v" {
				return fmt.Errorf("meta k%d: %q %v", i, v, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".compact"); !os.IsNotExist(err) {
		t.Fatal("the compaction copy was left behind")
	}
}

// BenchmarkCompact measures a compaction against its baseline, one read
// of every constancia, on a file of b.N-independent size (20,000
// constancias of ~3 KB, ~70 MB).
func BenchmarkCompact(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "db_micertificado")
	s, err := store.OpenBolt(path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	doc := bytes.Repeat([]byte{0xA5}, 3000)
	for batch := range 20 {
		err := s.Update(ctx, func(tx store.Tx) error {
			for i := range 1000 {
				n := batch*1000 + i
				c := &constancia.Issued{Code: fmt.Sprintf("C%07d", n), StatusIndex: uint64(n), StudentKey: fmt.Sprint(n),
					RecordDoc: doc, State: constancia.Active}
				if err := tx.PutConstancia(c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Run("baseline-read-all", func(b *testing.B) {
		for b.Loop() {
			s.View(ctx, func(tx store.Tx) error { return tx.ForEach(func(*constancia.Issued) error { return nil }) })
		}
	})
	b.Run("compact", func(b *testing.B) {
		for b.Loop() {
			if err := s.Compact(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
