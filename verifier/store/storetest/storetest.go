// Package storetest is the conformance suite every trust store backend
// must pass.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/minedu-cla/cla/verifier/store"
)

// Run runs the suite against stores made by newStore, each one empty.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	full := &store.Snapshot{
		KeysetDocs: [][]byte{[]byte("ks1"), []byte("ks2")},
		KeysetHead: []byte("ks2"),
		StatusHead: []byte("d3"),
		Bits:       bytes.Repeat([]byte{0, 0x80}, 1<<16),
		ListDoc:    []byte("list"),
		DeltaDocs:  [][]byte{[]byte("d1"), []byte("d2"), []byte("d3")},
		Floor:      t0,
		Sync: store.SyncInfo{LastAttempt: t0.Add(time.Minute), LastSuccess: t0, LastError: "",
			Source: "https://issuer.example/", ETags: map[string]string{"/trust/status": `"abc"`}},
	}
	t.Run("empty", func(t *testing.T) {
		s, err := newStore(t).Load(ctx)
		if err != nil || len(s.KeysetDocs) != 0 || s.ListDoc != nil || !s.Floor.IsZero() {
			t.Fatalf("empty store loads %+v, %v", s, err)
		}
	})
	t.Run("round trip", func(t *testing.T) {
		st := newStore(t)
		if err := st.Save(ctx, full); err != nil {
			t.Fatal(err)
		}
		got, err := st.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		equal(t, got, full)
	})
	t.Run("replace shrinks", func(t *testing.T) {
		st := newStore(t)
		st.Save(ctx, full)
		less := *full
		less.DeltaDocs, less.ListDoc, less.Sync.ETags = nil, []byte("list2"), nil
		less.StatusHead, less.Bits = []byte("list2"), nil
		less.Sync.LastError = "connection refused"
		if err := st.Save(ctx, &less); err != nil {
			t.Fatal(err)
		}
		got, _ := st.Load(ctx)
		equal(t, got, &less)
	})
	t.Run("floor never backwards", func(t *testing.T) {
		st := newStore(t)
		st.Save(ctx, full)
		older := *full
		older.Floor = t0.Add(-time.Hour)
		if err := st.Save(ctx, &older); !errors.Is(err, store.ErrFloorBackwards) {
			t.Fatalf("saved a lower floor: %v", err)
		}
		got, _ := st.Load(ctx)
		equal(t, got, full)
	})
	t.Run("caller's slices are not aliased", func(t *testing.T) {
		st := newStore(t)
		snap := *full
		snap.ListDoc = []byte("list")
		st.Save(ctx, &snap)
		snap.ListDoc[0] = 'X'
		got, _ := st.Load(ctx)
		got.KeysetDocs[0][0] = 'Y'
		again, _ := st.Load(ctx)
		if string(again.ListDoc) != "list" || string(again.KeysetDocs[0]) != "ks1" {
			t.Fatal("store shares memory with its callers")
		}
	})
}

func equal(t *testing.T, got, want *store.Snapshot) {
	t.Helper()
	docs := func(a, b [][]byte) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if !bytes.Equal(a[i], b[i]) {
				return false
			}
		}
		return true
	}
	switch {
	case !docs(got.KeysetDocs, want.KeysetDocs), !bytes.Equal(got.ListDoc, want.ListDoc), !docs(got.DeltaDocs, want.DeltaDocs),
		!bytes.Equal(got.KeysetHead, want.KeysetHead), !bytes.Equal(got.StatusHead, want.StatusHead), !bytes.Equal(got.Bits, want.Bits):
		t.Fatalf("documents differ: %+v", got)
	case !got.Floor.Equal(want.Floor), !got.Sync.LastAttempt.Equal(want.Sync.LastAttempt),
		!got.Sync.LastSuccess.Equal(want.Sync.LastSuccess), got.Sync.LastError != want.Sync.LastError,
		got.Sync.Source != want.Sync.Source, len(got.Sync.ETags) != len(want.Sync.ETags):
		t.Fatalf("metadata differs: %+v, want %+v", got.Sync, want.Sync)
	}
	for k, v := range want.Sync.ETags {
		if got.Sync.ETags[k] != v {
			t.Fatalf("etag %s = %q", k, got.Sync.ETags[k])
		}
	}
}
