package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ErrDamaged: the store file is not a sound bbolt file (cut short, a page
// overwritten, not a store at all). Nothing in it is used; Quarantine moves
// it aside so a fresh store can be started.
var ErrDamaged = errors.New("store: the trust store file is damaged")

// damaged wraps ErrDamaged with what was found.
func damaged(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrDamaged, fmt.Sprintf(format, args...))
}

// bbolt's on-disk meta page (go.etcd.io/bbolt/internal/common): a 16-byte
// page header, then magic, version, page size, flags (4 bytes each), the
// root bucket (root pgid, sequence), the freelist pgid, the high-water
// pgid, the txid and an FNV-64a checksum of everything before it, each 8
// bytes, in the machine's byte order.
const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	pageHeaderSize = 16
	metaSize       = 64
	noFreelist     = ^uint64(0)
)

type boltMeta struct {
	pageSize             uint64
	root, freelist, pgid uint64
	txid                 uint64
}

func readMeta(b []byte) (boltMeta, bool) {
	if len(b) < pageHeaderSize+metaSize {
		return boltMeta{}, false
	}
	m := b[pageHeaderSize : pageHeaderSize+metaSize]
	le := binary.NativeEndian
	h := fnv.New64a()
	h.Write(m[:56])
	if le.Uint32(m[0:]) != boltMagic || le.Uint32(m[4:]) != boltVersion || le.Uint64(m[56:]) != h.Sum64() {
		return boltMeta{}, false
	}
	return boltMeta{pageSize: uint64(le.Uint32(m[8:])), root: le.Uint64(m[16:]), freelist: le.Uint64(m[32:]),
		pgid: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}, true
}

// precheck runs checkFile. It reads without bbolt's lock, so it may catch
// another program mid-write (the app and cla-verify share the store): when
// the file changed while it was read, it reads again.
func precheck(path string) error {
	for i := 0; ; i++ {
		before, _ := os.Stat(path)
		err := checkFile(path)
		after, _ := os.Stat(path)
		if err == nil || i == 10 || before == nil || after == nil ||
			(before.Size() == after.Size() && before.ModTime().Equal(after.ModTime())) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// checkFile reads the two meta pages of path, as bbolt will, and checks
// that the file holds every page the newest sound one counts: bbolt maps
// the file into memory, and a page past its end is a SIGBUS, not an error.
// A missing or empty file passes (bbolt makes a new store).
func checkFile(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	size := st.Size()
	if size == 0 {
		return nil
	}
	head := make([]byte, 64<<10+pageHeaderSize+metaSize)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return err
	}
	head = head[:n]
	// bbolt keeps two meta pages and, when the newer fails its checksum,
	// silently opens the older one: the store as it was one save earlier,
	// which may not hold the last revocations. Both must be sound.
	m0, ok0 := readMeta(head)
	if !ok0 {
		return damaged("%s: the first meta page is not sound", path)
	}
	if m0.pageSize == 0 || m0.pageSize >= uint64(len(head)) {
		return damaged("%s: page size %d", path, m0.pageSize)
	}
	m1, ok1 := readMeta(head[m0.pageSize:])
	if !ok1 || m1.pageSize != m0.pageSize {
		return damaged("%s: the second meta page is not sound", path)
	}
	m := m0
	if m1.txid > m0.txid {
		m = m1
	}
	switch {
	case m.pageSize < 512 || m.pageSize > 64<<10 || m.pageSize&(m.pageSize-1) != 0:
		return damaged("%s: page size %d", path, m.pageSize)
	case m.pgid < 4 || m.root < 2 || m.root >= m.pgid || (m.freelist != noFreelist && (m.freelist < 2 || m.freelist >= m.pgid)):
		return damaged("%s: meta page points outside the file (root %d, freelist %d, %d pages)", path, m.root, m.freelist, m.pgid)
	case m.pgid > uint64(size)/m.pageSize:
		return damaged("%s: cut short: %d bytes, %d needed", path, size, m.pgid*m.pageSize)
	}
	return nil
}

// guard runs f, turning a panic or a memory fault inside it (bbolt reads
// its file through a memory map, and panics on pages it cannot make sense
// of) into ErrDamaged.
func guard(path string, f func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = damaged("%s: %v", path, r)
		}
	}()
	return f()
}

// walk reads every bucket, key and value of the store, then runs bbolt's
// own consistency check (pages referenced twice, unreachable, of the wrong
// kind). It runs inside guard: a page pointer out of the file faults
// here, in a goroutine that recovers, before bbolt's check reads it.
func walk(path string, db *bolt.DB) error {
	return db.View(func(tx *bolt.Tx) error {
		var visit func(b *bolt.Bucket) error
		visit = func(b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				if v == nil {
					if c := b.Bucket(k); c != nil {
						return visit(c)
					}
				}
				return nil
			})
		}
		if err := tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return visit(b) }); err != nil {
			return err
		}
		var first error
		for err := range tx.Check() { // drain: the checker runs until done
			if first == nil {
				first = damaged("%s: %v", path, err)
			}
		}
		return first
	})
}

// Quarantine moves a damaged store file aside, beside it, under a name
// that says when: nothing is deleted, so it can be examined or sent for
// support. It returns the new name. The next call starts a fresh store.
func (b *Bolt) Quarantine() (string, error) {
	dst := b.Path + ".damaged-" + time.Now().UTC().Format("20060102T150405Z")
	for i := 2; ; i++ {
		if _, err := os.Lstat(dst); errors.Is(err, os.ErrNotExist) {
			break
		}
		dst = fmt.Sprintf("%s.damaged-%s-%d", b.Path, time.Now().UTC().Format("20060102T150405Z"), i)
	}
	if err := os.Rename(b.Path, dst); err != nil {
		return "", err
	}
	if d, err := os.Open(filepath.Dir(dst)); err == nil {
		d.Sync()
		d.Close()
	}
	return dst, nil
}
