package vectors

import (
	"bytes"
	"crypto/ed25519"
	"time"

	"github.com/minedu-cla/cla/crypto/keyset"
)

func keysets() ([]Keyset, error) {
	roots := []string{b64.EncodeToString(pub(rootKey))}
	y := func(year int) time.Time { return time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC) }
	far := y(2076)
	k1 := signingWindow() // the key of the credential and status vectors
	k2 := keyset.NewKey(pub(otherKey), y(2027), far)

	sign := func(ks *keyset.Keyset, root ed25519.PrivateKey) ([]byte, error) { return ks.Sign(root) }
	ks1 := &keyset.Keyset{Seq: 1, IssuedAt: y(2026), ExpiresAt: far, Keys: []keyset.Key{k1}}
	doc1, err := sign(ks1, rootKey)
	if err != nil {
		return nil, err
	}
	k1r := k1
	k1r.Status = keyset.Retired
	ks2 := &keyset.Keyset{Seq: 2, IssuedAt: y(2027), ExpiresAt: far, PrevHash: keyset.Hash(doc1), Keys: []keyset.Key{k1r, k2}}
	doc2, err := sign(ks2, rootKey)
	if err != nil {
		return nil, err
	}
	k1c := k1
	k1c.Status = keyset.Compromised
	ks3 := &keyset.Keyset{Seq: 3, IssuedAt: y(2028), ExpiresAt: far, PrevHash: keyset.Hash(doc2), Keys: []keyset.Key{k1c, k2}}
	doc3, err := sign(ks3, rootKey)
	if err != nil {
		return nil, err
	}
	// Seq 3 that links to seq 1's hash instead of seq 2's.
	ks3bad := *ks3
	ks3bad.PrevHash = keyset.Hash(doc1)
	doc3bad, err := sign(&ks3bad, rootKey)
	if err != nil {
		return nil, err
	}
	// Seq 4 that brings key 1 back from compromised to active.
	ks4 := &keyset.Keyset{Seq: 4, IssuedAt: y(2029), ExpiresAt: far, PrevHash: keyset.Hash(doc3), Keys: []keyset.Key{k1, k2}}
	doc4, err := sign(ks4, rootKey)
	if err != nil {
		return nil, err
	}
	// Seq 4 issued before seq 3.
	ks4early := &keyset.Keyset{Seq: 4, IssuedAt: y(2027), ExpiresAt: far, PrevHash: keyset.Hash(doc3), Keys: []keyset.Key{k1c, k2}}
	doc4early, err := sign(ks4early, rootKey)
	if err != nil {
		return nil, err
	}
	forged, err := sign(ks1, signKey) // a signing key is not a root
	if err != nil {
		return nil, err
	}
	flipped := bytes.Clone(doc2)
	flipped[len(flipped)-1] ^= 1
	e := func(docs ...[]byte) []string {
		var out []string
		for _, d := range docs {
			out = append(out, b64.EncodeToString(d))
		}
		return out
	}
	edge, err := keysetEdges(roots, sign)
	if err != nil {
		return nil, err
	}
	return append([]Keyset{
		{Name: "first-keyset", Description: "a fresh verifier takes a root-signed keyset", Roots: roots,
			Keysets: e(doc1), Expected: "accept", Seq: 1},
		{Name: "chain-1-2-3", Description: "rotation (key 1 retired, key 2 added) then key 1 compromised, applied in order",
			Roots: roots, Keysets: e(doc1, doc2, doc3), Expected: "accept", Seq: 3},
		{Name: "catch-up", Description: "a verifier holding seq 1 receives the whole chain", Roots: roots,
			Held: b64.EncodeToString(doc1), Keysets: e(doc1, doc2, doc3), Expected: "accept", Seq: 3},
		{Name: "rollback", Description: "a verifier holding seq 3 is offered seq 2", Roots: roots,
			Held: b64.EncodeToString(doc3), Keysets: e(doc2), Expected: "rollback"},
		{Name: "gap", Description: "a verifier holding seq 1 is offered seq 3 without seq 2", Roots: roots,
			Held: b64.EncodeToString(doc1), Keysets: e(doc3), Expected: "broken_chain"},
		{Name: "bad-prev-hash", Description: "seq 3 whose prev_hash is the hash of seq 1", Roots: roots,
			Held: b64.EncodeToString(doc2), Keysets: e(doc3bad), Expected: "broken_chain"},
		{Name: "uncompromise", Description: "seq 4 makes a compromised key active again", Roots: roots,
			Held: b64.EncodeToString(doc3), Keysets: e(doc4), Expected: "broken_chain"},
		{Name: "issued-before-previous", Description: "seq 4 with an issued_at before seq 3's", Roots: roots,
			Held: b64.EncodeToString(doc3), Keysets: e(doc4early), Expected: "broken_chain"},
		{Name: "not-root-signed", Description: "a keyset signed by a signing key, not a pinned root", Roots: roots,
			Keysets: e(forged), Expected: "untrusted_root"},
		{Name: "altered-signature", Description: "last byte of the root signature flipped", Roots: roots,
			Keysets: e(flipped), Expected: "untrusted_root"},
		{Name: "truncated", Description: "a keyset document cut short", Roots: roots,
			Keysets: e(doc1[:len(doc1)-10]), Expected: "malformed"},
	}, edge...), nil
}
