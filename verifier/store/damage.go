//go:build !js

package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
)

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

// MaxFile caps the store file: trust data is a few MiB (a 16-Mbit list,
// its history, keysets). A larger file is not a store of ours.
const MaxFile = 256 << 20

// checkFile reads path and checks it as bbolt will read it, so that bbolt
// never meets a page it would fault or loop on: both meta pages sound, the
// file holding every page the newest one counts (bbolt maps the file into
// memory, and a page past its end is a SIGBUS, not an error), then every
// page reachable from the root (checkPages). A missing or empty file
// passes: bbolt makes a new store.
func checkFile(path string) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil
	case err != nil:
		return err
	case st.Size() == 0:
		return nil
	case st.Size() > MaxFile:
		return damaged("%s: %d bytes, over %d", path, st.Size(), MaxFile)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	// bbolt keeps two meta pages and, when the newer fails its checksum,
	// silently opens the older one: the store as it was one save earlier,
	// which may not hold the last revocations. Both must be sound.
	m0, ok0 := readMeta(data)
	if !ok0 {
		return damaged("%s: the first meta page is not sound", path)
	}
	if m0.pageSize < 512 || m0.pageSize > 64<<10 || m0.pageSize&(m0.pageSize-1) != 0 || m0.pageSize >= uint64(len(data)) {
		return damaged("%s: page size %d", path, m0.pageSize)
	}
	m1, ok1 := readMeta(data[m0.pageSize:])
	if !ok1 || m1.pageSize != m0.pageSize {
		return damaged("%s: the second meta page is not sound", path)
	}
	m := m0
	if m1.txid > m0.txid {
		m = m1
	}
	switch {
	case m.pgid < 4 || m.root < 2 || m.root >= m.pgid || (m.freelist != noFreelist && (m.freelist < 2 || m.freelist >= m.pgid)):
		return damaged("%s: meta page points outside the file (root %d, freelist %d, %d pages)", path, m.root, m.freelist, m.pgid)
	case m.pgid > uint64(len(data))/m.pageSize:
		return damaged("%s: cut short: %d bytes, %d needed", path, len(data), m.pgid*m.pageSize)
	}
	if err := checkPages(data, m); err != nil {
		return damaged("%s: %v", path, err)
	}
	return nil
}

// bbolt's page layout (go.etcd.io/bbolt/internal/common/page.go): a
// header of id (8 bytes), flags (2), count (2), overflow (4); then count
// elements of 16 bytes: a branch element is pos, ksize (4 each) and the
// child's pgid (8); a leaf element is flags, pos, ksize, vsize (4 each).
// pos counts from the element itself. A leaf value flagged as a bucket is
// the bucket's root pgid and sequence (8 each), then, when the root is 0,
// the bucket's one leaf page inline.
const (
	branchPage   = 0x01
	leafPage     = 0x02
	freelistPage = 0x10
	bucketLeaf   = 0x01
	elemSize     = 16
)

