package audit

import (
	"context"
	"encoding/binary"
	"testing"

	"github.com/minedu-cla/cla/issuer/store"
	bolt "go.etcd.io/bbolt"
)

// editBolt changes the issuer's file directly with bbolt, as someone with
// access to the disk could, bypassing the store.
func editBolt(t *testing.T, path string, f func(log *bolt.Bucket)) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error { f(tx.Bucket([]byte("log"))); return nil }); err != nil {
		t.Fatal(err)
	}
}

func key(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// bolted makes a bbolt file with n entries and closes it.
func bolted(t *testing.T, n int) string {
	s, path := tempBolt(t)
	fill(t, s, n)
	s.Close()
	return path
}

func checkFile(t *testing.T, path string) Report {
	t.Helper()
	s := openBolt(t, path)
	defer s.Close()
	return mustCheck(t, s)
}

// TestCheckDetectsEveryByteEdit: change any one byte of entry 5's record in
// the bbolt file, and Check names entry 5 — whatever byte it was.
func TestCheckDetectsEveryByteEdit(t *testing.T) {
	path := bolted(t, 9)
	var orig []byte
	editBolt(t, path, func(log *bolt.Bucket) { orig = append([]byte{}, log.Get(key(5))...) })
	faults := map[Fault]int{}
	for i := range orig {
		edited := append([]byte{}, orig...)
		edited[i] ^= 0x01
		editBolt(t, path, func(log *bolt.Bucket) { log.Put(key(5), edited) })
		r := checkFile(t, path)
		// A changed hash field also breaks entry 6's link: two problems,
		// the first of them entry 5.
		if r.OK() || r.First.Seq != 5 || r.Problems > 2 {
			t.Fatalf("byte %d (%q→%q): %+v, first %v", i, orig[i], edited[i], r, r.First)
		}
		faults[r.First.Fault]++
	}
	editBolt(t, path, func(log *bolt.Bucket) { log.Put(key(5), orig) })
	if r := checkFile(t, path); !r.OK() {
		t.Fatalf("restored: %v", r.First)
	}
	t.Logf("%d edits: %v", len(orig), faults)
	if faults[BadHash] == 0 || faults[Undecodable] == 0 {
		t.Errorf("expected both bad hashes and undecodable records: %v", faults)
	}
}

// TestCheckTampering: edits that a careful forger would make.
func TestCheckTampering(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		edit  func(log *bolt.Bucket)
		seq   uint64
		fault Fault
	}{
		{"content changed, its hash recomputed", func(log *bolt.Bucket) {
			log.Put(key(4), reforge(t, log.Get(key(4)), func(e *Entry) { e.Actor = "mallory" }))
		}, 5, BrokenLink},
		{"a middle entry deleted", func(log *bolt.Bucket) { log.Delete(key(4)) }, 4, SeqGap},
		{"the first entry deleted", func(log *bolt.Bucket) { log.Delete(key(1)) }, 1, SeqGap},
		{"two entries swapped", func(log *bolt.Bucket) {
			a, b := append([]byte{}, log.Get(key(3))...), append([]byte{}, log.Get(key(4))...)
			log.Put(key(3), b)
			log.Put(key(4), a)
		}, 3, SeqGap},
		{"the last entry deleted", func(log *bolt.Bucket) { log.Delete(key(8)) }, 8, HeadMismatch},
		{"the last entry replaced, hash recomputed", func(log *bolt.Bucket) {
			log.Put(key(8), reforge(t, log.Get(key(8)), func(e *Entry) { e.Target = "other" }))
		}, 8, HeadMismatch},
		{"an entry added at the end", func(log *bolt.Bucket) {
			last, _ := Decode(log.Get(key(8)))
			log.Put(key(9), reforge(t, log.Get(key(8)), func(e *Entry) { e.Seq, e.Prev = 9, last.Hash }))
		}, 9, HeadMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := bolted(t, 8)
			editBolt(t, path, tc.edit)
			r := checkFile(t, path)
			if r.OK() || r.First.Seq != tc.seq || r.First.Fault != tc.fault {
				t.Errorf("Check: %+v, first %v; want entry %d %s", r, r.First, tc.seq, tc.fault)
			}
		})
	}
}

// reforge decodes a record, edits it and re-hashes it (keeping its link).
func reforge(t *testing.T, rec []byte, edit func(*Entry)) []byte {
	t.Helper()
	e, err := Decode(rec)
	if err != nil {
		t.Fatal(err)
	}
	edit(&e)
	e.Hash = sum(body(&e))
	return encode(&e)
}

// TestAppendAfterTampering: the trail keeps recording after its tail was
// cut or its last record damaged, and Check still names the place.
func TestAppendAfterTampering(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		edit  func(log *bolt.Bucket)
		seq   uint64
		fault Fault
	}{
		{"tail cut", func(log *bolt.Bucket) { log.Delete(key(6)) }, 6, SeqGap},
		{"last record damaged", func(log *bolt.Bucket) { log.Put(key(6), []byte("garbage")) }, 6, Undecodable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := bolted(t, 6)
			editBolt(t, path, tc.edit)
			s := openBolt(t, path)
			defer s.Close()
			fill(t, s, 3)
			r := mustCheck(t, s)
			if r.OK() || r.First.Seq != tc.seq || r.First.Fault != tc.fault || r.Problems != 1 {
				t.Errorf("Check: %+v, first %v; want entry %d %s", r, r.First, tc.seq, tc.fault)
			}
		})
	}
}

// TestCheckChunks: a trail longer than one read transaction's chunk is
// walked whole, and a problem in a later chunk is found.
func TestCheckChunks(t *testing.T) {
	t.Parallel()
	s := store.NewMemory()
	n := chunk + chunk/2
	err := s.Update(context.Background(), func(tx store.Tx) error {
		entries := make([]Entry, n)
		for i := range entries {
			entries[i], _ = normalize(sample(i))
		}
		return appendAll(tx, entries)
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := mustCheck(t, s); !r.OK() || r.Entries != uint64(n) {
		t.Fatalf("%+v %v", r, r.First)
	}
}

func TestCheckCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Check(ctx, store.NewMemory()); err == nil {
		t.Error("Check with a cancelled context succeeded")
	}
}
