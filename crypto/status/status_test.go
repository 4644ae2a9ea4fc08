package status_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/crypto/status"
	"github.com/minedu-cla/cla/internal/sample"
)

var (
	signer = sample.Key("signing 2026")
	key    = keyset.NewKey(signer.Public().(ed25519.PublicKey),
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	keys = keyset.List{key}
	t0   = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
)

// randomList returns a list of size bits with n random indices revoked.
func randomList(t testing.TB, size, n int, seed uint64) *status.List {
	l, err := status.New(size)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 1))
	for l.Count() < n {
		l.Set(uint64(r.IntN(size)), true)
	}
	l.Seq, l.IssuedAt, l.NextUpdate = 1, t0, t0.Add(24*time.Hour)
	return l
}

func TestSignOpen(t *testing.T) {
	t.Parallel()
	l := randomList(t, status.MinBits, 500, 1)
	doc, err := l.Sign(signer)
	if err != nil {
		t.Fatal(err)
	}
	got, err := status.Open(doc, keys)
	if err != nil {
		t.Fatal(err)
	}
	if got.Seq != 1 || got.Count() != 500 || !bytes.Equal(got.Digest(), l.Digest()) || !got.NextUpdate.Equal(l.NextUpdate) {
		t.Fatalf("Open = seq %d count %d", got.Seq, got.Count())
	}
	for i := uint64(0); i < l.Size(); i += 997 {
		a, _ := l.Revoked(i)
		b, _ := got.Revoked(i)
		if a != b {
			t.Fatalf("index %d differs", i)
		}
	}
	if _, err := got.Revoked(l.Size()); !errors.Is(err, status.ErrIndex) {
		t.Fatalf("index past the end: %v", err)
	}
}

func TestOpenRejects(t *testing.T) {
	t.Parallel()
	l := randomList(t, status.MinBits, 10, 2)
	doc, _ := l.Sign(signer)
	flipped := bytes.Clone(doc)
	flipped[len(flipped)-5] ^= 1
	if _, err := status.Open(flipped, keys); !errors.Is(err, status.ErrSignature) {
		t.Errorf("flipped signature: %v", err)
	}
	if _, err := status.Open(doc, keyset.List{}); !errors.Is(err, keyset.ErrUnknownKey) {
		t.Errorf("unknown key: %v", err)
	}
	compromised := key
	compromised.Status = keyset.Compromised
	if _, err := status.Open(doc, keyset.List{compromised}); !errors.Is(err, keyset.ErrKeyCompromised) {
		t.Errorf("compromised key: %v", err)
	}
	late := l.Clone()
	late.IssuedAt, late.NextUpdate = time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 2, 0, 0, 0, 0, time.UTC)
	lateDoc, _ := late.Sign(signer)
	if _, err := status.Open(lateDoc, keys); !errors.Is(err, keyset.ErrKeyNotValid) {
		t.Errorf("signed outside the window: %v", err)
	}
	// A delta document is not a list.
	next := l.Clone()
	next.Seq = 2
	d, _ := status.Diff(l, next)
	dDoc, _ := d.Sign(signer)
	if _, err := status.Open(dDoc, keys); !errors.Is(err, status.ErrMalformed) {
		t.Errorf("delta read as list: %v", err)
	}
	if _, err := status.New(1000); err == nil {
		t.Error("a list under 131,072 bits")
	}
}

func TestDelta(t *testing.T) {
	t.Parallel()
	old := randomList(t, status.MinBits, 100, 3)
	next := old.Clone()
	next.Seq, next.IssuedAt, next.NextUpdate = 5, t0.Add(time.Hour), t0.Add(25*time.Hour)
	next.Set(7, true)
	next.Set(status.MinBits-1, true)
	for i := uint64(0); i < old.Size(); i++ {
		if r, _ := old.Revoked(i); r {
			next.Set(i, false) // un-revoke the first one
			break
		}
	}
	d, err := status.Diff(old, next)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := d.Sign(signer)
	if err != nil {
		t.Fatal(err)
	}
	got, err := status.OpenDelta(doc, keys)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Set) != 2 || len(got.Cleared) != 1 || got.FromSeq != 1 || got.ToSeq != 5 {
		t.Fatalf("delta = %+v", got)
	}
	applied, err := old.Apply(got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(applied.Digest(), next.Digest()) || applied.Seq != 5 || !applied.IssuedAt.Equal(next.IssuedAt) {
		t.Fatal("applied delta differs from the new list")
	}
	if old.Seq != 1 {
		t.Fatal("Apply changed the original")
	}
	// Applying to the wrong seq, or to a diverged copy, fails and changes
	// nothing.
	if _, err := applied.Apply(got); !errors.Is(err, status.ErrSeq) {
		t.Errorf("re-apply: %v", err)
	}
	diverged := old.Clone()
	diverged.Set(9, true)
	if _, err := diverged.Apply(got); !errors.Is(err, status.ErrDiverged) {
		t.Errorf("diverged copy: %v", err)
	}
}

