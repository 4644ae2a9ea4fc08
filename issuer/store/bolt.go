package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Bolt is the bbolt backend: one file, one writer at a time, each Update
// one fsynced transaction.
type Bolt struct {
	// mu lets Compact swap the file under the transactions: they hold it
	// shared, Compact holds it alone for the swap (milliseconds).
	mu     sync.RWMutex
	db     *bolt.DB
	path   string
	closed bool
	// compacting serialises compactions; dirty records what writers
	// change while one copies (see compact.go).
	compacting sync.Mutex
	dirty      journal
	outbox     localOutbox
	group      group // Batch's
}

// OpenBolt opens (creating if needed) the database file at path.
func OpenBolt(path string) (*Bolt, error) {
	// A compaction that crashed before its rename leaves its copy behind;
	// the file itself is whole (the rename is atomic).
	os.Remove(path + compactSuffix)
	db, err := openDB(path)
	if err != nil {
		return nil, err
	}
	return &Bolt{db: db, path: path}, nil
}

func openDB(path string) (*bolt.DB, error) {
	db, err := bolt.Open(path, 0o600, boltOptions())
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
		return buildVersions(kvTx{b: func(name string) bucket { return boltBucket{b: tx.Bucket([]byte(name)), name: name} }})
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// mmapSize is the address space a file is mapped with from the start
// (not memory: pages are read in as used). A file that outgrows its
// mapping is remapped, and a remap waits for every read transaction to
// end: a statistics page or an audit check reading a million constancias
// would hold a writer for seconds. At 64 GB (eight million constancias
// at ~8 KB: every student of Educación Básica Regular) it does not
// happen below that. Windows grows the
// file to the mapping, so there the default stays.
const mmapSize = 64 << 30

func boltOptions() *bolt.Options {
	o := &bolt.Options{Timeout: 5 * time.Second}
	if strconv.IntSize == 64 && runtime.GOOS != "windows" {
		o.InitialMmapSize = mmapSize
	}
	return o
}

// Path returns the file path.
func (b *Bolt) Path() string { return b.path }

// View implements Store.
func (b *Bolt) View(ctx context.Context, f func(Tx) error) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.db.View(func(tx *bolt.Tx) error { return run(ctx, f, tx, nil) })
}

// Update implements Store.
func (b *Bolt) Update(ctx context.Context, f func(Tx) error) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var w writes
	err := b.db.Update(func(tx *bolt.Tx) error { return run(ctx, f, tx, w.reset(&b.dirty)) })
	b.dirty.add(w, err)
	return err
}

// Batch implements Store with group commit (group.do): concurrent
// issuances share a commit and its fsync, without waiting for company
// as bbolt's own Batch does (up to 10 ms).
func (b *Bolt) Batch(ctx context.Context, f func(Tx) error) error {
	return b.group.do(ctx, f, b.Update)
}

// Close implements Store.
func (b *Bolt) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	return b.db.Close()
}

// run runs f on tx; the keys it writes are noted in dirty (nil: not
// noted), for a compaction under way.
func run(ctx context.Context, f func(Tx) error, tx *bolt.Tx, dirty *writes) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return f(kvTx{b: func(name string) bucket { return boltBucket{tx.Bucket([]byte(name)), name, dirty} }})
}

type boltBucket struct {
	b     *bolt.Bucket
	name  string
	dirty *writes
}

func (b boltBucket) Get(key []byte) []byte { return b.b.Get(key) }

func (b boltBucket) Put(key, value []byte) error {
	b.dirty.note(b.name, key)
	return b.b.Put(key, value)
}

func (b boltBucket) Delete(key []byte) error {
	b.dirty.note(b.name, key)
	return b.b.Delete(key)
}

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
