package audit

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/minedu-cla/cla/issuer/store"
)

// Fault is what is wrong with an entry.
type Fault string

// Faults, as Check reports them.
const (
	// Undecodable: the record is not a well-formed record (a byte of its
	// framing, a number or the version was changed, or it was cut).
	Undecodable Fault = "undecodable"
	// BadHash: the record decodes, but its content does not hash to the
	// hash it carries: someone changed it without recomputing the hash.
	BadHash Fault = "bad_hash"
	// BrokenLink: the entry does not carry the hash of the one before:
	// the one before was changed and its hash recomputed, or this one was
	// put in its place.
	BrokenLink Fault = "broken_link"
	// SeqGap: entries are missing (deleted) before this seq, or the
	// record is stored under a seq other than its own (moved).
	SeqGap Fault = "seq_gap"
	// HeadMismatch: the end of the log is not the one Append last wrote:
	// the newest entries were deleted, replaced, or added by other means.
	HeadMismatch Fault = "head_mismatch"
)

// Problem locates the first thing wrong in the trail.
type Problem struct {
	Seq    uint64 // the first entry that is wrong, or missing
	Fault  Fault
	Detail string
}

func (p *Problem) String() string { return fmt.Sprintf("entry %d: %s: %s", p.Seq, p.Fault, p.Detail) }

// Report is the outcome of Check.
type Report struct {
	Entries uint64 // records read
	Last    uint64 // seq of the last one
	// Head is the hash of the last entry. Noted down outside the issuer
	// (printed, e-mailed to the auditor), it makes a rewrite of the whole
	// chain — which the chain alone cannot reveal — show the next time.
	Head []byte
	// Problems counts the entries found wrong; First is the earliest.
	Problems uint64
	First    *Problem
}

// OK reports whether the trail is whole.
func (r *Report) OK() bool { return r.First == nil }

// Check walks the whole trail, recomputing every hash and link and
// checking the seqs and the head, and reports the first entry that is
// wrong. An error is an I/O failure (or ctx), never a finding.
func Check(ctx context.Context, s store.Store) (Report, error) {
	c := &checker{prev: zeroHash, want: 1}
	err := walk(ctx, s, c.record, c.end)
	if err != nil {
		return Report{}, err
	}
	c.rep.Head = c.prev
	if c.rep.Entries == 0 {
		c.rep.Head = nil
	}
	return c.rep, nil
}

type checker struct {
	rep  Report
	want uint64 // the seq the next record should have
	prev []byte // the hash the next record should link to; nil: unknown
}

func (c *checker) record(seq uint64, rec []byte) error {
	c.rep.Entries++
	c.rep.Last = seq
	c.note(c.inspect(seq, rec))
	return nil
}

// note keeps the earliest problem.
func (c *checker) note(p *Problem) {
	if p == nil {
		return
	}
	c.rep.Problems++
	if c.rep.First == nil || p.Seq < c.rep.First.Seq {
		c.rep.First = p
	}
}

func (c *checker) inspect(seq uint64, rec []byte) *Problem {
	want, prev := c.want, c.prev
	c.want = seq + 1
	e, err := Decode(rec)
	if err != nil {
		c.prev = nil // its hash is lost: the next link cannot be checked
		return &Problem{seq, Undecodable, err.Error()}
	}
	c.prev = e.Hash
	switch {
	case seq > want:
		return &Problem{want, SeqGap, fmt.Sprintf("entries %d to %d are missing", want, seq-1)}
	case seq < want:
		return &Problem{seq, SeqGap, "an entry stored out of order"}
	case e.Seq != seq:
		return &Problem{seq, SeqGap, fmt.Sprintf("stored as entry %d, the record says %d", seq, e.Seq)}
	case !bytes.Equal(sum(rec[:len(rec)-hashFieldLen]), e.Hash): // Decode checked rec is body + hash field
		return &Problem{seq, BadHash, "its content does not match its hash: it was changed"}
	case prev != nil && !bytes.Equal(e.Prev, prev):
		return &Problem{seq, BrokenLink, fmt.Sprintf("it does not carry the hash of entry %d: one of the two was changed", seq-1)}
	}
	return nil
}

// end compares the last record with the head Append wrote beside it.
func (c *checker) end(tx store.Tx) error {
	v, err := tx.Meta(headKey)
	if errors.Is(err, store.ErrNotFound) {
		if c.rep.Entries > 0 {
			c.note(&Problem{1, HeadMismatch, "there are entries but no head: they were not written by Append"})
		}
		return nil
	}
	if err != nil {
		return err
	}
	if len(v) != 8+len(zeroHash) {
		c.note(&Problem{c.rep.Last, HeadMismatch, "the head record is damaged"})
		return nil
	}
	seq, hash := binary.BigEndian.Uint64(v), v[8:]
	switch last := c.rep.Last; {
	case seq > last:
		c.note(&Problem{last + 1, HeadMismatch, fmt.Sprintf("entries %d to %d were cut off the end", last+1, seq)})
	case seq < last:
		c.note(&Problem{seq + 1, HeadMismatch, fmt.Sprintf("entries after %d were not written by Append", seq)})
	case c.prev != nil && !bytes.Equal(hash, c.prev):
		c.note(&Problem{seq, HeadMismatch, "the last entry is not the one Append wrote"})
	}
	return nil
}
