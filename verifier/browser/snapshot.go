package browser

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/minedu-cla/cla/verifier/store"
)

// A snapshot is kept in IndexedDB as one byte string:
//
//	magic "CLAT", version 1,
//	keyset docs, keyset head, status head, bits, list doc, delta docs,
//	floor, last attempt, last success, last error, source, ETags
//
// where bytes and strings are a uvarint length and the bytes; lists a
// uvarint count and the items; a time 0 (zero) or 1, a varint of Unix
// seconds and a uvarint of nanoseconds (< 1e9), UTC; ETags a count and
// (path, tag) pairs, paths strictly ascending. The decoder is strict (caps
// in limits.go, no trailing bytes): what it loads is verified again by the
// engine anyway, but the bytes come from a device anyone may have edited.
// A new version gets a new number; old ones stay readable.
const (
	snapshotMagic   = "CLAT"
	snapshotVersion = 1
)

// Errors of DecodeSnapshot, wrapped with detail.
var (
	ErrSnapshotVersion = errors.New("browser: trust data of an unknown version")
	ErrSnapshot        = errors.New("browser: trust data not well formed")
)

// EncodeSnapshot encodes s (version 1).
func EncodeSnapshot(s *store.Snapshot) ([]byte, error) {
	if err := checkCaps(s); err != nil {
		return nil, err
	}
	w := &writer{b: append([]byte(snapshotMagic), snapshotVersion)}
	w.docs(s.KeysetDocs)
	w.bytes(s.KeysetHead)
	w.bytes(s.StatusHead)
	w.bytes(s.Bits)
	w.bytes(s.ListDoc)
	w.docs(s.DeltaDocs)
	w.time(s.Floor)
	w.time(s.Sync.LastAttempt)
	w.time(s.Sync.LastSuccess)
	w.bytes([]byte(s.Sync.LastError))
	w.bytes([]byte(s.Sync.Source))
	w.uvarint(uint64(len(s.Sync.ETags)))
	for _, k := range slices.Sorted(maps.Keys(s.Sync.ETags)) {
		w.bytes([]byte(k))
		w.bytes([]byte(s.Sync.ETags[k]))
	}
	return w.b, nil
}

// checkCaps refuses to write what DecodeSnapshot would refuse to read.
func checkCaps(s *store.Snapshot) error {
	tooLong := func(what string, n, limit int) error {
		if n > limit {
			return fmt.Errorf("%w: %s: %d over %d", ErrSnapshot, what, n, limit)
		}
		return nil
	}
	errs := []error{tooLong("keysets", len(s.KeysetDocs), maxKeysetDocs), tooLong("deltas", len(s.DeltaDocs), maxDeltaDocs),
		tooLong("bits", len(s.Bits), maxBits), tooLong("ETags", len(s.Sync.ETags), maxETags),
		tooLong("last error", len(s.Sync.LastError), maxString), tooLong("source", len(s.Sync.Source), maxString)}
	for _, d := range append(slices.Clone(s.KeysetDocs), s.KeysetHead) {
		errs = append(errs, tooLong("keyset", len(d), maxKeysetDoc))
	}
	for _, d := range append(slices.Clone(s.DeltaDocs), s.StatusHead, s.ListDoc) {
		errs = append(errs, tooLong("status document", len(d), maxStatusDoc))
	}
	for _, t := range []time.Time{s.Floor, s.Sync.LastAttempt, s.Sync.LastSuccess} {
		if !t.IsZero() && (t.Unix() < minUnix || t.Unix() > maxUnix) {
			errs = append(errs, fmt.Errorf("%w: time %v out of range", ErrSnapshot, t))
		}
	}
	for k, v := range s.Sync.ETags {
		errs = append(errs, tooLong("ETag", max(len(k), len(v)), maxString))
	}
	return errors.Join(errs...)
}