// checkPages walks every page reachable from the meta page m, in data,
// with every offset checked: each page inside the file and below the
// high-water mark, reached once (no cycles, no sharing), of the right
// kind, its elements, keys and values inside it, keys in order; the
// freelist inside its pages, naming no reachable page.
func checkPages(data []byte, m boltMeta) error {
	ne := binary.NativeEndian
	ps := m.pageSize
	seen := map[uint64]bool{0: true, 1: true}
	// span returns the bytes of page id with its overflow, marking them.
	span := func(id uint64, want uint16) ([]byte, error) {
		if id < 2 || id >= m.pgid {
			return nil, fmt.Errorf("page %d outside [2, %d)", id, m.pgid)
		}
		h := data[id*ps:]
		over := uint64(ne.Uint32(h[12:]))
		if ne.Uint64(h) != id || ne.Uint16(h[8:]) != want || over >= m.pgid-id {
			return nil, fmt.Errorf("page %d: header says page %d, flags %#x, overflow %d", id, ne.Uint64(h), ne.Uint16(h[8:]), over)
		}
		for i := id; i <= id+over; i++ {
			if seen[i] {
				return nil, fmt.Errorf("page %d reached twice", i)
			}
			seen[i] = true
		}
		return data[id*ps : (id+over+1)*ps], nil
	}
	var freed []uint64
	if m.freelist != noFreelist {
		p, err := span(m.freelist, freelistPage)
		if err != nil {
			return fmt.Errorf("freelist: %w", err)
		}
		n, at := uint64(ne.Uint16(p[10:])), uint64(pageHeaderSize)
		if n == 0xFFFF {
			n, at = ne.Uint64(p[pageHeaderSize:]), pageHeaderSize+8
		}
		if n > (uint64(len(p))-at)/8 {
			return fmt.Errorf("freelist of %d pages overflows its page", n)
		}
		for i := range n {
			id := ne.Uint64(p[at+8*i:])
			if id < 2 || id >= m.pgid {
				return fmt.Errorf("freelist names page %d", id)
			}
			freed = append(freed, id)
		}
	}
	var page func(p []byte, depth int) error
	// bucket checks a bucket value: its root page, or its inline page.
	bucket := func(v []byte, depth int) error {
		if len(v) < 16 {
			return fmt.Errorf("bucket value of %d bytes", len(v))
		}
		root := ne.Uint64(v)
		if root == 0 {
			if len(v) < 16+pageHeaderSize || ne.Uint16(v[16+8:]) != leafPage {
				return errors.New("inline bucket is not a leaf page")
			}
			return page(v[16:], depth+1)
		}
		p, err := span(root, ne.Uint16(data[min(root, m.pgid-1)*ps+8:]))
		if err != nil {
			return err
		}
		return page(p, depth+1)
	}
	page = func(p []byte, depth int) error {
		if depth > 32 {
			return errors.New("pages nested over 32 deep")
		}
		flags, n := ne.Uint16(p[8:]), uint64(ne.Uint16(p[10:]))
		if flags != branchPage && flags != leafPage {
			return fmt.Errorf("page of kind %#x inside a bucket", flags)
		}
		if n == 0 && flags == branchPage || n > (uint64(len(p))-pageHeaderSize)/elemSize {
			return fmt.Errorf("%d elements in a page of %d bytes", n, len(p))
		}
		var prev []byte
		for i := range n {
			e := pageHeaderSize + i*elemSize
			pos, ksize, vsize := uint64(ne.Uint32(p[e:])), uint64(ne.Uint32(p[e+4:])), uint64(0)
			if flags == leafPage {
				pos, ksize, vsize = uint64(ne.Uint32(p[e+4:])), uint64(ne.Uint32(p[e+8:])), uint64(ne.Uint32(p[e+12:]))
			}
			if e+pos+ksize+vsize > uint64(len(p)) {
				return fmt.Errorf("element %d runs past its page", i)
			}
			k := p[e+pos : e+pos+ksize]
			if i > 0 && string(k) <= string(prev) {
				return fmt.Errorf("keys out of order at element %d", i)
			}
			prev = k
			if flags == branchPage {
				child := ne.Uint64(p[e+8:])
				if child < 2 || child >= m.pgid {
					return fmt.Errorf("branch to page %d", child)
				}
				c, err := span(child, ne.Uint16(data[child*ps+8:]))
				if err != nil {
					return err
				}
				if err := page(c, depth+1); err != nil {
					return err
				}
				continue
			}
			if ne.Uint32(p[e:])&bucketLeaf != 0 {
				if err := bucket(p[e+pos+ksize:e+pos+ksize+vsize], depth); err != nil {
					return err
				}
			}
		}
		return nil
	}
	root, err := span(m.root, ne.Uint16(data[m.root*ps+8:]))
	if err != nil {
		return fmt.Errorf("root: %w", err)
	}
	if err := page(root, 0); err != nil {
		return err
	}
	for _, id := range freed {
		if seen[id] && id != m.freelist {
			return fmt.Errorf("page %d is both in use and free", id)
		}
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

// walk reads every byte of every bucket, key and value of the store as
// bbolt sees it: a second net behind checkPages, inside guard (a fault
// here is recovered). bbolt's own Tx.Check is not used: it reads pages on
// a goroutine of its own, where a fault cannot be recovered.
func walk(path string, db *bolt.DB) error {
	var sum byte
	return db.View(func(tx *bolt.Tx) error {
		var visit func(b *bolt.Bucket) error
		visit = func(b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				for _, c := range k {
					sum ^= c
				}
				for _, c := range v {
					sum ^= c
				}
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
		_ = sum
		return nil
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
