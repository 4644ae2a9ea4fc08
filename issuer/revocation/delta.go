package revocation

import (
	"context"
	"crypto/sha256"
	"slices"

	"github.com/minedu-cla/cla/crypto/status"
	"github.com/minedu-cla/cla/issuer/store"
)

// Delta returns the signed delta from list seq from to the newest list, or
// nil when from is the newest, or ErrNoDelta. Deltas are computed from the
// change log and cached until the next publication.
func (l *List) Delta(ctx context.Context, from uint64) ([]byte, error) {
	var (
		st      *store.Status
		changes []store.Change
	)
	err := l.o.Store.View(ctx, func(tx store.Tx) error {
		var err error
		if st, err = tx.Status(); err != nil {
			return err
		}
		if from == 0 || from >= st.Seq {
			return nil
		}
		changes, err = tx.Changes(from)
		return err
	})
	switch {
	case err != nil:
		return nil, err
	case from == st.Seq:
		return nil, nil
	case from == 0 || from > st.Seq || len(changes) != int(st.Seq-from):
		return nil, ErrNoDelta
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.deltasFor != st.Seq {
		l.deltas, l.deltasFor = map[uint64][]byte{}, st.Seq
	}
	if doc, ok := l.deltas[from]; ok {
		return doc, nil
	}
	doc, err := l.signDelta(st, from, changes)
	if err != nil {
		return nil, err
	}
	l.deltas[from] = doc
	return doc, nil
}

// signDelta folds the changes after from into one set/cleared pair: the
// final state of each index touched is what counts.
func (l *List) signDelta(st *store.Status, from uint64, changes []store.Change) ([]byte, error) {
	final := map[uint64]bool{}
	for _, c := range changes {
		for _, i := range c.Set {
			final[i] = true
		}
		for _, i := range c.Cleared {
			final[i] = false
		}
	}
	d := &status.Delta{FromSeq: from, ToSeq: st.Seq, Set: []uint64{}, Cleared: []uint64{}}
	for i, revoked := range final {
		if revoked {
			d.Set = append(d.Set, i)
		} else {
			d.Cleared = append(d.Cleared, i)
		}
	}
	slices.Sort(d.Set)
	slices.Sort(d.Cleared)
	// The delta carries the newest list's times, so a verifier that
	// applies it holds exactly what the full list would give it.
	sum := sha256.Sum256(st.Bits)
	d.Digest = sum[:]
	d.IssuedAt, d.NextUpdate = st.PublishedAt, st.PublishedAt.Add(l.o.Validity)
	return d.Sign(l.o.Signer())
}
