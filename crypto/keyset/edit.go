package keyset

import (
	"bytes"
	"fmt"
	"slices"
	"time"
)

// Next returns the successor of ks (whose document is doc), to edit and
// sign: seq + 1, prev_hash linked, issued at now, expiring after validity,
// with a deep copy of the keys.
func (ks *Keyset) Next(doc []byte, now time.Time, validity time.Duration) *Keyset {
	next := &Keyset{Seq: ks.Seq + 1, IssuedAt: now.UTC().Truncate(time.Second),
		ExpiresAt: now.UTC().Truncate(time.Second).Add(validity), PrevHash: Hash(doc)}
	for _, k := range ks.Keys {
		k.ID, k.Public = bytes.Clone(k.ID), bytes.Clone(k.Public)
		next.Keys = append(next.Keys, k)
	}
	return next
}

// Add adds a new key. Its window must not close before it opens: readers
// take such a key as one that never signs, which is what retiring a key
// early means, never what adding one should.
func (ks *Keyset) Add(k Key) error {
	if _, ok := ks.Key(k.ID); ok {
		return fmt.Errorf("keyset: key %x already present", k.ID)
	}
	if k.NotAfter.Before(k.NotBefore) {
		return fmt.Errorf("keyset: key %x: not_after before not_before", k.ID)
	}
	if err := k.validate(); err != nil {
		return fmt.Errorf("keyset: %w", err)
	}
	ks.Keys = append(ks.Keys, k)
	return nil
}

// Retire stops key kid from signing after at: its window ends at at (if it
// ended later) and its status becomes retired. What it signed before stays
// valid. Retiring a pre-published key before its window opens leaves
// not_after before not_before: a key that never signs (docs/FORMAT.md).
func (ks *Keyset) Retire(kid []byte, at time.Time) error {
	return ks.edit(kid, func(k *Key) error {
		if k.Status == Compromised {
			return fmt.Errorf("keyset: key %x is compromised, not retirable", kid)
		}
		if at.Before(k.NotAfter) {
			k.NotAfter = at.UTC().Truncate(time.Second)
		}
		k.Status = Retired
		return nil
	})
}

// Compromise declares key kid compromised: everything it signed, whenever,
// stops verifying.
func (ks *Keyset) Compromise(kid []byte) error {
	return ks.edit(kid, func(k *Key) error {
		k.Status = Compromised
		return nil
	})
}

func (ks *Keyset) edit(kid []byte, f func(*Key) error) error {
	i := slices.IndexFunc(ks.Keys, func(k Key) bool { return bytes.Equal(k.ID, kid) })
	if i < 0 {
		return fmt.Errorf("%w: %x", ErrUnknownKey, kid)
	}
	return f(&ks.Keys[i])
}

// SigningKey returns the active key that may sign at t, preferring the one
// whose window opened last (after a rotation, the new key).
func (ks *Keyset) SigningKey(t time.Time) (Key, bool) {
	var best Key
	found := false
	for _, k := range ks.Keys {
		if k.Status == Active && k.CheckSignedAt(t) == nil && (!found || k.NotBefore.After(best.NotBefore)) {
			best, found = k, true
		}
	}
	return best, found
}