func TestDeltaValidation(t *testing.T) {
	t.Parallel()
	base := status.Delta{FromSeq: 1, ToSeq: 2, IssuedAt: t0, NextUpdate: t0.Add(time.Hour),
		Set: []uint64{1, 5}, Cleared: []uint64{3}, Digest: make([]byte, 32)}
	for name, brk := range map[string]func(d *status.Delta){
		"seq backwards": func(d *status.Delta) { d.ToSeq = 1 },
		"unsorted":      func(d *status.Delta) { d.Set = []uint64{5, 1} },
		"duplicate":     func(d *status.Delta) { d.Set = []uint64{1, 1} },
		"set+cleared":   func(d *status.Delta) { d.Cleared = []uint64{5} },
		"short digest":  func(d *status.Delta) { d.Digest = d.Digest[:31] },
		"times":         func(d *status.Delta) { d.NextUpdate = d.IssuedAt },
	} {
		d := base
		brk(&d)
		if _, err := d.Sign(signer); err == nil {
			t.Errorf("%s: signed", name)
		}
	}
}

// TestMillionBitSize: a 1,000,000-bit list with 1% revoked signs to at
// most 20 KB (goal of the foundation issue).
func TestMillionBitSize(t *testing.T) {
	t.Parallel()
	l := randomList(t, 1_000_000, 10_000, 4)
	doc, err := l.Sign(signer)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("1,000,000 bits, 1%% revoked: %d bytes signed", len(doc))
	if len(doc) > 20_000 {
		t.Errorf("%d bytes, over 20 KB", len(doc))
	}
}

func FuzzOpen(f *testing.F) {
	l := randomList(f, status.MinBits, 20, 5)
	doc, _ := l.Sign(signer)
	f.Add(doc)
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := status.Open(b, keys)
		if err == nil && !bytes.Equal(b, doc) {
			t.Fatalf("an unsigned list opened: seq %d", got.Seq)
		}
	})
}

func FuzzOpenDelta(f *testing.F) {
	old := randomList(f, status.MinBits, 20, 6)
	next := old.Clone()
	next.Seq = 2
	next.Set(3, true)
	d, _ := status.Diff(old, next)
	doc, _ := d.Sign(signer)
	f.Add(doc)
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := status.OpenDelta(b, keys)
		if err == nil && !bytes.Equal(b, doc) {
			t.Fatalf("an unsigned delta opened: %+v", got)
		}
	})
}

