package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
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
//
// The parse is strict instead of re-encoding and comparing (which cost a
// third of Check): lengths and numbers in plain decimal without leading
// zeros, lowercase hex, the time as Go writes it, detail keys in
// increasing byte order. FuzzDecode holds it to "accepted means it is the
// encoding of what was returned".
func Decode(record []byte) (Entry, error) {
	if len(record) > MaxRecord {
		return Entry{}, fmt.Errorf("%w: %d bytes", ErrMalformed, len(record))
	}
	p := parser{s: string(record)} // one copy; every field is a substring of it
	e, err := p.entry()
	if err == nil && p.s != "" {
		err = errors.New("trailing bytes")
	}
	if err == nil {
		err = check(&e)
	}
	if err != nil {
		return Entry{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return e, nil
}

// parser reads netstrings off the front of s.
type parser struct{ s string }

var errLength = errors.New("bad field length")

func (p *parser) next() (string, error) {
	i := strings.IndexByte(p.s, ':')
	if i < 1 || i > 5 { // MaxRecord has 5 digits
		return "", errLength
	}
	n, ok := decimal(p.s[:i])
	if !ok || int(n) > len(p.s)-i-2 { // room for the bytes and ',' (n < 10^5)
		return "", errLength
	}
	f, rest := p.s[i+1:i+1+int(n)], p.s[i+1+int(n):]
	if rest[0] != ',' {
		return "", errors.New("field not closed")
	}
	p.s = rest[1:]
	return f, nil
}

// decimal parses digits without a sign or leading zeros.
func decimal(s string) (uint64, bool) {
	if s == "" || len(s) > 1 && s[0] == '0' || len(s) > 20 {
		return 0, false
	}
	var n uint64
	for i := range len(s) {
		d := uint64(s[i] - '0')
		if s[i] < '0' || s[i] > '9' || n > (math.MaxUint64-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

func (p *parser) uint() (uint64, error) {
	s, err := p.next()
	if err != nil {
		return 0, err
	}
	n, ok := decimal(s)
	if !ok {
		return 0, fmt.Errorf("bad number %.20q", s)
	}
	return n, nil
}

func (p *parser) hash() ([]byte, error) {
	s, err := p.next()
	if err != nil {
		return nil, err
	}
	if len(s) != hashHexLen || strings.ToLower(s) != s {
		return nil, fmt.Errorf("hash of %d digits", len(s))
	}
	return hex.DecodeString(s)
}

func (p *parser) time() (time.Time, error) {
	s, err := p.next()
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Location() != time.UTC || t.Format(time.RFC3339Nano) != s {
		return time.Time{}, fmt.Errorf("time %.40q", s)
	}
	return t, nil
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
	if e.Time, err = p.time(); err != nil {
		return e, err
	}
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
	prev := ""
	for i := range n {
		k, err := p.next()
		if err != nil {
			return nil, err
		}
		if i > 0 && k <= prev {
			return nil, fmt.Errorf("detail keys out of order")
		}
		if d[k], err = p.next(); err != nil {
			return nil, err
		}
		prev = k
	}
	return d, nil
}
