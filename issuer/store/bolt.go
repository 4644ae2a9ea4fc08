package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Bolt is the bbolt backend: one file, one writer at a time, each Update
// one fsynced transaction.
type Bolt struct{ db *bolt.DB }

// OpenBolt opens (creating if needed) the database file at path.
func OpenBolt(path string) (*Bolt, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("store: %s is in use by another issuer process", path)
	}
	if err != nil {
		return nil, err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range buckets {
			if _, err := tx.CreateBucketIfNotExists([]byte(b)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Bolt{db: db}, nil
}

// Path returns the file path.
func (b *Bolt) Path() string { return b.db.Path() }

// View implements Store.
func (b *Bolt) View(ctx context.Context, f func(Tx) error) error {
	return b.db.View(func(tx *bolt.Tx) error { return run(ctx, f, tx) })
}

// Update implements Store.
func (b *Bolt) Update(ctx context.Context, f func(Tx) error) error {
	return b.db.Update(func(tx *bolt.Tx) error { return run(ctx, f, tx) })
}

// Batch implements Store with bbolt's batching: concurrent issuances share
// a commit, which is what lets the issuer pass a hundred a second on one
// disk.
func (b *Bolt) Batch(ctx context.Context, f func(Tx) error) error {
	return b.db.Batch(func(tx *bolt.Tx) error { return run(ctx, f, tx) })
}

// Close implements Store.
func (b *Bolt) Close() error { return b.db.Close() }

func run(ctx context.Context, f func(Tx) error, tx *bolt.Tx) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return f(kvTx{b: func(name string) bucket { return boltBucket{tx.Bucket([]byte(name))} }})
}

type boltBucket struct{ b *bolt.Bucket }

func (b boltBucket) Get(key []byte) []byte         { return b.b.Get(key) }
func (b boltBucket) Put(key, value []byte) error   { return b.b.Put(key, value) }
func (b boltBucket) Delete(key []byte) error       { return b.b.Delete(key) }
func (b boltBucket) NextSequence() (uint64, error) { return b.b.NextSequence() }

func (b boltBucket) ForEachReverse(f func(k, v []byte) error) error {
	c := b.b.Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		if err := f(k, v); err != nil {
			return err
		}
	}
	return nil
}

func (b boltBucket) ForEach(start []byte, f func(k, v []byte) error) error {
	c := b.b.Cursor()
	k, v := c.First()
	if start != nil {
		k, v = c.Seek(start)
	}
	for ; k != nil; k, v = c.Next() {
		if err := f(k, v); err != nil {
			return err
		}
	}
	return nil
}
