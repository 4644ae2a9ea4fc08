package ed25519verify

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	mathrand "math/rand"
	"testing"
)

// verdict returns Verify's answer, or "panic: …" if it panics.
func verdict(verify func(ed25519.PublicKey, []byte, []byte) bool, pub, msg, sig []byte) (v string) {
	defer func() {
		if r := recover(); r != nil {
			v = fmt.Sprintf("panic: %v", r)
		}
	}()
	return fmt.Sprint(verify(pub, msg, sig))
}

// same fails t unless Verify and crypto/ed25519.Verify give the same
// verdict (or panic with the same message) on pub, msg, sig, and returns it.
func same(t testing.TB, what string, pub, msg, sig []byte) string {
	t.Helper()
	want := verdict(ed25519.Verify, pub, msg, sig)
	got := verdict(Verify, pub, msg, sig)
	if got != want {
		t.Fatalf("%s: Verify = %s, crypto/ed25519.Verify = %s\npub %x\nmsg %x\nsig %x", what, got, want, pub, msg, sig)
	}
	return got
}

func TestRFC8032(t *testing.T) {
	for _, v := range rfc8032 {
		seed, pub, msg, sig := mustHex(v.seed), mustHex(v.pub), mustHex(v.msg), mustHex(v.sig)
		// The vector is what it says (checked with the standard library).
		priv := ed25519.NewKeyFromSeed(seed)
		if !bytes.Equal(priv.Public().(ed25519.PublicKey), pub) || !bytes.Equal(ed25519.Sign(priv, msg), sig) {
			t.Fatalf("%s: vector mistyped", v.name)
		}
		if same(t, v.name, pub, msg, sig) != "true" {
			t.Errorf("%s: rejected", v.name)
		}
		// And every single-bit change of it is rejected by both.
		flips(t, v.name, pub, msg, sig)
	}
}

// flips checks every single-bit flip of sig, pub and msg (bits of msg
// beyond the first 64 bytes only on a sample, for time under wasm).
func flips(t *testing.T, name string, pub, msg, sig []byte) {
	t.Helper()
	flip := func(b []byte, i int) []byte {
		c := append([]byte(nil), b...)
		c[i/8] ^= 1 << (i % 8)
		return c
	}
	for i := 0; i < 8*len(sig); i++ {
		same(t, fmt.Sprintf("%s, sig bit %d", name, i), pub, msg, flip(sig, i))
	}
	for i := 0; i < 8*len(pub); i++ {
		same(t, fmt.Sprintf("%s, pub bit %d", name, i), flip(pub, i), msg, sig)
	}
	for i := 0; i < 8*len(msg); i++ {
		if i >= 8*64 && i%61 != 0 {
			continue
		}
		if same(t, fmt.Sprintf("%s, msg bit %d", name, i), pub, flip(msg, i), sig) == "true" {
			t.Errorf("%s, msg bit %d: a changed message verifies", name, i)
		}
	}
}

// TestRandom signs random messages under random keys: both accept, and
// both give the same verdict on every single-bit flip.
func TestRandom(t *testing.T) {
	rng := mathrand.New(mathrand.NewSource(1))
	n, nflip := 200, 4
	if testing.Short() {
		n, nflip = 40, 1
	}
	for i := 0; i < n; i++ {
		seed := make([]byte, ed25519.SeedSize)
		rng.Read(seed)
		msg := make([]byte, rng.Intn(300))
		rng.Read(msg)
		priv := ed25519.NewKeyFromSeed(seed)
		pub := priv.Public().(ed25519.PublicKey)
		sig := ed25519.Sign(priv, msg)
		name := fmt.Sprintf("random #%d", i)
		if same(t, name, pub, msg, sig) != "true" {
			t.Fatalf("%s: rejected", name)
		}
		// A signature by another key, and under a different message.
		other := ed25519.Sign(ed25519.NewKeyFromSeed(append(seed[1:], seed[0]^1)), msg)
		same(t, name+", other key's signature", pub, msg, other)
		same(t, name+", other message", pub, append(msg, 0), sig)
		if i < nflip {
			flips(t, name, pub, msg, sig)
		}
	}
}

func TestEdgeCases(t *testing.T) {
	cases := edgeCases(t)
	accepted := 0
	for _, c := range cases {
		got := same(t, c.name, c.pub, c.msg, c.sig)
		if got != fmt.Sprint(c.want) {
			t.Errorf("%s: both say %s, want %v", c.name, got, c.want)
		}
		if got == "true" {
			accepted++
		}
	}
	t.Logf("%d edge cases, %d accepted", len(cases), accepted)
}

// TestKeyLength: a public key of the wrong length panics in both, with the
// same message, whatever the signature.
func TestKeyLength(t *testing.T) {
	priv := ed25519.NewKeyFromSeed(mustHex(rfc8032[0].seed))
	pub := priv.Public().(ed25519.PublicKey)
	sig := ed25519.Sign(priv, nil)
	for _, p := range [][]byte{nil, {}, pub[:31], append(append([]byte(nil), pub...), 0), make([]byte, 64)} {
		for _, s := range [][]byte{sig, nil, sig[:63]} {
			if got := same(t, fmt.Sprintf("key of %d bytes", len(p)), p, nil, s); got[:6] != "panic:" {
				t.Errorf("key of %d bytes: %s, want a panic", len(p), got)
			}
		}
	}
}

// FuzzVerify compares Verify with crypto/ed25519.Verify on arbitrary
// inputs, seeded with every case above: valid signatures, whose mutations
// explore the rejections, and small-order keys with S = 0, which verify for
// about one message in eight and so keep both verdicts in play. An input
// whose key or signature has the wrong length is also tried cut or padded
// with zeros to the right length, so that most inputs reach the curve
// arithmetic rather than the length checks alone.
func FuzzVerify(f *testing.F) {
	for _, v := range rfc8032 {
		f.Add(mustHex(v.pub), mustHex(v.msg), mustHex(v.sig))
	}
	for _, c := range edgeCases(f) {
		f.Add(c.pub, c.msg, c.sig)
	}
	f.Fuzz(func(t *testing.T, pub, msg, sig []byte) {
		same(t, "fuzz", pub, msg, sig)
		if len(pub) != ed25519.PublicKeySize || len(sig) != ed25519.SignatureSize {
			same(t, "fuzz, resized", resize(pub, ed25519.PublicKeySize), msg, resize(sig, ed25519.SignatureSize))
		}
	})
}

// resize returns b cut or padded with zeros to n bytes.
func resize(b []byte, n int) []byte {
	out := make([]byte, n)
	copy(out, b)
	return out
}

// BenchmarkVerify: Verify against its baseline, crypto/ed25519.Verify, on
// a message the size of a CLA QR code's signed structure.
func BenchmarkVerify(b *testing.B) {
	priv := ed25519.NewKeyFromSeed(mustHex(rfc8032[0].seed))
	pub := priv.Public().(ed25519.PublicKey)
	msg := bytes.Repeat([]byte("constancia "), 30)
	sig := ed25519.Sign(priv, msg)
	b.Run("baseline=ed25519.Verify", func(b *testing.B) {
		for b.Loop() {
			if !ed25519.Verify(pub, msg, sig) {
				b.Fatal("rejected")
			}
		}
	})
	b.Run("Verify", func(b *testing.B) {
		for b.Loop() {
			if !Verify(pub, msg, sig) {
				b.Fatal("rejected")
			}
		}
	})
}
