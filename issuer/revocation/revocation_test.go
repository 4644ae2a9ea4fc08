package revocation

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/crypto/status"
	"github.com/minedu-cla/cla/internal/sample"
	"github.com/minedu-cla/cla/issuer/store"

	"github.com/minedu-cla/cla/issuer/constancia"
)

var (
	t0     = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	signer = sample.Key("revocation test")
	keys   = keyset.List{keyset.NewKey(signer.Public().(ed25519.PublicKey), t0.Add(-time.Hour), t0.AddDate(1, 0, 0))}
)

type clock struct{ t time.Time }

func newList(t *testing.T, clk *clock) (*List, store.Store) {
	t.Helper()
	s := store.NewMemory()
	l := New(Options{Store: s, Size: status.MinBits, Signer: func() ed25519.PrivateKey { return signer },
		Now: func() time.Time { return clk.t }, Rand: rand.NewChaCha8([32]byte{1})})
	if err := l.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	return l, s
}

func TestAllocateRevokeDelta(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t0}
	l, s := newList(t, clk)
	seen := map[uint64]bool{}
	var idx []uint64
	s.Update(ctx, func(tx store.Tx) error {
		for n := range 1000 {
			i, err := l.Allocate(tx)
			if err != nil {
				return err
			}
			if seen[i] {
				t.Fatalf("index %d handed out twice", i)
			}
			seen[i] = true
			idx = append(idx, i)
			// Storing a constancia is what marks the index used.
			if err := tx.PutConstancia(&constancia.Issued{Code: fmt.Sprint(n), StatusIndex: i}); err != nil {
				return err
			}
		}
		return nil
	})
	// Random, not sequential: the first ten are not consecutive.
	if idx[1] == idx[0]+1 && idx[2] == idx[1]+1 {
		t.Fatalf("indices look sequential: %v", idx[:5])
	}
	doc1, seq1, _ := l.Current(ctx)
	held, err := status.Open(doc1, keys)
	if err != nil || seq1 != 1 {
		t.Fatalf("first list: %v seq %d", err, seq1)
	}
	clk.t = t0.Add(time.Minute)
	s.Update(ctx, func(tx store.Tx) error { return l.Set(tx, true, idx[0], idx[1]) })
	clk.t = t0.Add(2 * time.Minute)
	s.Update(ctx, func(tx store.Tx) error { return l.Set(tx, false, idx[1]) })
	s.Update(ctx, func(tx store.Tx) error { return l.Set(tx, true, idx[0]) }) // no change: no publication
	doc3, seq3, _ := l.Current(ctx)
	if seq3 != 3 {
		t.Fatalf("seq %d, want 3", seq3)
	}
	ddoc, err := l.Delta(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	d, err := status.OpenDelta(ddoc, keys)
	if err != nil {
		t.Fatal(err)
	}
	got, err := held.Apply(d)
	if err != nil {
		t.Fatal(err)
	}
	full, _ := status.Open(doc3, keys)
	if got.Seq != full.Seq || !got.IssuedAt.Equal(full.IssuedAt) || string(got.Digest()) != string(full.Digest()) {
		t.Fatal("delta + old list differs from the new list")
	}
	if r, _ := got.Revoked(idx[0]); !r {
		t.Fatal("revoked index not set")
	}
	if r, _ := got.Revoked(idx[1]); r {
		t.Fatal("restored index still set")
	}
	if d, err := l.Delta(ctx, 3); d != nil || err != nil {
		t.Fatalf("delta from the newest: %v %v", d, err)
	}
	for _, from := range []uint64{0, 4, 99} {
		if _, err := l.Delta(ctx, from); !errors.Is(err, ErrNoDelta) {
			t.Errorf("delta from %d: %v", from, err)
		}
	}
}

func TestRefresh(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t0}
	l, _ := newList(t, clk)
	if done, _ := l.Refresh(ctx); done {
		t.Fatal("refreshed a fresh list")
	}
	clk.t = t0.Add(13 * time.Hour)
	if done, err := l.Refresh(ctx); !done || err != nil {
		t.Fatalf("did not refresh a 13-hour-old list: %v", err)
	}
	doc, seq, _ := l.Current(ctx)
	list, _ := status.Open(doc, keys)
	if seq != 2 || !list.IssuedAt.Equal(t0.Add(13*time.Hour)) {
		t.Fatalf("refreshed list seq %d issued %v", seq, list.IssuedAt)
	}
}

func TestFull(t *testing.T) {
	ctx := context.Background()
	l, s := newList(t, &clock{t0})
	// Every index revoked (the cheap way to fill the list): none is free.
	err := s.Update(ctx, func(tx store.Tx) error {
		st, err := tx.Status()
		if err != nil {
			return err
		}
		for i := range st.Bits {
			st.Bits[i] = 0xff
		}
		if err := tx.PutStatus(st); err != nil {
			return err
		}
		_, err = l.Allocate(tx)
		return err
	})
	if !errors.Is(err, ErrFull) {
		t.Fatalf("allocating in a full list: %v", err)
	}
}
