package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// bucket is the key-value surface both backends provide; the record logic
// (indexes, versions) is written once, in kvTx, over it.
type bucket interface {
	Get(key []byte) []byte
	Put(key, value []byte) error
	Delete(key []byte) error
	// ForEach visits keys in byte order from start (nil: the first).
	ForEach(start []byte, f func(k, v []byte) error) error
	// ForEachReverse visits keys from the last, backwards.
	ForEachReverse(f func(k, v []byte) error) error
	NextSequence() (uint64, error)
}

var (
	bConstancias = "constancias" // id → JSON
	bByCode      = "by_code"     // code → id
	bByStudent   = "by_student"  // student key → id of the newest version
	bByIndex     = "by_index"    // status index → id
	bStatus      = "status"      // "state" → JSON, "bits" → the bitstring, "doc" → the signed list
	bChanges     = "changes"     // seq → JSON
	bMeta        = "meta"
	bLog         = "log"      // seq → record (the audit trail)
	bVersions    = "versions" // student key, 0x00, id → (nothing): every version of a student
	buckets      = []string{bConstancias, bByCode, bByStudent, bByIndex, bStatus, bChanges, bMeta, bLog, bVersions, bOutbox}
	keyStatus    = []byte("state")
	keyBits      = []byte("bits")
	keyDoc       = []byte("doc")
)

// kvTx implements Tx over buckets.
type kvTx struct{ b func(name string) bucket }

func u64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// Records are stored as CBOR: the signed record and the QR text make up
// most of a constancia, and CBOR keeps them as raw bytes where JSON spent
// 70% of a verify-by-code lookup decoding base64. This is the one storage
// encoding of the issuer (staff accounts use it too, through Marshal):
// core deterministic, so equal records are equal bytes, and decoding is
// capped. It is not crypto/dcbor's strict mode: stored records were
// written by this program, and a field added later must not make older
// records unreadable.
var (
	recEnc, _ = cbor.CoreDetEncOptions().EncMode()
	recDec, _ = cbor.DecOptions{MaxArrayElements: 1 << 20, MaxMapPairs: 1 << 10}.DecMode()
)

// Marshal encodes v in the store's encoding, for records kept beside the
// store's own (staff accounts).
func Marshal(v any) ([]byte, error) { return recEnc.Marshal(v) }

// Unmarshal decodes a record in the store's encoding.
func Unmarshal(data []byte, v any) error { return recDec.Unmarshal(data, v) }

func (t kvTx) get(bucket string, key []byte, v any) error {
	data := t.b(bucket).Get(key)
	if data == nil {
		return ErrNotFound
	}
	return recDec.Unmarshal(data, v)
}

func (t kvTx) put(bucket string, key []byte, v any) error {
	data, err := recEnc.Marshal(v)
	if err != nil {
		return err
	}
	return t.b(bucket).Put(key, data)
}

func (t kvTx) Constancia(id uint64) (*constancia.Issued, error) {
	c := &constancia.Issued{}
	if err := t.get(bConstancias, u64(id), c); err != nil {
		return nil, err
	}
	return c, nil
}

func (t kvTx) by(bucket string, key []byte) (*constancia.Issued, error) {
	if ir, ok := t.b(bucket).(indirectReader); ok {
		c := &constancia.Issued{}
		data := ir.GetIndirect(key, bConstancias)
		if data == nil {
			return nil, ErrNotFound
		}
		return c, recDec.Unmarshal(data, c)
	}
	id := t.b(bucket).Get(key)
	if len(id) != 8 {
		return nil, ErrNotFound
	}
	return t.Constancia(binary.BigEndian.Uint64(id))
}

// indirectReader is a bucket that follows an index entry to the record in
// one step (PostgreSQL: one query, not two round trips, on the path of
// every verification by code).
type indirectReader interface {
	// GetIndirect returns the value in bucket target under the key that
	// key's value names; nil when either is absent.
	GetIndirect(key []byte, target string) []byte
}

func (t kvTx) ByCode(code string) (*constancia.Issued, error)   { return t.by(bByCode, []byte(code)) }
func (t kvTx) ByStudent(key string) (*constancia.Issued, error) { return t.by(bByStudent, []byte(key)) }
func (t kvTx) ByIndex(index uint64) (*constancia.Issued, error) { return t.by(bByIndex, u64(index)) }

