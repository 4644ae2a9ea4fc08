package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

const compactSuffix = ".compact"

// compactChunk bounds one read transaction of the copy: a long one keeps
// a writer that must remap the file waiting. At 4 MB (a few hundred
// thousand index entries cloned) writes waited up to 160 ms at 300,000
// constancias; at 512 KB, 33 ms.
const compactChunk = 512 << 10

// compactRounds is how many times the copy catches up with the writes made
// meanwhile before the last (small) catch-up, which holds the writers.
const compactRounds = 8

// compactSettled is the number of changed keys small enough to copy while
// the writers wait.
const compactSettled = 512

// errClosed: the store was closed during a compaction.
var errClosed = errors.New("store: closed")

// Compact rewrites the file with only the live data, so that nothing
// deleted survives in freed pages: bbolt never overwrites a freed page
// until it reuses it, and a cancellation (Ley 29733) must leave no trace
// of the person in the file's bytes.
//
// Writers are not held while it copies: the copy reads in short
// transactions while a journal notes every key written meanwhile; it then
// catches up with the journal, a few rounds, and only the last round, a
// few hundred keys at most, the sync of the copy and the swap of the files
// hold the writers (milliseconds at a million constancias, where holding
// them for the whole copy took 35–45 s). A crash at any point leaves the
// old file or the new one: the copy is synced before it is renamed over
// the file.
func (b *Bolt) Compact() error {
	b.compacting.Lock()
	defer b.compacting.Unlock()
	tmp := b.path + compactSuffix
	os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o600, boltOptions())
	if err != nil {
		return err
	}
	// Each chunk of the copy is synced as it is written: a writer's commit
	// then never waits behind the flush of the whole copy. A crash before
	// the rename leaves a copy OpenBolt removes.
	swapped := false
	defer func() {
		if !swapped {
			dst.Close()
			os.Remove(tmp)
			b.dirty.stop()
		}
	}()

	// Journal from a point where no write transaction is under way, so
	// every write after it is noted and every write before it is in what
	// the copy reads.
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return errClosed
	}
	b.dirty.start()
	b.mu.Unlock()

	names, err := b.bucketNames()
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := b.copyBucket(dst, name); err != nil {
			return fmt.Errorf("store: compacting: %w", err)
		}
	}
	for range compactRounds {
		keys := b.dirty.take()
		if err := b.catchUp(dst, keys, true); err != nil {
			return fmt.Errorf("store: compacting: %w", err)
		}
		if b.dirty.len() <= compactSettled {
			break
		}
	}

	// The swap: writers wait from here.
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return errClosed
	}
	if err := b.catchUp(dst, b.dirty.take(), false); err != nil {
		return fmt.Errorf("store: compacting: %w", err)
	}
	err = b.db.View(func(src *bolt.Tx) error {
		return dst.Update(func(out *bolt.Tx) error {
			return src.ForEach(func(name []byte, sb *bolt.Bucket) error {
				ob, err := out.CreateBucketIfNotExists(name)
				if err != nil {
					return err
				}
				return ob.SetSequence(sb.Sequence())
			})
		})
	})
	if err != nil {
		return fmt.Errorf("store: compacting: %w", err)
	}
	// The copy (every commit to it synced), still open, becomes the store: renamed over the file, it
	// keeps its descriptor. The old file is closed after the writers go
	// on: its unmapping, and the freeing of its blocks when the last
	// descriptor goes, take longer than the whole swap; the blocks are
	// freed a slice at a time (release) so that no commit of the writers
	// waits behind the file system freeing hundreds of megabytes at once.
	oldFile, err := os.OpenFile(b.path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, b.path); err != nil {
		oldFile.Close()
		return err
	}
	if d, err := os.Open(filepath.Dir(b.path)); err == nil {
		d.Sync()
		d.Close()
	}
	b.dirty.stop()
	swapped = true
	old := b.db
	b.db = dst
	go release(old, oldFile)
	return nil
}

// releaseStep is how much of the replaced file is freed at a time.
const releaseStep = 8 << 20

// release closes the replaced database and frees its file's blocks a
// slice at a time (the file is already unlinked: f is its last name).
func release(old *bolt.DB, f *os.File) {
	old.Close()
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return
	}
	for size := fi.Size(); size > 0; {
		size = max(0, size-releaseStep)
		if f.Truncate(size) != nil {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// view runs f in a read transaction of the live file, as View does.
func (b *Bolt) view(f func(*bolt.Tx) error) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return errClosed
	}
	return b.db.View(f)
}

func (b *Bolt) bucketNames() ([]string, error) {
	var names []string
	err := b.view(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			names = append(names, string(name))
			return nil
		})
	})
	return names, err
}

