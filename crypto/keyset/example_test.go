package keyset_test

import (
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/internal/sample"
)

// A root key signs keyset 1, then keyset 2 rotates the signing key; a
// verifier pinning the root follows the chain.
func Example() {
	root := sample.Key("example root")
	old := sample.Key("example 2026").Public().(ed25519.PublicKey)
	next := sample.Key("example 2027").Public().(ed25519.PublicKey)
	t2026 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	t2027 := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

	ks1 := &keyset.Keyset{Seq: 1, IssuedAt: t2026, ExpiresAt: t2027, Keys: []keyset.Key{keyset.NewKey(old, t2026, t2027)}}
	doc1, _ := ks1.Sign(root)

	ks2 := ks1.Next(doc1, t2027, 365*24*time.Hour)
	ks2.Add(keyset.NewKey(next, t2027, t2027.AddDate(1, 0, 0)))
	ks2.Retire(ks1.Keys[0].ID, t2027)
	doc2, _ := ks2.Sign(root)

	roots := []ed25519.PublicKey{root.Public().(ed25519.PublicKey)}
	held, _ := keyset.Open(doc1, roots)
	latest, _, err := keyset.FollowsChain(held, doc1, [][]byte{doc2}, roots)
	fmt.Println(latest.Seq, err)
	for _, k := range latest.Keys {
		fmt.Println(k.Status, k.NotAfter.Year())
	}
	// Output:
	// 2 <nil>
	// retired 2027
	// active 2028
}