func (t kvTx) PutConstancia(c *constancia.Issued) error {
	if c.ID == 0 {
		seq, err := t.b(bConstancias).NextSequence()
		if err != nil {
			return err
		}
		c.ID = seq
	} else if old, err := t.Constancia(c.ID); err == nil {
		if err := t.unindex(old); err != nil {
			return err
		}
	}
	if err := t.put(bConstancias, u64(c.ID), c); err != nil {
		return err
	}
	id := u64(c.ID)
	if err := t.b(bByCode).Put([]byte(c.Code), id); err != nil {
		return err
	}
	if err := t.b(bByIndex).Put(u64(c.StatusIndex), id); err != nil {
		return err
	}
	if c.StudentKey == "" {
		return nil
	}
	if err := t.b(bVersions).Put(versionKey(c.StudentKey, c.ID), versionMark); err != nil {
		return err
	}
	newest, err := t.ByStudent(c.StudentKey)
	switch {
	case errors.Is(err, ErrNotFound), err == nil && newest.Version <= c.Version:
		return t.b(bByStudent).Put([]byte(c.StudentKey), id)
	}
	return err
}

// unindex removes the index entries that point at old.
func (t kvTx) unindex(old *constancia.Issued) error {
	id := u64(old.ID)
	for _, e := range []struct {
		bucket string
		key    []byte
	}{{bByCode, []byte(old.Code)}, {bByIndex, u64(old.StatusIndex)}, {bByStudent, []byte(old.StudentKey)}} {
		if bytes.Equal(t.b(e.bucket).Get(e.key), id) {
			if err := t.b(e.bucket).Delete(e.key); err != nil {
				return err
			}
		}
	}
	if old.StudentKey == "" {
		return nil
	}
	return t.b(bVersions).Delete(versionKey(old.StudentKey, old.ID))
}

// versionKey is a student's version's key in the versions index: the
// student key, a zero byte (student keys are text), the ID.
func versionKey(student string, id uint64) []byte {
	return binary.BigEndian.AppendUint64(append([]byte(student), 0), id)
}

// versionMark is the versions index's value; versionsBuilt is its key that
// says the index covers the constancias stored before it existed.
var (
	versionMark   = []byte{1}
	versionsBuilt = []byte{0}
)

