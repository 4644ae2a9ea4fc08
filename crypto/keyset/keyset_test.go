package keyset_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/internal/sample"
)

var (
	root     = sample.Key("root")
	rootPub  = root.Public().(ed25519.PublicKey)
	roots    = []ed25519.PublicKey{rootPub}
	sign1    = sample.Key("signing 1").Public().(ed25519.PublicKey)
	sign2    = sample.Key("signing 2").Public().(ed25519.PublicKey)
	jan2025  = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	jan2026  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	jan2027  = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	farAfter = time.Date(2076, 1, 1, 0, 0, 0, 0, time.UTC)
)

// chain returns three signed keysets: key 1, then key 2 added with key 1
// retired, then key 1 compromised.
func chain(t testing.TB) ([]*keyset.Keyset, [][]byte) {
	k1 := keyset.NewKey(sign1, jan2025, jan2027)
	ks1 := &keyset.Keyset{Seq: 1, IssuedAt: jan2025, ExpiresAt: farAfter, Keys: []keyset.Key{k1}}
	doc1, err := ks1.Sign(root)
	if err != nil {
		t.Fatal(err)
	}
	k1r := k1
	k1r.Status, k1r.NotAfter = keyset.Retired, jan2026
	ks2 := &keyset.Keyset{Seq: 2, IssuedAt: jan2026, ExpiresAt: farAfter, PrevHash: keyset.Hash(doc1),
		Keys: []keyset.Key{k1r, keyset.NewKey(sign2, jan2026, farAfter)}}
	doc2, err := ks2.Sign(root)
	if err != nil {
		t.Fatal(err)
	}
	k1c := k1r
	k1c.Status = keyset.Compromised
	ks3 := &keyset.Keyset{Seq: 3, IssuedAt: jan2026.Add(time.Hour), ExpiresAt: farAfter, PrevHash: keyset.Hash(doc2),
		Keys: []keyset.Key{k1c, ks2.Keys[1]}}
	doc3, err := ks3.Sign(root)
	if err != nil {
		t.Fatal(err)
	}
	return []*keyset.Keyset{ks1, ks2, ks3}, [][]byte{doc1, doc2, doc3}
}

func TestOpenAndChain(t *testing.T) {
	t.Parallel()
	sets, docs := chain(t)
	got, err := keyset.Open(docs[1], roots)
	if err != nil {
		t.Fatal(err)
	}
	if got.Seq != 2 || len(got.Keys) != 2 || got.Keys[0].Status != keyset.Retired || !got.IssuedAt.Equal(jan2026) {
		t.Fatalf("Open = %+v", got)
	}
	last, lastDoc, err := keyset.FollowsChain(nil, nil, docs, roots)
	if err != nil || last.Seq != 3 || !bytes.Equal(lastDoc, docs[2]) {
		t.Fatalf("FollowsChain = %v, %v", last, err)
	}
	// A verifier at seq 1 catches up through a bundle holding all three.
	if last, _, err = keyset.FollowsChain(sets[0], docs[0], docs, roots); err != nil || last.Seq != 3 {
		t.Fatalf("catch-up = %v, %v", last, err)
	}
	// Nothing newer: rollback.
	if _, _, err := keyset.FollowsChain(sets[2], docs[2], docs[:2], roots); !errors.Is(err, keyset.ErrRollback) {
		t.Fatalf("older bundle: %v", err)
	}
	if err := sets[0].Follows(sets[1], docs[1]); !errors.Is(err, keyset.ErrRollback) {
		t.Fatalf("seq 1 after 2: %v", err)
	}
	if err := sets[2].Follows(sets[0], docs[0]); !errors.Is(err, keyset.ErrBrokenChain) {
		t.Fatalf("gap: %v", err)
	}
	if err := sets[2].Follows(sets[1], docs[0]); !errors.Is(err, keyset.ErrBrokenChain) {
		t.Fatalf("wrong prev doc: %v", err)
	}
}

func TestFollowsRules(t *testing.T) {
	t.Parallel()
	sets, docs := chain(t)
	// Un-compromising key 1 in seq 4 is refused, as is dropping it.
	k1 := sets[2].Keys[0]
	k1.Status = keyset.Active
	uncompromise := &keyset.Keyset{Seq: 4, IssuedAt: jan2027, ExpiresAt: farAfter, PrevHash: keyset.Hash(docs[2]),
		Keys: []keyset.Key{k1, sets[2].Keys[1]}}
	if err := uncompromise.Follows(sets[2], docs[2]); !errors.Is(err, keyset.ErrBrokenChain) {
		t.Errorf("un-compromise: %v", err)
	}
	drop := &keyset.Keyset{Seq: 4, IssuedAt: jan2027, ExpiresAt: farAfter, PrevHash: keyset.Hash(docs[2]),
		Keys: []keyset.Key{sets[2].Keys[1]}}
	if err := drop.Follows(sets[2], docs[2]); !errors.Is(err, keyset.ErrBrokenChain) {
		t.Errorf("drop: %v", err)
	}
}

