//go:build !js

package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Bolt is a Store in a bbolt file. It opens the file for each call and
// closes it after, so the desktop app and cla-verify can share one store:
// bbolt locks the file while it is open, and a second opener waits up to
// LockWait.
type Bolt struct {
	Path string
	// LockWait bounds the wait for another process holding the file.
	LockWait time.Duration
}

// ErrBusy: another program holds the store file for longer than LockWait.
var ErrBusy = errors.New("store: the trust store is in use by another program")

var (
	bucketKeysets = []byte("keysets") // seq (8 bytes, big-endian) → document
	bucketStatus  = []byte("status")  // "list" → document; "delta" + n (8 bytes) → document
	bucketMeta    = []byte("meta")    // see the keys below
	bucketHead    = []byte("head")    // "keyset", "status", "bits": what verdicts use (trust.Stored)
	keyKeyset     = []byte("keyset")
	keyStatus     = []byte("status")
	keyBits       = []byte("bits")
	keyList       = []byte("list")
	prefixDelta   = "delta"
	keyFloor      = []byte("floor")
	keyAttempt    = []byte("sync_attempt")
	keySuccess    = []byte("sync_success")
	keyError      = []byte("sync_error")
	keySource     = []byte("sync_source")
	prefixETag    = "etag:"
)

// open checks the file (precheck) and opens it. Call it inside guard.
func (b *Bolt) open() (*bolt.DB, error) {
	if err := precheck(b.Path); err != nil {
		return nil, err
	}
	wait := b.LockWait
	if wait == 0 {
		wait = 5 * time.Second
	}
	db, err := bolt.Open(b.Path, 0o600, &bolt.Options{Timeout: wait})
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("%w: %s", ErrBusy, b.Path)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrChecksum), errors.Is(err, bolterrors.ErrVersionMismatch):
		return nil, damaged("%s: %v", b.Path, err)
	}
	return db, err
}

// Load implements Store. A missing file is an empty snapshot. A file that
// is not a sound store (see precheck and walk) is ErrDamaged, whatever
// the damage: never a crash.
func (b *Bolt) Load(ctx context.Context) (s *Snapshot, err error) {
	err = guard(b.Path, func() error {
		s, err = b.load(ctx)
		return err
	})
	return s, err
}

func (b *Bolt) load(ctx context.Context) (*Snapshot, error) {
	db, err := b.open()
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := walk(b.Path, db); err != nil {
		return nil, err
	}
	s := &Snapshot{}
	err = db.View(func(tx *bolt.Tx) error {
		if bk := tx.Bucket(bucketHead); bk != nil {
			s.KeysetHead = clone(bk.Get(keyKeyset))
			s.StatusHead = clone(bk.Get(keyStatus))
			s.Bits = clone(bk.Get(keyBits))
		}
		if bk := tx.Bucket(bucketKeysets); bk != nil {
			if err := bk.ForEach(func(_, v []byte) error {
				s.KeysetDocs = append(s.KeysetDocs, clone(v))
				return nil
			}); err != nil {
				return err
			}
		}
		if bk := tx.Bucket(bucketStatus); bk != nil {
			s.ListDoc = clone(bk.Get(keyList))
			c := bk.Cursor()
			for k, v := c.Seek([]byte(prefixDelta)); k != nil && strings.HasPrefix(string(k), prefixDelta); k, v = c.Next() {
				s.DeltaDocs = append(s.DeltaDocs, clone(v))
			}
		}
		if bk := tx.Bucket(bucketMeta); bk != nil {
			s.Floor = getTime(bk, keyFloor)
			s.Sync.LastAttempt = getTime(bk, keyAttempt)
			s.Sync.LastSuccess = getTime(bk, keySuccess)
			s.Sync.LastError = string(bk.Get(keyError))
			s.Sync.Source = string(bk.Get(keySource))
			c := bk.Cursor()
			for k, v := c.Seek([]byte(prefixETag)); k != nil && strings.HasPrefix(string(k), prefixETag); k, v = c.Next() {
				if s.Sync.ETags == nil {
					s.Sync.ETags = map[string]string{}
				}
				s.Sync.ETags[strings.TrimPrefix(string(k), prefixETag)] = string(v)
			}
		}
		return ctx.Err()
	})
	return s, err
}

// Save implements Store, in one bbolt transaction: all or nothing, even if
// the process is killed halfway.
func (b *Bolt) Save(ctx context.Context, s *Snapshot) error {
	return guard(b.Path, func() error { return b.save(ctx, s) })
}

func (b *Bolt) save(ctx context.Context, s *Snapshot) error {
	db, err := b.open()
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Update(func(tx *bolt.Tx) error {
		if meta := tx.Bucket(bucketMeta); meta != nil && s.Floor.Before(getTime(meta, keyFloor)) {
			return ErrFloorBackwards
		}
		for _, name := range [][]byte{bucketKeysets, bucketStatus, bucketMeta, bucketHead} {
			if err := tx.DeleteBucket(name); err != nil && !errors.Is(err, bolterrors.ErrBucketNotFound) {
				return err
			}
		}
		ks, _ := tx.CreateBucket(bucketKeysets)
		for i, d := range s.KeysetDocs {
			if err := ks.Put(u64(uint64(i)), d); err != nil {
				return err
			}
		}
		st, _ := tx.CreateBucket(bucketStatus)
		if s.ListDoc != nil {
			if err := st.Put(keyList, s.ListDoc); err != nil {
				return err
			}
		}
		for i, d := range s.DeltaDocs {
			if err := st.Put(append([]byte(prefixDelta), u64(uint64(i))...), d); err != nil {
				return err
			}
		}
		head, _ := tx.CreateBucket(bucketHead)
		for k, v := range map[string][]byte{string(keyKeyset): s.KeysetHead, string(keyStatus): s.StatusHead, string(keyBits): s.Bits} {
			if v != nil {
				if err := head.Put([]byte(k), v); err != nil {
					return err
				}
			}
		}
		meta, _ := tx.CreateBucket(bucketMeta)
		puts := map[string][]byte{string(keyFloor): timeBytes(s.Floor), string(keyAttempt): timeBytes(s.Sync.LastAttempt),
			string(keySuccess): timeBytes(s.Sync.LastSuccess), string(keyError): []byte(s.Sync.LastError),
			string(keySource): []byte(s.Sync.Source)}
		for path, tag := range s.Sync.ETags {
			puts[prefixETag+path] = []byte(tag)
		}
		for k, v := range puts {
			if err := meta.Put([]byte(k), v); err != nil {
				return err
			}
		}
		return ctx.Err()
	})
}

func u64(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}

func timeBytes(t time.Time) []byte {
	if t.IsZero() {
		return nil
	}
	return binary.BigEndian.AppendUint64(nil, uint64(t.UnixNano()))
}

func getTime(bk *bolt.Bucket, key []byte) time.Time {
	v := bk.Get(key)
	if len(v) != 8 {
		return time.Time{}
	}
	return time.Unix(0, int64(binary.BigEndian.Uint64(v))).UTC()
}