func (t kvTx) Versions(student string) ([]*constancia.Issued, error) {
	if student == "" {
		return nil, nil
	}
	prefix := append([]byte(student), 0)
	var ids []uint64
	err := t.b(bVersions).ForEach(prefix, func(k, _ []byte) error {
		if !bytes.HasPrefix(k, prefix) || len(k) != len(prefix)+8 {
			return errStop
		}
		ids = append(ids, binary.BigEndian.Uint64(k[len(prefix):]))
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return nil, err
	}
	out := make([]*constancia.Issued, 0, len(ids))
	for _, id := range ids {
		c, err := t.Constancia(id)
		if err != nil {
			return nil, fmt.Errorf("store: version %d of a student: %w", id, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// buildVersions fills the versions index from the constancias stored
// before it existed, once (a file or database from an earlier version of
// the issuer); it runs when the store opens.
func buildVersions(t kvTx) error {
	if t.b(bVersions).Get(versionsBuilt) != nil {
		return nil
	}
	err := t.ForEach(func(c *constancia.Issued) error {
		if c.StudentKey == "" {
			return nil
		}
		return t.b(bVersions).Put(versionKey(c.StudentKey, c.ID), versionMark)
	})
	if err != nil {
		return err
	}
	return t.b(bVersions).Put(versionsBuilt, versionMark)
}

func (t kvTx) DeleteConstancia(id uint64) error {
	old, err := t.Constancia(id)
	if err != nil {
		return err
	}
	if err := t.unindex(old); err != nil {
		return err
	}
	return t.b(bConstancias).Delete(u64(id))
}

func (t kvTx) ForEach(f func(*constancia.Issued) error) error {
	return t.b(bConstancias).ForEach(nil, func(_, v []byte) error {
		c := &constancia.Issued{}
		if err := recDec.Unmarshal(v, c); err != nil {
			return err
		}
		return f(c)
	})
}

// statusState is the small part of Status, stored as JSON; the bits and
// the document are stored raw beside it (128 KiB and ~20 KB: base64 in
// JSON would cost a third more and a decode on every read).
type statusState struct {
	Seq         uint64    `json:"seq"`
	PublishedAt time.Time `json:"published_at"`
}

func (t kvTx) Status() (*Status, error) {
	var st statusState
	if err := t.get(bStatus, keyStatus, &st); err != nil {
		return nil, err
	}
	b := t.b(bStatus)
	return &Status{Seq: st.Seq, PublishedAt: st.PublishedAt, Bits: bytes.Clone(b.Get(keyBits)),
		Doc: bytes.Clone(b.Get(keyDoc))}, nil
}

func (t kvTx) PutStatus(s *Status) error {
	if err := t.put(bStatus, keyStatus, statusState{Seq: s.Seq, PublishedAt: s.PublishedAt}); err != nil {
		return err
	}
	if err := t.b(bStatus).Put(keyBits, s.Bits); err != nil {
		return err
	}
	return t.b(bStatus).Put(keyDoc, s.Doc)
}

func (t kvTx) IndexUsed(index uint64) (bool, error) {
	if t.b(bByIndex).Get(u64(index)) != nil {
		return true, nil
	}
	st := t.b(bStatus)
	var b byte
	if br, ok := st.(byteReader); ok {
		var in bool
		if b, in = br.ByteAt(keyBits, index/8); !in {
			return false, fmt.Errorf("store: index %d past the status list", index)
		}
	} else {
		bits := st.Get(keyBits)
		if index/8 >= uint64(len(bits)) {
			return false, fmt.Errorf("store: index %d past the status list", index)
		}
		b = bits[index/8]
	}
	return b&(0x80>>(index%8)) != 0, nil
}

// byteReader is a bucket that reads one byte of a value where that is
// cheaper than the whole value: on PostgreSQL the status list (a megabyte
// at national scale) would otherwise cross the network on every issuance.
type byteReader interface {
	// ByteAt returns byte i of key's value; in is false when the key is
	// absent or the value shorter.
	ByteAt(key []byte, i uint64) (b byte, in bool)
}

func (t kvTx) AddChange(c Change) error { return t.put(bChanges, u64(c.Seq), c) }

func (t kvTx) Changes(after uint64) ([]Change, error) {
	var out []Change
	err := t.b(bChanges).ForEach(u64(after+1), func(_, v []byte) error {
		var c Change
		if err := recDec.Unmarshal(v, &c); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

func (t kvTx) AppendLog(record []byte) (uint64, error) {
	seq, err := t.b(bLog).NextSequence()
	if err != nil {
		return 0, err
	}
	return seq, t.b(bLog).Put(u64(seq), record)
}

func (t kvTx) LastLog() (uint64, []byte, error) {
	var seq uint64
	var rec []byte
	err := t.b(bLog).ForEachReverse(func(k, v []byte) error {
		seq, rec = binary.BigEndian.Uint64(k), bytes.Clone(v)
		return errStop
	})
	if err != nil && !errors.Is(err, errStop) {
		return 0, nil, err
	}
	return seq, rec, nil
}

func (t kvTx) ForEachLog(from uint64, f func(seq uint64, record []byte) error) error {
	return t.b(bLog).ForEach(u64(from), func(k, v []byte) error {
		return f(binary.BigEndian.Uint64(k), bytes.Clone(v))
	})
}

func (t kvTx) Meta(key string) ([]byte, error) {
	v := t.b(bMeta).Get([]byte(key))
	if v == nil {
		return nil, ErrNotFound
	}
	return append([]byte{}, v...), nil
}

func (t kvTx) PutMeta(key string, value []byte) error { return t.b(bMeta).Put([]byte(key), value) }

func (t kvTx) DeleteMeta(key string) error { return t.b(bMeta).Delete([]byte(key)) }

func (t kvTx) ForEachMeta(prefix string, f func(key string, value []byte) error) error {
	err := t.b(bMeta).ForEach([]byte(prefix), func(k, v []byte) error {
		if !bytes.HasPrefix(k, []byte(prefix)) {
			return errStop
		}
		return f(string(k), bytes.Clone(v))
	})
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}

var errStop = errors.New("stop")