func TestOpenRejects(t *testing.T) {
	t.Parallel()
	_, docs := chain(t)
	other := sample.Key("not a root")
	ks := &keyset.Keyset{Seq: 1, IssuedAt: jan2025, ExpiresAt: farAfter, Keys: []keyset.Key{keyset.NewKey(sign1, jan2025, jan2027)}}
	unpinned, _ := ks.Sign(other)
	if _, err := keyset.Open(unpinned, roots); !errors.Is(err, keyset.ErrUntrustedRoot) {
		t.Errorf("unpinned root: %v", err)
	}
	flipped := bytes.Clone(docs[0])
	flipped[len(flipped)-1] ^= 1
	if _, err := keyset.Open(flipped, roots); !errors.Is(err, keyset.ErrUntrustedRoot) {
		t.Errorf("bad signature: %v", err)
	}
	// A key whose kid is not the kid of its public key.
	bad := keyset.NewKey(sign1, jan2025, jan2027)
	bad.ID = cose.KeyID(sign2)
	ks.Keys = []keyset.Key{bad}
	if _, err := ks.Sign(root); err == nil {
		t.Error("signed a keyset with a wrong kid")
	}
	for name, k := range map[string]*keyset.Keyset{
		"seq 0":            {Seq: 0, IssuedAt: jan2025, ExpiresAt: farAfter, Keys: []keyset.Key{keyset.NewKey(sign1, jan2025, jan2027)}},
		"seq 2 no prev":    {Seq: 2, IssuedAt: jan2025, ExpiresAt: farAfter, Keys: []keyset.Key{keyset.NewKey(sign1, jan2025, jan2027)}},
		"seq 1 with prev":  {Seq: 1, IssuedAt: jan2025, ExpiresAt: farAfter, PrevHash: make([]byte, 32), Keys: []keyset.Key{keyset.NewKey(sign1, jan2025, jan2027)}},
		"expired at birth": {Seq: 1, IssuedAt: jan2025, ExpiresAt: jan2025, Keys: []keyset.Key{keyset.NewKey(sign1, jan2025, jan2027)}},
		"no keys":          {Seq: 1, IssuedAt: jan2025, ExpiresAt: farAfter},
		"duplicate":        {Seq: 1, IssuedAt: jan2025, ExpiresAt: farAfter, Keys: []keyset.Key{keyset.NewKey(sign1, jan2025, jan2027), keyset.NewKey(sign1, jan2025, jan2027)}},
	} {
		if _, err := k.Sign(root); err == nil {
			t.Errorf("%s: signed", name)
		}
	}
}

func TestCheckSignedAt(t *testing.T) {
	t.Parallel()
	k := keyset.NewKey(sign1, jan2025, jan2026)
	for _, tt := range []struct {
		at   time.Time
		want error
	}{
		{jan2025, nil}, {jan2026, nil}, {jan2025.Add(-time.Second), keyset.ErrKeyNotValid},
		{jan2026.Add(time.Second), keyset.ErrKeyNotValid},
	} {
		if err := k.CheckSignedAt(tt.at); !errors.Is(err, tt.want) {
			t.Errorf("at %v: %v, want %v", tt.at, err, tt.want)
		}
	}
	k.Status = keyset.Compromised
	if err := k.CheckSignedAt(jan2025); !errors.Is(err, keyset.ErrKeyCompromised) {
		t.Errorf("compromised: %v", err)
	}
}

func TestJWKS(t *testing.T) {
	t.Parallel()
	sets, _ := chain(t)
	data, err := keyset.MarshalJWKS(sets[2].Keys)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := keyset.ParseJWKS(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0].Status != keyset.Compromised || !keys[1].NotBefore.Equal(jan2026) ||
		!bytes.Equal(keys[1].Public, sign2) {
		t.Fatalf("round trip = %+v", keys)
	}
	// A plain RFC 8037 key, without our members, reads as active forever.
	plain := []byte(`{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"},{"kty":"OKP","crv":"Ed25519","x":"` +
		b64(sign1) + `"}]}`)
	if keys, err := keyset.ParseJWKS(plain); err != nil || len(keys) != 1 || keys[0].Status != keyset.Active {
		t.Fatalf("plain JWKS = %+v, %v", keys, err)
	}
	for name, bad := range map[string]string{
		"private part": `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + b64(sign1) + `","d":"AAAA"}]}`,
		"wrong kid":    `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + b64(sign1) + `","kid":"` + b64(cose.KeyID(sign2)) + `"}]}`,
		"short x":      `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"AAAA"}]}`,
		"no keys":      `{"keys":[]}`,
		"bad status":   `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + b64(sign1) + `","status":"revoked"}]}`,
		"bad time":     `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + b64(sign1) + `","not_before":"2025"}]}`,
		"not json":     `keys`,
	} {
		if _, err := keyset.ParseJWKS([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzOpen(f *testing.F) {
	_, docs := chain(f)
	for _, d := range docs {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ks, err := keyset.Open(b, roots)
		if err != nil {
			return
		}
		for _, d := range docs {
			if bytes.Equal(d, b) {
				return
			}
		}
		t.Fatalf("a keyset the root never signed opened: %+v", ks)
	})
}

func FuzzParseJWKS(f *testing.F) {
	sets, _ := chain(f)
	data, _ := keyset.MarshalJWKS(sets[2].Keys)
	f.Add(data)
	f.Add([]byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"` + b64(sign1) + `"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		keys, err := keyset.ParseJWKS(b)
		if err != nil {
			return
		}
		for _, k := range keys {
			if !bytes.Equal(k.ID, cose.KeyID(k.Public)) || k.NotBefore.Unix() < 0 || k.NotAfter.Unix() > 253402300799 {
				t.Fatalf("accepted %+v", k)
			}
		}
	})
}
