package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"
)

// A log record is a sequence of netstrings (D. J. Bernstein): each field
// is its length in bytes in decimal, ':', the bytes, ','. In order:
//
//	"cla-audit-1"           format version
//	prev                    64 lowercase hex digits (64 '0's for entry 1)
//	seq                     decimal, no leading zeros
//	time                    RFC 3339 in UTC as Go's time.RFC3339Nano writes it
//	actor, role, action, target
//	n                       number of details, decimal
//	key, value              n times, keys in byte order, no repeats
//	hash                    64 lowercase hex digits
//
// The body is everything before the hash field, and hash = SHA-256(body).
// Example (entry 1, no details), body then hash field:
//
//	11:cla-audit-1,64:000…000,1:1,20:2026-03-02T14:05:00Z,3:ana,5:admin,5:login,0:,1:0,64:…,
//
// Netstrings need no escaping and no library: any bytes can sit in a
// field and the lengths make the parse unambiguous, so the same entry has
// exactly one encoding. Decode rejects every other spelling of it.
const version = "cla-audit-1"

// hashHexLen is the length of a hash; hashFieldLen of the field holding
// it ("64:", the digits, ",").
const (
	hashHexLen   = 2 * sha256.Size
	hashFieldLen = len("64:,") + hashHexLen
)

// zeroHash links the first entry.
var zeroHash = make([]byte, sha256.Size)

func field(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	b = append(b, s...)
	return append(b, ',')
}

// body is the hashed part of e's record.
func body(e *Entry) []byte {
	b := make([]byte, 0, 200)
	b = field(b, version)
	b = field(b, hex.EncodeToString(e.Prev))
	b = field(b, strconv.FormatUint(e.Seq, 10))
	b = field(b, e.Time.Format(time.RFC3339Nano))
	for _, s := range []string{e.Actor, e.Role, string(e.Action), e.Target} {
		b = field(b, s)
	}
	b = field(b, strconv.Itoa(len(e.Details)))
	for _, k := range slices.Sorted(maps.Keys(e.Details)) {
		b = field(field(b, k), e.Details[k])
	}
	return b
}

func sum(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}

// encode returns e's record: body and hash field.
func encode(e *Entry) []byte { return field(body(e), hex.EncodeToString(e.Hash)) }

// Decode parses a log record. It checks the form (every field, the
// limits, the one canonical spelling) but not the hash: that is Check's.
func Decode(record []byte) (Entry, error) {
	if len(record) > MaxRecord {
		return Entry{}, fmt.Errorf("%w: %d bytes", ErrMalformed, len(record))
	}
	p := parser{b: record}
	e, err := p.entry()
	if err != nil {
		return Entry{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(p.b) != 0 {
		return Entry{}, fmt.Errorf("%w: trailing bytes", ErrMalformed)
	}
	if err := check(&e); err != nil {
		return Entry{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if !bytes.Equal(encode(&e), record) {
		return Entry{}, fmt.Errorf("%w: not in canonical form", ErrMalformed)
	}
	return e, nil
}

// parser reads netstrings off the front of b.
type parser struct{ b []byte }

func (p *parser) next() (string, error) {
	i := bytes.IndexByte(p.b, ':')
	if i < 1 || i > 5 { // MaxRecord has 5 digits
		return "", fmt.Errorf("bad field length")
	}
	n, err := strconv.Atoi(string(p.b[:i]))
	if err != nil || n < 0 || n > len(p.b)-i-2 { // room for the bytes and ','
		return "", fmt.Errorf("bad field length")
	}
	s, rest := p.b[i+1:i+1+n], p.b[i+1+n:]
	if rest[0] != ',' {
		return "", fmt.Errorf("field not closed")
	}
	p.b = rest[1:]
	return string(s), nil
}

func (p *parser) uint() (uint64, error) {
	s, err := p.next()
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(s, 10, 64)
}

func (p *parser) hash() ([]byte, error) {
	s, err := p.next()
	if err != nil {
		return nil, err
	}
	if len(s) != hashHexLen {
		return nil, fmt.Errorf("hash of %d digits", len(s))
	}
	return hex.DecodeString(s)
}

func (p *parser) entry() (e Entry, err error) {
	if v, err := p.next(); err != nil || v != version {
		return e, fmt.Errorf("not a %s record", version)
	}
	if e.Prev, err = p.hash(); err != nil {
		return e, err
	}
	if e.Seq, err = p.uint(); err != nil {
		return e, err
	}
	ts, err := p.next()
	if err != nil {
		return e, err
	}
	if e.Time, err = time.Parse(time.RFC3339Nano, ts); err != nil {
		return e, err
	}
	e.Time = e.Time.UTC()
	var action string
	for _, s := range []*string{&e.Actor, &e.Role, &action, &e.Target} {
		if *s, err = p.next(); err != nil {
			return e, err
		}
	}
	e.Action = Action(action)
	if e.Details, err = p.details(); err != nil {
		return e, err
	}
	e.Hash, err = p.hash()
	return e, err
}

func (p *parser) details() (map[string]string, error) {
	n, err := p.uint()
	if err != nil || n > MaxDetails {
		return nil, fmt.Errorf("bad detail count")
	}
	if n == 0 {
		return nil, nil
	}
	d := make(map[string]string, n)
	for range n {
		k, err := p.next()
		if err != nil {
			return nil, err
		}
		if d[k], err = p.next(); err != nil {
			return nil, err
		}
	}
	if uint64(len(d)) != n {
		return nil, fmt.Errorf("repeated detail key")
	}
	return d, nil
}
