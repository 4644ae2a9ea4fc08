package stats

import (
	"context"
	"encoding/binary"
	"errors"
	"strings"
	"time"

	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/store"
)

// Verifications are counted from the audit trail — every verification by
// code has its verify_code entry — but not by reading the whole trail on
// every report: at tens of thousands a day it soon holds millions. Tally
// keeps per-day counters in the store's meta records, with the seq of the
// last entry it counted, and each run reads only the entries appended
// since. The counters are derived data: delete the "stats/verify/"
// records and the next Tally recounts the whole trail.
//
// They agree with the trail, not with the requests: verifications the
// Recorder dropped under overload are missing from both (the trail has a
// records_dropped entry saying how many).
const (
	tallyPrefix = "stats/verify/"
	tallySeq    = tallyPrefix + "seq"  // 8 bytes: the last log seq counted
	tallyDay    = tallyPrefix + "day/" // + "2006-01-02" → 8 bytes: the count
	// tallyChunk entries are read per read transaction, and their counts
	// written in one short write transaction: issuance never waits for a
	// long scan.
	tallyChunk = 20_000
)

var errChunk = errors.New("chunk done")

// Tally counts the verify_code entries appended since the last Tally.
func Tally(ctx context.Context, s store.Store) error {
	for {
		more, err := tallyChunkOnce(ctx, s)
		if err != nil || !more {
			return err
		}
	}
}

// tallyChunkOnce counts up to tallyChunk entries after the cursor and
// commits them, unless another Tally moved the cursor meanwhile (then the
// next round starts from where that one stopped).
func tallyChunkOnce(ctx context.Context, s store.Store) (more bool, err error) {
	var from, last uint64
	days := map[string]uint64{}
	err = s.View(ctx, func(tx store.Tx) error {
		from = cursor(tx)
		last, more = from, false
		n := 0
		err := tx.ForEachLog(from+1, func(seq uint64, rec []byte) error {
			if n == tallyChunk {
				more = true
				return errChunk
			}
			n++
			last = seq
			if e, err := audit.Decode(rec); err == nil && e.Action == audit.VerifyCode {
				days[dayOf(e.Time)]++
			}
			return nil
		})
		if errors.Is(err, errChunk) {
			return nil
		}
		return err
	})
	if err != nil || last == from {
		return false, err
	}
	err = s.Update(ctx, func(tx store.Tx) error {
		if cursor(tx) != from {
			more = true // someone else counted these; go on from theirs
			return nil
		}
		for d, n := range days {
			if err := tx.PutMeta(tallyDay+d, u64(readU64(tx, tallyDay+d)+n)); err != nil {
				return err
			}
		}
		return tx.PutMeta(tallySeq, u64(last))
	})
	return more, err
}

func cursor(tx store.Tx) uint64 { return readU64(tx, tallySeq) }

// readU64 reads a counter; a missing or damaged one is 0.
func readU64(tx store.Tx, key string) uint64 {
	v, err := tx.Meta(key)
	if err != nil || len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

func u64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// addVerifications reads the day counters into c.
func (c *counts) addVerifications(tx store.Tx) error {
	until := ""
	if !c.o.Until.IsZero() {
		until = dayOf(c.o.Until)
	}
	return tx.ForEachMeta(tallyDay, func(key string, v []byte) error {
		d := strings.TrimPrefix(key, tallyDay)
		if _, err := time.Parse(time.DateOnly, d); err != nil || len(v) != 8 {
			return nil // not a counter Tally wrote
		}
		if until == "" || d < until {
			c.day[d] += int(binary.BigEndian.Uint64(v))
		}
		return nil
	})
}
