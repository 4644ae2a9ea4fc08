package status_test

import (
	"fmt"
	"time"

	"github.com/minedu-cla/cla/crypto/status"
)

// Revoke index 70513, publish the list and a delta, and check it on the
// verifier's side.
func Example() {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	list, _ := status.New(status.MinBits)
	list.Seq, list.IssuedAt, list.NextUpdate = 1, now, now.Add(24*time.Hour)
	doc, _ := list.Sign(signer)

	next := list.Clone()
	next.Seq, next.IssuedAt, next.NextUpdate = 2, now.Add(time.Hour), now.Add(25*time.Hour)
	next.Set(70513, true)
	delta, _ := status.Diff(list, next)
	deltaDoc, _ := delta.Sign(signer)

	// The verifier holds doc, receives deltaDoc.
	held, _ := status.Open(doc, keys)
	d, _ := status.OpenDelta(deltaDoc, keys)
	updated, err := held.Apply(d)
	revoked, _ := updated.Revoked(70513)
	fmt.Println(updated.Seq, revoked, err)
	// Output: 2 true <nil>
}
