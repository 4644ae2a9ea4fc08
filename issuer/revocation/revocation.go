// Package revocation manages the issuer's status list: it hands out
// status-list indices at random (so an index says nothing about when or in
// what order a constancia was issued), revokes and restores them, publishes
// each change as a new signed list (seq + 1) in the same transaction as the
// change, re-publishes a fresh list before verifiers would call theirs old,
// and serves deltas from any published seq.
package revocation

import (
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/minedu-cla/cla/crypto/status"
	"github.com/minedu-cla/cla/issuer/store"
)

// Errors.
var (
	// ErrFull: every index of the largest list is in use.
	ErrFull = errors.New("revocation: the status list is full")
	// ErrNoDelta: no delta from that seq (unknown or in the future): fetch
	// the full list.
	ErrNoDelta = errors.New("revocation: no delta from that seq")
)

// Options of a List.
type Options struct {
	Store store.Store
	// Size of a new list in bits (default 1,048,576: herd privacy well
	// above status.MinBits, 128 KiB uncompressed).
	Size int
	// Validity is how long a published list is good for (next_update);
	// Refresh re-publishes after half of it. Default 24 h.
	Validity time.Duration
	// Signer returns the current signing key.
	Signer func() ed25519.PrivateKey
	Now    func() time.Time
	Rand   io.Reader
}

// List is the issuer's status list.
type List struct {
	o  Options
	mu sync.Mutex
	// deltas caches signed deltas by from-seq for the current seq.
	deltas    map[uint64][]byte
	deltasFor uint64
}

// DefaultSize is the default list size.
const DefaultSize = 1 << 20

// New returns the List; Init must run once before use.
func New(o Options) *List {
	if o.Size == 0 {
		o.Size = DefaultSize
	}
	if o.Validity == 0 {
		o.Validity = 24 * time.Hour
	}
	return &List{o: o, deltas: map[uint64][]byte{}}
}

// Init creates and publishes an empty list when the store has none.
func (l *List) Init(ctx context.Context) error {
	return l.o.Store.Update(ctx, func(tx store.Tx) error {
		if _, err := tx.Status(); err == nil || !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if _, err := status.New(l.o.Size); err != nil {
			return err
		}
		st := &store.Status{Bits: make([]byte, l.o.Size/8)}
		return l.publish(tx, st, store.Change{})
	})
}

// Allocate picks a random unused index, inside the caller's transaction,
// which must store a constancia with it (that is what marks it used).
func (l *List) Allocate(tx store.Tx) (uint64, error) {
	size := uint64(l.o.Size)
	var b [8]byte
	if _, err := io.ReadFull(l.o.Rand, b[:]); err != nil {
		return 0, err
	}
	start := binary.BigEndian.Uint64(b[:]) % size
	// Linear probing from a random start: a list a quarter full needs
	// ~1.4 probes on average; each is two key lookups, no copying.
	for i := range size {
		idx := (start + i) % size
		used, err := tx.IndexUsed(idx)
		if err != nil {
			return 0, err
		}
		if !used {
			return idx, nil
		}
	}
	return 0, ErrFull
}

// Set revokes (or, with revoked false, restores) indices and publishes the
// next list, inside the caller's transaction.
func (l *List) Set(tx store.Tx, revoked bool, indices ...uint64) error {
	st, err := tx.Status()
	if err != nil {
		return err
	}
	var ch store.Change
	for _, i := range indices {
		if i >= uint64(len(st.Bits))*8 {
			return fmt.Errorf("revocation: index %d past the list", i)
		}
		was := st.Bits[i/8]&(0x80>>(i%8)) != 0
		switch {
		case revoked && !was:
			st.Bits[i/8] |= 0x80 >> (i % 8)
			ch.Set = append(ch.Set, i)
		case !revoked && was:
			st.Bits[i/8] &^= 0x80 >> (i % 8)
			ch.Cleared = append(ch.Cleared, i)
		}
	}
	if len(ch.Set)+len(ch.Cleared) == 0 {
		return nil
	}
	return l.publish(tx, st, ch)
}

// publish signs the next seq of st, records what changed and saves it.
func (l *List) publish(tx store.Tx, st *store.Status, ch store.Change) error {
	list, err := status.FromBits(st.Bits)
	if err != nil {
		return err
	}
	now := l.o.Now().UTC().Truncate(time.Second)
	if !now.After(st.PublishedAt) && st.Seq > 0 {
		now = st.PublishedAt.Add(time.Second) // issued_at strictly increasing
	}
	list.Seq, list.IssuedAt, list.NextUpdate = st.Seq+1, now, now.Add(l.o.Validity)
	doc, err := list.Sign(l.o.Signer())
	if err != nil {
		return err
	}
	st.Seq, st.PublishedAt, st.Doc = list.Seq, now, doc
	ch.Seq = list.Seq
	slices.Sort(ch.Set)
	slices.Sort(ch.Cleared)
	if err := tx.AddChange(ch); err != nil {
		return err
	}
	return tx.PutStatus(st)
}

// Refresh re-publishes the list when half its validity has passed, so
// verifiers that sync see a list younger than their soft limit even when
// nothing was revoked for weeks. It reports whether it published.
func (l *List) Refresh(ctx context.Context) (bool, error) {
	published := false
	err := l.o.Store.Update(ctx, func(tx store.Tx) error {
		st, err := tx.Status()
		if err != nil {
			return err
		}
		if l.o.Now().Sub(st.PublishedAt) < l.o.Validity/2 {
			return nil
		}
		published = true
		return l.publish(tx, st, store.Change{})
	})
	return published, err
}

// Republish signs the list again now, inside the caller's transaction:
// after a signing key was declared compromised, the list it signed must
// be replaced at once by one under the new key.
func (l *List) Republish(tx store.Tx) error {
	st, err := tx.Status()
	if err != nil {
		return err
	}
	return l.publish(tx, st, store.Change{})
}

// Current returns the newest signed list document and its seq.
func (l *List) Current(ctx context.Context) (doc []byte, seq uint64, err error) {
	err = l.o.Store.View(ctx, func(tx store.Tx) error {
		st, err := tx.Status()
		if err != nil {
			return err
		}
		doc, seq = st.Doc, st.Seq
		return nil
	})
	return doc, seq, err
}