// DecodeSnapshot decodes what EncodeSnapshot wrote.
func DecodeSnapshot(data []byte) (*store.Snapshot, error) {
	if len(data) > maxSnapshot {
		return nil, fmt.Errorf("%w: %d bytes, over %d", ErrSnapshot, len(data), maxSnapshot)
	}
	rest, ok := bytes.CutPrefix(data, []byte(snapshotMagic))
	if !ok || len(rest) == 0 {
		return nil, fmt.Errorf("%w: no magic", ErrSnapshot)
	}
	if rest[0] != snapshotVersion {
		return nil, fmt.Errorf("%w: %d", ErrSnapshotVersion, rest[0])
	}
	r := &reader{b: rest[1:]}
	s := &store.Snapshot{}
	s.KeysetDocs = r.docs("keysets", maxKeysetDocs, maxKeysetDoc)
	s.KeysetHead = r.bytes("keyset head", maxKeysetDoc)
	s.StatusHead = r.bytes("status head", maxStatusDoc)
	s.Bits = r.bytes("bits", maxBits)
	s.ListDoc = r.bytes("list", maxStatusDoc)
	s.DeltaDocs = r.docs("deltas", maxDeltaDocs, maxStatusDoc)
	s.Floor = r.time("floor")
	s.Sync.LastAttempt = r.time("last attempt")
	s.Sync.LastSuccess = r.time("last success")
	s.Sync.LastError = string(r.bytes("last error", maxString))
	s.Sync.Source = string(r.bytes("source", maxString))
	n := r.count("ETags", maxETags)
	prev := ""
	for i := range n {
		k, v := string(r.bytes("ETag path", maxString)), string(r.bytes("ETag", maxString))
		if r.err == nil && i > 0 && k <= prev {
			r.fail("ETag paths not strictly ascending")
		}
		if r.err != nil {
			break
		}
		if s.Sync.ETags == nil {
			s.Sync.ETags = map[string]string{}
		}
		s.Sync.ETags[k], prev = v, k
	}
	if r.err == nil && len(r.b) > 0 {
		r.fail(fmt.Sprintf("%d trailing bytes", len(r.b)))
	}
	if r.err != nil {
		return nil, r.err
	}
	return s, nil
}

type writer struct{ b []byte }

func (w *writer) uvarint(n uint64) { w.b = binary.AppendUvarint(w.b, n) }

func (w *writer) bytes(b []byte) {
	w.uvarint(uint64(len(b)))
	w.b = append(w.b, b...)
}

func (w *writer) docs(ds [][]byte) {
	w.uvarint(uint64(len(ds)))
	for _, d := range ds {
		w.bytes(d)
	}
}

func (w *writer) time(t time.Time) {
	if t.IsZero() {
		w.b = append(w.b, 0)
		return
	}
	w.b = append(w.b, 1)
	w.b = binary.AppendVarint(w.b, t.Unix())
	w.uvarint(uint64(t.Nanosecond()))
}

// reader reads until the first error, then returns zero values.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", ErrSnapshot, what)
	}
}

func (r *reader) uvarint(what string) uint64 {
	if r.err != nil {
		return 0
	}
	n, k := binary.Uvarint(r.b)
	if k <= 0 {
		r.fail(what + ": bad length")
		return 0
	}
	r.b = r.b[k:]
	return n
}

// count reads a count of items, each at least one byte long.
func (r *reader) count(what string, limit int) int {
	n := r.uvarint(what)
	if n > uint64(limit) || n > uint64(len(r.b)) {
		r.fail(fmt.Sprintf("%s: %d items", what, n))
		return 0
	}
	return int(n)
}

func (r *reader) bytes(what string, limit int) []byte {
	n := r.uvarint(what)
	if r.err != nil {
		return nil
	}
	if n > uint64(limit) || n > uint64(len(r.b)) {
		r.fail(fmt.Sprintf("%s: %d bytes", what, n))
		return nil
	}
	if n == 0 {
		return nil
	}
	out := bytes.Clone(r.b[:n])
	r.b = r.b[n:]
	return out
}

func (r *reader) docs(what string, count, size int) [][]byte {
	n := r.count(what, count)
	var out [][]byte
	for range n {
		d := r.bytes(what, size)
		if r.err != nil {
			return nil
		}
		out = append(out, d)
	}
	return out
}

func (r *reader) time(what string) time.Time {
	if r.err != nil {
		return time.Time{}
	}
	if len(r.b) == 0 || r.b[0] > 1 {
		r.fail(what + ": bad flag")
		return time.Time{}
	}
	set := r.b[0] == 1
	r.b = r.b[1:]
	if !set {
		return time.Time{}
	}
	sec, k := binary.Varint(r.b)
	if k <= 0 {
		r.fail(what + ": bad seconds")
		return time.Time{}
	}
	r.b = r.b[k:]
	nsec := r.uvarint(what)
	if r.err == nil && (nsec >= 1e9 || sec < minUnix || sec > maxUnix || sec == minUnix && nsec == 0) {
		r.fail(what + ": out of range") // the zero time has its own flag
	}
	if r.err != nil {
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}