// copyBucket copies bucket name to dst in chunks, each read in its own
// short transaction. The chunks are not one snapshot; the journal makes up
// for that: a key changed after the journal started is copied again, from
// its latest value, when the copy catches up.
func (b *Bolt) copyBucket(dst *bolt.DB, name string) error {
	var after []byte
	for {
		var keys, values [][]byte
		size := 0
		err := b.view(func(tx *bolt.Tx) error {
			bk := tx.Bucket([]byte(name))
			if bk == nil {
				return nil
			}
			c := bk.Cursor()
			k, v := c.First()
			if after != nil {
				k, v = c.Seek(after)
				if k != nil && bytes.Equal(k, after) {
					k, v = c.Next()
				}
			}
			for ; k != nil && size < compactChunk; k, v = c.Next() {
				if v == nil {
					return fmt.Errorf("bucket %s holds a nested bucket", name)
				}
				keys = append(keys, bytes.Clone(k))
				values = append(values, bytes.Clone(v))
				size += len(k) + len(v)
			}
			return nil
		})
		if err != nil {
			return err
		}
		err = dst.Update(func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucketIfNotExists([]byte(name))
			if err != nil {
				return err
			}
			// Keys arrive in order: full pages, as bbolt's own compaction.
			bk.FillPercent = 1
			for i, k := range keys {
				if err := bk.Put(k, values[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || len(keys) == 0 || size < compactChunk {
			return err
		}
		after = keys[len(keys)-1]
	}
}

// catchUp copies the latest value (or the absence) of every key in keys
// from the live file to dst. shared: read as View does; otherwise the
// caller holds b.mu alone.
func (b *Bolt) catchUp(dst *bolt.DB, keys map[string]map[string]struct{}, shared bool) error {
	if len(keys) == 0 {
		return nil
	}
	read := b.view
	if !shared {
		read = b.db.View
	}
	type change struct {
		bucket, key string
		value       []byte // nil: deleted
	}
	var changes []change
	err := read(func(tx *bolt.Tx) error {
		for name, ks := range keys {
			bk := tx.Bucket([]byte(name))
			for k := range ks {
				var v []byte
				if bk != nil {
					v = bytes.Clone(bk.Get([]byte(k)))
				}
				changes = append(changes, change{name, k, v})
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return dst.Update(func(tx *bolt.Tx) error {
		for _, c := range changes {
			bk, err := tx.CreateBucketIfNotExists([]byte(c.bucket))
			if err != nil {
				return err
			}
			if c.value == nil {
				err = bk.Delete([]byte(c.key))
			} else {
				err = bk.Put([]byte(c.key), c.value)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// journal notes the keys written while a compaction copies (bucket →
// key). A transaction's keys are noted after it commits, while it still
// holds the store (b.mu shared): a catch-up that reads a key before the
// commit would copy the old value, and the key must come up again after.
type journal struct {
	on   atomic.Bool // changed only with b.mu held alone, read inside transactions
	mu   sync.Mutex
	keys map[string]map[string]struct{}
	n    int
}

// writes are the keys one transaction wrote, kept while a compaction runs.
type writes struct {
	on   bool
	keys []bucketKey
}

type bucketKey struct{ bucket, key string }

// reset starts a transaction's attempt (a Batch may run f more than once)
// and returns w, or nil when no compaction runs.
func (w *writes) reset(j *journal) *writes {
	w.on, w.keys = j.on.Load(), w.keys[:0]
	if !w.on {
		return nil
	}
	return w
}

func (w *writes) note(bucket string, key []byte) {
	if w != nil {
		w.keys = append(w.keys, bucketKey{bucket, string(key)})
	}
}

// add notes the keys of a committed transaction (err nil).
func (j *journal) add(w writes, err error) {
	if err != nil || !w.on || len(w.keys) == 0 {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if !j.on.Load() {
		return
	}
	for _, bk := range w.keys {
		ks := j.keys[bk.bucket]
		if ks == nil {
			ks = map[string]struct{}{}
			j.keys[bk.bucket] = ks
		}
		if _, ok := ks[bk.key]; !ok {
			ks[bk.key] = struct{}{}
			j.n++
		}
	}
}

func (j *journal) start() {
	j.mu.Lock()
	j.keys, j.n = map[string]map[string]struct{}{}, 0
	j.on.Store(true)
	j.mu.Unlock()
}

func (j *journal) stop() {
	j.mu.Lock()
	j.on.Store(false)
	j.keys, j.n = nil, 0
	j.mu.Unlock()
}

// take returns the keys noted so far and starts a new set.
func (j *journal) take() map[string]map[string]struct{} {
	j.mu.Lock()
	defer j.mu.Unlock()
	keys := j.keys
	j.keys, j.n = map[string]map[string]struct{}{}, 0
	return keys
}

func (j *journal) len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.n
}
