package browser_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/minedu-cla/cla/verifier/browser"
	"github.com/minedu-cla/cla/verifier/store"
	"github.com/minedu-cla/cla/verifier/store/storetest"
)

func TestStoreConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) store.Store { return &browser.Store{Blob: &browser.MemoryBlob{}} })
}

// sample is a snapshot with every field set.
func sample() *store.Snapshot {
	t0 := time.Date(2026, 3, 1, 12, 30, 0, 123456789, time.UTC)
	return &store.Snapshot{
		KeysetDocs: [][]byte{[]byte("ks1"), []byte("ks2")}, KeysetHead: []byte("ks2"),
		StatusHead: []byte("d2"), Bits: bytes.Repeat([]byte{0, 0x80}, 1<<10),
		ListDoc: []byte("list"), DeltaDocs: [][]byte{[]byte("d1"), []byte("d2")}, Floor: t0,
		Sync: store.SyncInfo{LastAttempt: t0.Add(time.Hour), LastSuccess: t0, LastError: "refused",
			Source: "https://cla.example", ETags: map[string]string{"/trust/status": `"7"`, "/a": "b"}},
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	for name, s := range map[string]*store.Snapshot{"empty": {}, "full": sample()} {
		t.Run(name, func(t *testing.T) {
			data, err := browser.EncodeSnapshot(s)
			if err != nil {
				t.Fatal(err)
			}
			got, err := browser.DecodeSnapshot(data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, s) {
				t.Fatalf("round trip:\n got %+v\nwant %+v", got, s)
			}
		})
	}
}

func TestSnapshotRefused(t *testing.T) {
	good, _ := browser.EncodeSnapshot(sample())
	for name, c := range map[string]struct {
		data []byte
		want error
	}{
		"no magic":      {[]byte("XXXX\x01"), browser.ErrSnapshot},
		"version 2":     {append([]byte("CLAT\x02"), good[5:]...), browser.ErrSnapshotVersion},
		"trailing byte": {append(bytes.Clone(good), 0), browser.ErrSnapshot},
		"cut short":     {good[:len(good)-1], browser.ErrSnapshot},
		"huge count":    {[]byte("CLAT\x01\xff\xff\xff\xff\x0f"), browser.ErrSnapshot},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := browser.DecodeSnapshot(c.data); !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
}

// TestStoreDamaged: bytes that do not decode are store.ErrDamaged, moved
// aside by Quarantine.
func TestStoreDamaged(t *testing.T) {
	ctx := context.Background()
	blob := &browser.MemoryBlob{}
	blob.Save(ctx, []byte("CLAT\x01garbage"))
	st := &browser.Store{Blob: blob}
	if _, err := st.Load(ctx); !errors.Is(err, store.ErrDamaged) {
		t.Fatalf("load: %v", err)
	}
	if _, err := st.Quarantine(); err != nil || string(blob.Aside()) != "CLAT\x01garbage" {
		t.Fatalf("quarantine: %v, aside %q", err, blob.Aside())
	}
	if s, err := st.Load(ctx); err != nil || s.KeysetDocs != nil {
		t.Fatalf("after quarantine: %+v, %v", s, err)
	}
}

// FuzzSnapshot: the decoder never panics, and what it accepts encodes
// back to bytes that decode to the same snapshot.
func FuzzSnapshot(f *testing.F) {
	for _, s := range []*store.Snapshot{{}, sample()} {
		data, _ := browser.EncodeSnapshot(s)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := browser.DecodeSnapshot(data)
		if err != nil {
			return
		}
		again, err := browser.EncodeSnapshot(s)
		if err != nil {
			t.Fatalf("decoded but does not encode: %v", err)
		}
		s2, err := browser.DecodeSnapshot(again)
		if err != nil || !reflect.DeepEqual(s, s2) {
			t.Fatalf("round trip: %v\n%+v\n%+v", err, s, s2)
		}
	})
}
