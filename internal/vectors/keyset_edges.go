package vectors

import (
	"crypto/ed25519"
	"time"

	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/internal/sample"
)

// prePublished is a key published ahead of its window (2028 on).
var prePublished = sample.Key("vectors signing 2028")

// keysetEdges: the cases FORMAT.md's keyset rules name beyond the chain
// table: windows, seq 1, prev_hash, a kid listed twice.
func keysetEdges(roots []string, sign func(*keyset.Keyset, ed25519.PrivateKey) ([]byte, error)) ([]Keyset, error) {
	y := func(year int) time.Time { return time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC) }
	far := y(2076)
	k1 := signingWindow()
	k3 := keyset.NewKey(pub(prePublished), y(2028), far)
	ks1 := &keyset.Keyset{Seq: 1, IssuedAt: y(2026), ExpiresAt: far, Keys: []keyset.Key{k1, k3}}
	doc1, err := sign(ks1, rootKey)
	if err != nil {
		return nil, err
	}
	ks2 := ks1.Next(doc1, y(2027), 50*365*24*time.Hour)
	if err := ks2.Retire(k3.ID, y(2027)); err != nil { // before its window opens
		return nil, err
	}
	doc2, err := sign(ks2, rootKey)
	if err != nil {
		return nil, err
	}
	// Payloads written by hand, for documents Sign refuses to make.
	key := func(k keyset.Key) map[int64]any {
		return map[int64]any{1: k.ID, 2: []byte(k.Public), 3: uint64(k.NotBefore.Unix()), 4: uint64(k.NotAfter.Unix()), 5: uint8(k.Status)}
	}
	raw := func(seq uint64, prev []byte, keys ...keyset.Key) ([]byte, error) {
		m := map[int64]any{1: seq, 2: uint64(y(2026).Unix()), 3: uint64(far.Unix())}
		if prev != nil {
			m[4] = prev
		}
		var ks []any
		for _, k := range keys {
			ks = append(ks, key(k))
		}
		m[5] = ks
		payload, err := marshalLoose(m)
		if err != nil {
			return nil, err
		}
		return cose.SignDocument(rootKey, keyset.ContentType, payload)
	}
	seq0, err := raw(0, nil, k1)
	if err != nil {
		return nil, err
	}
	prevOn1, err := raw(1, keyset.Hash(doc1), k1)
	if err != nil {
		return nil, err
	}
	noPrev2, err := raw(2, nil, k1)
	if err != nil {
		return nil, err
	}
	twice, err := raw(1, nil, k1, k1)
	if err != nil {
		return nil, err
	}
	e := func(docs ...[]byte) []string {
		var out []string
		for _, d := range docs {
			out = append(out, b64.EncodeToString(d))
		}
		return out
	}
	return []Keyset{
		{Name: "retired-before-window", Description: "seq 2 retires a key published for 2028 on at 2027-01-01, before its window opens: not_after before not_before, a key that never signs; the keyset is accepted",
			Roots: roots, Keysets: e(doc1, doc2), Expected: "accept", Seq: 2},
		{Name: "seq-zero", Description: "a root-signed keyset with seq 0 (seqs start at 1)", Roots: roots, Keysets: e(seq0), Expected: "malformed"},
		{Name: "prev-hash-on-seq-1", Description: "seq 1 with a prev_hash (present if and only if seq > 1)", Roots: roots,
			Keysets: e(prevOn1), Expected: "malformed"},
		{Name: "seq-2-without-prev-hash", Description: "seq 2 without a prev_hash, offered to a verifier holding nothing", Roots: roots,
			Keysets: e(noPrev2), Expected: "malformed"},
		{Name: "kid-listed-twice", Description: "the same key twice in one keyset", Roots: roots, Keysets: e(twice), Expected: "malformed"},
	}, nil
}
