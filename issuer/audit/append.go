package audit

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"github.com/minedu-cla/cla/issuer/store"
)

// headKey is the meta record of the chain's head: the seq (8 bytes, big
// endian) and hash (32 bytes) of the last entry Append wrote. The chain
// alone cannot tell that its newest entries were cut off; the head,
// written in the same transaction as each entry, can.
const headKey = "audit/head"

// Append adds e to the trail inside the caller's transaction tx, so that
// the action and its record commit together. e.Time must be set; Seq,
// Prev and Hash are set here. It returns the entry as stored.
func Append(tx store.Tx, e Entry) (Entry, error) {
	e, err := normalize(e)
	if err != nil {
		return Entry{}, err
	}
	c, err := openChain(tx)
	if err != nil {
		return Entry{}, err
	}
	if e, err = c.append(tx, e); err != nil {
		return Entry{}, err
	}
	return e, c.saveHead(tx)
}

// chain is the end of the log that the next entry links to.
type chain struct {
	seq  uint64
	hash []byte
}

// openChain reads the last record. A record that does not decode (it was
// damaged) is linked by the SHA-256 of its raw bytes: the trail keeps
// recording, and Check reports the damaged entry.
func openChain(tx store.Tx) (*chain, error) {
	seq, rec, err := tx.LastLog()
	if err != nil {
		return nil, err
	}
	if seq == 0 {
		return &chain{hash: make([]byte, len(zeroHash))}, nil // the caller may keep it: not the shared one
	}
	if e, err := Decode(rec); err == nil {
		return &chain{seq: seq, hash: e.Hash}, nil
	}
	return &chain{seq: seq, hash: sum(rec)}, nil
}

// append stores e (normalized) after c and moves c to it.
//
// The seq in the record is the one after the last record's. The store
// assigns its own (a bucket sequence), and the two differ only when
// records were deleted from the end of the log behind the issuer's back;
// the entry is stored all the same, and Check reports the missing ones.
// Refusing would stop every issuance and login until someone repaired the
// file by hand.
func (c *chain) append(tx store.Tx, e Entry) (Entry, error) {
	e.Seq, e.Prev = c.seq+1, c.hash
	b := body(&e)
	e.Hash = sum(b)
	got, err := tx.AppendLog(field(b, hex.EncodeToString(e.Hash)))
	if err != nil {
		return Entry{}, fmt.Errorf("audit: %w", err)
	}
	c.seq, c.hash = got, e.Hash
	return e, nil
}

func (c *chain) saveHead(tx store.Tx) error {
	return tx.PutMeta(headKey, append(binary.BigEndian.AppendUint64(nil, c.seq), c.hash...))
}
