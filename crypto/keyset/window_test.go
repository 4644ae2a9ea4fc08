package keyset_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/keyset"
)

// TestWindowEdges: a window of one second holds exactly that second; a
// backwards window holds nothing, and neither makes the document unusable.
func TestWindowEdges(t *testing.T) {
	t.Parallel()
	one := keyset.NewKey(sign1, jan2026, jan2026)
	if err := one.CheckSignedAt(jan2026); err != nil {
		t.Errorf("one-second window at its second: %v", err)
	}
	for _, at := range []time.Time{jan2026.Add(-time.Second), jan2026.Add(time.Second)} {
		if err := one.CheckSignedAt(at); !errors.Is(err, keyset.ErrKeyNotValid) {
			t.Errorf("one-second window at %v: %v", at, err)
		}
	}
	never := keyset.NewKey(sign2, jan2027, jan2026)
	for _, at := range []time.Time{jan2025, jan2026, jan2026.Add(time.Hour), jan2027, farAfter} {
		if err := never.CheckSignedAt(at); !errors.Is(err, keyset.ErrKeyNotValid) {
			t.Errorf("backwards window at %v: %v", at, err)
		}
	}
	ks := &keyset.Keyset{Seq: 1, IssuedAt: jan2025, ExpiresAt: farAfter, Keys: []keyset.Key{one, never}}
	doc, err := ks.Sign(root)
	if err != nil {
		t.Fatal(err)
	}
	got, err := keyset.Open(doc, roots)
	if err != nil {
		t.Fatalf("a keyset with a backwards window: %v", err)
	}
	if k, _ := got.Key(one.ID); k.CheckSignedAt(jan2026) != nil {
		t.Error("the other key was poisoned")
	}
	// Adding a key with a backwards window is an operator's mistake.
	if err := (&keyset.Keyset{}).Add(never); err == nil {
		t.Error("Add took a backwards window")
	}
}

// TestRetirePrePublished: retiring a key before its window opens leaves a
// key that never signs.
func TestRetirePrePublished(t *testing.T) {
	t.Parallel()
	ks := &keyset.Keyset{Seq: 1, IssuedAt: jan2025, ExpiresAt: farAfter, Keys: []keyset.Key{keyset.NewKey(sign1, jan2027, farAfter)}}
	if err := ks.Retire(ks.Keys[0].ID, jan2026); err != nil {
		t.Fatal(err)
	}
	k := ks.Keys[0]
	if k.Status != keyset.Retired || !k.NotAfter.Equal(jan2026) {
		t.Fatalf("retired = %+v", k)
	}
	for _, at := range []time.Time{jan2026, jan2027, farAfter} {
		if err := k.CheckSignedAt(at); !errors.Is(err, keyset.ErrKeyNotValid) {
			t.Errorf("at %v: %v", at, err)
		}
	}
	if _, err := ks.Sign(root); err != nil {
		t.Fatal(err)
	}
}

func TestJWKSTimes(t *testing.T) {
	t.Parallel()
	jwk := func(nb string) []byte {
		return []byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + b64(sign1) + `","not_before":"` + nb + `"}]}`)
	}
	for s, want := range map[string]int64{
		"2026-01-01T00:00:00Z":      jan2026.Unix(),
		"2026-01-01T05:00:00+05:00": jan2026.Unix(),
		"2025-12-31T19:00:00-05:00": jan2026.Unix(),
		"2024-02-29T00:00:00Z":      time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC).Unix(),
		"1970-01-01T00:00:00Z":      0,
		"9999-12-31T23:59:59Z":      253402300799,
		"2026-01-01T00:00:00-00:00": jan2026.Unix(),
	} {
		keys, err := keyset.ParseJWKS(jwk(s))
		if err != nil || keys[0].NotBefore.Unix() != want {
			t.Errorf("%s: %v, %v", s, keys, err)
		}
	}
	for _, s := range []string{
		"2026-01-01t00:00:00Z", "2026-01-01T00:00:00z", "2026-01-01 00:00:00Z", "2026-12-31T23:59:60Z",
		"2026-01-01T00:00:00.5Z", "2026-01-01T00:00:00", "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
		"2026-01-01T24:00:00Z", "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00+0500", "1969-12-31T23:59:59Z",
		"9999-12-31T23:59:59-00:01", "+2026-01-01T00:00:00Z", "2026", "２026-01-01T00:00:00Z",
	} {
		if _, err := keyset.ParseJWKS(jwk(s)); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

// TestJWKSMembers: null is never "absent", base64url is canonical, and a
// key of another type is skipped whatever it holds.
func TestJWKSMembers(t *testing.T) {
	t.Parallel()
	x := b64(sign1)
	key := func(extra string) []byte {
		return []byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + x + `"` + extra + `}]}`)
	}
	// The last base64url character of a 32-byte x carries 2 unused bits.
	last := strings.IndexByte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", x[len(x)-1])
	dirty := x[:len(x)-1] + string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[last|1])
	for name, bad := range map[string][]byte{
		"status null":     key(`,"status":null`),
		"not_after null":  key(`,"not_after":null`),
		"not_before null": key(`,"not_before":null`),
		"kid null":        key(`,"kid":null`),
		"status number":   key(`,"status":1`),
		"d null":          key(`,"d":null`),
		"x null":          []byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":null}]}`),
		"x padded":        []byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + x + `="}]}`),
		"x dirty bits":    []byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + dirty + `"}]}`),
		"x line break":    []byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + x[:10] + `\n` + x[10:] + `"}]}`),
		"key null":        []byte(`{"keys":[null]}`),
	} {
		if _, err := keyset.ParseJWKS(bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	other := []byte(`{"keys":[{"kty":"EC","crv":1,"x":null,"status":5},{"kty":null},{"kty":"OKP","crv":"Ed25519","x":"` + x + `"}]}`)
	if keys, err := keyset.ParseJWKS(other); err != nil || len(keys) != 1 {
		t.Errorf("other key types: %v, %v", keys, err)
	}
}
