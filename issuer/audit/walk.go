package audit

import (
	"context"
	"errors"
	"math"

	"github.com/minedu-cla/cla/issuer/store"
)

var errChunk = errors.New("chunk done")

// walk calls f for every log record in seq order, reading chunk records
// per read transaction, and end inside the transaction that reached the
// end of the log (so end sees the same state as the last records). The
// log only grows at its end, so the chunks join without a seam.
func walk(ctx context.Context, s store.Store, f func(seq uint64, rec []byte) error, end func(store.Tx) error) error {
	var from uint64
	for {
		n, more := 0, false
		err := s.View(ctx, func(tx store.Tx) error {
			err := tx.ForEachLog(from, func(seq uint64, rec []byte) error {
				if n == chunk {
					more = true
					return errChunk
				}
				n++
				if err := f(seq, rec); err != nil {
					return err
				}
				if seq == math.MaxUint64 { // the last key there can be (a forged one)
					return errChunk
				}
				from = seq + 1
				return nil
			})
			if err != nil && !errors.Is(err, errChunk) {
				return err
			}
			if more {
				return nil
			}
			return end(tx)
		})
		if err != nil || !more {
			return err
		}
	}
}
