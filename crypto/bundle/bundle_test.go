package bundle

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	b := &Bundle{CreatedAt: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Keysets: [][]byte{{1}, {2}},
		List: []byte{3}, Deltas: [][]byte{{4}}}
	data, err := b.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if !got.CreatedAt.Equal(b.CreatedAt) || len(got.Keysets) != 2 || !bytes.Equal(got.List, []byte{3}) || len(got.Deltas) != 1 {
		t.Fatalf("Parse = %+v", got)
	}
	keysetOnly, _ := (&Bundle{Keysets: [][]byte{{1}}}).Marshal()
	if got, err := Parse(keysetOnly); err != nil || got.List != nil {
		t.Fatalf("keyset-only bundle: %+v %v", got, err)
	}
}

func TestRejects(t *testing.T) {
	t.Parallel()
	good, _ := (&Bundle{Keysets: [][]byte{{1}}, List: []byte{3}}).Marshal()
	for name, data := range map[string][]byte{
		"no magic":      good[len(Magic):],
		"other magic":   append([]byte("CLA-BUNDLE/2\n"), good[len(Magic):]...),
		"trailing":      append(bytes.Clone(good), 0),
		"empty":         nil,
		"no keysets":    append([]byte(Magic), 0xa1, 0x01, 0x00),
		"oversize":      make([]byte, MaxSize+1),
		"deltas nolist": append([]byte(Magic), 0xa3, 0x01, 0x00, 0x02, 0x81, 0x41, 0x01, 0x04, 0x81, 0x41, 0x04),
	} {
		if _, err := Parse(data); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := (&Bundle{}).Marshal(); err == nil {
		t.Error("marshalled a bundle without keysets")
	}
}

func FuzzParse(f *testing.F) {
	good, _ := (&Bundle{Keysets: [][]byte{{1}, {2}}, List: []byte{3}, Deltas: [][]byte{{4}}}).Marshal()
	f.Add(good)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Parse(data)
		if err != nil {
			return
		}
		again, err := b.Marshal()
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("%x parsed but re-marshals to %x (%v)", data, again, err)
		}
	})
}