func BenchmarkMillionBits(b *testing.B) {
	l := randomList(b, 1_000_000, 10_000, 7)
	doc, _ := l.Sign(signer)
	next := l.Clone()
	next.Seq = 2
	r := rand.New(rand.NewPCG(8, 8))
	for n := 0; n < 10_000; {
		i := uint64(r.IntN(1_000_000))
		if v, _ := next.Revoked(i); !v {
			next.Set(i, true)
			n++
		}
	}
	d, _ := status.Diff(l, next)
	dDoc, _ := d.Sign(signer)
	b.Logf("list %d bytes, delta of 10,000 changes %d bytes", len(doc), len(dDoc))
	b.Run("baseline=Open full list", func(b *testing.B) {
		for b.Loop() {
			if _, err := status.Open(doc, keys); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("OpenDelta+Apply 10k", func(b *testing.B) {
		for b.Loop() {
			d, err := status.OpenDelta(dDoc, keys)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := l.Apply(d); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRevokedLookup: a lookup in a 1,000,000-bit list against a bare
// bit test in a byte slice of the same size.
func BenchmarkRevokedLookup(b *testing.B) {
	l := randomList(b, 1_000_000, 10_000, 7)
	bits := make([]byte, 1_000_000/8)
	var sink bool
	b.Run("baseline=bit test", func(b *testing.B) {
		i := uint64(0)
		for b.Loop() {
			sink = sink != (bits[i>>3]&(0x80>>(i&7)) != 0)
			i = (i + 7919) % 1_000_000
		}
	})
	b.Run("List.Revoked", func(b *testing.B) {
		i := uint64(0)
		for b.Loop() {
			v, _ := l.Revoked(i)
			sink = sink != v
			i = (i + 7919) % 1_000_000
		}
	})
	_ = sink
}

// The head of a kept list binds every bit: a delta head with its bits
// opens; a flipped bit, a bitstring of another size, or a head swapped for
// an older statement does not.
func TestOpenHead(t *testing.T) {
	old := randomList(t, status.MinBits, 20, 8)
	oldDoc, _ := old.Sign(signer)
	next := old.Clone()
	next.Seq, next.IssuedAt, next.NextUpdate = old.Seq+1, old.IssuedAt.Add(time.Hour), old.NextUpdate.Add(time.Hour)
	next.Set(70513, true)
	d, _ := status.Diff(old, next)
	head, _ := d.Sign(signer)

	got, err := status.OpenHead(head, next.Bits(), keys)
	if err != nil || got.Seq != next.Seq || !bytes.Equal(got.Digest(), next.Digest()) || !got.IssuedAt.Equal(next.IssuedAt) {
		t.Fatalf("delta head: %+v, %v", got, err)
	}
	if got, err := status.OpenHead(oldDoc, nil, keys); err != nil || got.Seq != old.Seq {
		t.Fatalf("list head: %+v, %v", got, err)
	}
	flipped := next.Bits()
	flipped[70513/8] ^= 0x80 >> (70513 % 8)
	for name, c := range map[string]struct{ head, bits []byte }{
		"flipped bit":            {head, flipped},
		"older bits":             {head, old.Bits()},
		"bits cut short":         {head, next.Bits()[:status.MinBits/8-1]},
		"bits grown":             {head, append(next.Bits(), 0)},
		"no bits":                {head, nil},
		"older list, newer bits": {oldDoc, next.Bits()},
		"not a statement":        {[]byte("garbage"), next.Bits()},
	} {
		if l, err := status.OpenHead(c.head, c.bits, keys); err == nil {
			t.Errorf("%s: opened seq %d", name, l.Seq)
		}
	}
}

func FuzzOpenHead(f *testing.F) {
	old := randomList(f, status.MinBits, 20, 9)
	next := old.Clone()
	next.Seq = old.Seq + 1
	next.Set(5, true)
	d, _ := status.Diff(old, next)
	head, _ := d.Sign(signer)
	bits := next.Bits()
	f.Add(head, bits[:64])
	f.Fuzz(func(t *testing.T, h, prefix []byte) {
		b := append(prefix[:min(len(prefix), 64):min(len(prefix), 64)], bits[min(len(prefix), 64):]...)
		got, err := status.OpenHead(h, b, keys)
		if err == nil && (!bytes.Equal(h, head) || !bytes.Equal(b, bits)) {
			t.Fatalf("an unsigned head opened: seq %d", got.Seq)
		}
	})
}

// TestOrderOfChecks: with two faults, the first in FORMAT.md's order wins.
func TestOrderOfChecks(t *testing.T) {
	t.Parallel()
	other := sample.Key("not in the keys")
	l := randomList(t, status.MinBits, 3, 7)
	next := l.Clone()
	next.Seq, next.IssuedAt = 2, t0.Add(time.Hour)
	d, err := status.Diff(l, next)
	if err != nil {
		t.Fatal(err)
	}
	// Out of range and diverged: malformed (the index bound first).
	bad := *d
	bad.Set, bad.Cleared, bad.Digest = []uint64{status.MinBits + 1}, []uint64{}, bytes.Repeat([]byte{1}, 32)
	if _, err := l.Apply(&bad); !errors.Is(err, status.ErrMalformed) || !errors.Is(err, status.ErrIndex) {
		t.Errorf("out of range and diverged: %v", err)
	}
	// Wrong seq and out of range: seq first.
	bad.FromSeq = 9
	if _, err := l.Apply(&bad); !errors.Is(err, status.ErrSeq) {
		t.Errorf("wrong seq and out of range: %v", err)
	}
	// A malformed list under an unknown key: malformed.
	short := l.Clone()
	doc, err := short.Sign(other)
	if err != nil {
		t.Fatal(err)
	}
	doc[len(doc)-1] ^= 1
	if _, err := status.Open(doc[:len(doc)-70], keys); !errors.Is(err, status.ErrMalformed) {
		t.Errorf("cut short, unknown key: %v", err)
	}
	if _, err := status.Open(doc, keys); !errors.Is(err, keyset.ErrUnknownKey) {
		t.Errorf("unknown key, bad signature: %v", err)
	}
	// Bad signature under a compromised key: the signature first.
	good, err := l.Sign(signer)
	if err != nil {
		t.Fatal(err)
	}
	good[len(good)-1] ^= 1
	c := key
	c.Status = keyset.Compromised
	if _, err := status.Open(good, keyset.List{c}); !errors.Is(err, status.ErrSignature) {
		t.Errorf("bad signature, compromised: %v", err)
	}
}
