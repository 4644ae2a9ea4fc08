package verifier_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/bundle"
	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/internal/testissuer"
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/store"
	bolt "go.etcd.io/bbolt"
)

// atRest is a real store file holding two keysets, a full list and two
// deltas, the second of which revokes Revoked; Valid stays valid.
type atRest struct {
	is             *testissuer.Issuer
	roots          []ed25519.PublicKey
	file           []byte
	revoked, valid testissuer.Code
	keysetSeq      uint64
	listSeq        uint64
	now            time.Time
}

func makeAtRest(t *testing.T) *atRest {
	t.Helper()
	is := testissuer.New("at rest", t0)
	a := &atRest{is: is, roots: []ed25519.PublicKey{is.RootPublic()}}
	a.revoked, a.valid = is.Issue(2), is.Issue(3)
	is.Now = t0.Add(time.Hour)
	is.Rotate()
	is.Revoke(is.Issue(1)) // list 2, delta 1→2 under the new key
	is.Now = t0.Add(2 * time.Hour)
	is.Revoke(a.revoked) // list 3, delta 2→3
	a.keysetSeq, a.listSeq, a.now = 2, is.ListSeq(), t0.Add(3*time.Hour)
	b, err := (&bundle.Bundle{CreatedAt: is.Now, Keysets: is.Keysets, List: is.Lists[1],
		Deltas: [][]byte{is.Deltas[1], is.Deltas[2]}}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "trust.db")
	e := a.open(t, path)
	if err := e.Import(context.Background(), b, "usb"); err != nil {
		t.Fatal(err)
	}
	a.check(t, e, "as made", true)
	if st := e.State(); st.List.Seq != 3 || len(st.DeltaDocs) != 2 || len(st.KeysetDocs) != 2 {
		t.Fatalf("store made with list %d, %d deltas, %d keysets", st.List.Seq, len(st.DeltaDocs), len(st.KeysetDocs))
	}
	if a.file, err = os.ReadFile(path); err != nil {
		t.Fatal(err)
	}
	return a
}

func (a *atRest) open(t *testing.T, path string) *verifier.Engine {
	t.Helper()
	e, err := verifier.Open(context.Background(), verifier.Options{Roots: a.roots, Store: &store.Bolt{Path: path},
		Now: func() time.Time { return a.now }})
	var d *verifier.DamagedError
	if err != nil && !errors.Is(err, verifier.ErrCorruptStore) && !errors.As(err, &d) {
		t.Fatalf("open: %v", err)
	}
	return e
}

// check fails when the engine calls the revoked code valid, or states
// trust data fresher than the store holds; with intact, it also wants the
// verdicts of the intact store.
func (a *atRest) check(t *testing.T, e *verifier.Engine, what string, intact bool) {
	t.Helper()
	r := e.VerifyText(a.revoked.Text)
	if r.Status == credential.Valid {
		t.Errorf("%s: the revoked code reads VALID (keyset %d, list %d)", what, r.Trust.KeysetSeq, r.Trust.StatusSeq)
	}
	for _, r := range []verifier.Result{r, e.VerifyText(a.valid.Text)} {
		if r.Trust.KeysetSeq > a.keysetSeq || r.Trust.StatusSeq > a.listSeq || r.Trust.Age < a.now.Sub(a.is.Now) && r.Trust.StatusSeq != 0 {
			t.Errorf("%s: fresher than held: %+v", what, r.Trust)
		}
	}
	f := e.State().Freshness(a.now, e.Limits())
	if !f.Stale && f.Age < a.now.Sub(a.is.Now) {
		t.Errorf("%s: freshness says %v old", what, f.Age)
	}
	if intact {
		if r.Status != credential.Revoked || e.VerifyText(a.valid.Text).Status != credential.Valid {
			t.Errorf("%s: revoked → %s, valid → %s", what, r.Status, e.VerifyText(a.valid.Text).Status)
		}
	}
}

type record struct{ bucket, key string }

func records(t *testing.T, path string) ([]record, map[record][]byte) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rs []record
	vals := map[record][]byte{}
	db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			return b.ForEach(func(k, v []byte) error {
				r := record{string(name), string(k)}
				rs = append(rs, r)
				vals[r] = bytes.Clone(v)
				return nil
			})
		})
	})
	return rs, vals
}

func edit(t *testing.T, path string, f func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(f); err != nil {
		t.Fatal(err)
	}
}

// TestStoreEditedAtRest deletes each record of a real store in turn, then
// puts each record's value in place of each other's: no case may call the
// revoked code valid or report fresher data than the store holds. (Before
// the list was kept with its last signed statement, deleting the last
// delta gave the list before it: the revoked code read VALID, "al día".)
func TestStoreEditedAtRest(t *testing.T) {
	t.Parallel()
	a := makeAtRest(t)
	dir := t.TempDir()
	fresh := func(name string) string {
		p := filepath.Join(dir, name+".db")
		if err := os.WriteFile(p, a.file, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	rs, vals := records(t, fresh("list"))
	if len(rs) < 10 {
		t.Fatalf("only %d records: %v", len(rs), rs)
	}
	n := 0
	for _, r := range rs {
		p := fresh("delete")
		edit(t, p, func(tx *bolt.Tx) error { return tx.Bucket([]byte(r.bucket)).Delete([]byte(r.key)) })
		a.check(t, a.open(t, p), fmt.Sprintf("deleted %s/%q", r.bucket, r.key), false)
		n++
		for _, o := range rs {
			if o == r || bytes.Equal(vals[o], vals[r]) {
				continue
			}
			p := fresh("replace")
			edit(t, p, func(tx *bolt.Tx) error { return tx.Bucket([]byte(r.bucket)).Put([]byte(r.key), vals[o]) })
			a.check(t, a.open(t, p), fmt.Sprintf("%s/%q replaced by %s/%q", r.bucket, r.key, o.bucket, o.key), false)
			n++
		}
	}
	t.Logf("%d records, %d edited stores", len(rs), n)
}

// TestStoreBytesFlipped flips bytes across a real store file: each copy
// either opens as what it held, or as less (stale), or is found damaged,
// moved aside and replaced by a fresh store; none crashes, none calls the
// revoked code valid.
func TestStoreBytesFlipped(t *testing.T) {
	t.Parallel()
	a := makeAtRest(t)
	dir := t.TempDir()
	step := 41
	if testing.Short() {
		step = 997
	}
	damagedN := 0
	for off := 0; off < len(a.file); off += step {
		for _, mask := range []byte{0x01, 0x80} {
			p := filepath.Join(dir, fmt.Sprintf("flip-%d-%x.db", off, mask))
			b := bytes.Clone(a.file)
			b[off] ^= mask
			if err := os.WriteFile(p, b, 0o600); err != nil {
				t.Fatal(err)
			}
			e, err := verifier.Open(context.Background(), verifier.Options{Roots: a.roots, Store: &store.Bolt{Path: p},
				Now: func() time.Time { return a.now }})
			var d *verifier.DamagedError
			switch {
			case errors.As(err, &d):
				damagedN++
				if kept, rerr := os.ReadFile(d.Moved); rerr != nil || !bytes.Equal(kept, b) {
					t.Fatalf("byte %d: the damaged file was not kept as it was: %v", off, rerr)
				}
			case err != nil && !errors.Is(err, verifier.ErrCorruptStore):
				t.Fatalf("byte %d ^ %#x: %v", off, mask, err)
			}
			a.check(t, e, fmt.Sprintf("byte %d ^ %#x", off, mask), false)
		}
	}
	if damagedN == 0 {
		t.Error("no flip was found damaged: the check cannot fail")
	}
	t.Logf("%d bytes, %d flips found damaged", len(a.file), damagedN)
}

// TestStoreCutShort truncates a real store at every page boundary (and
// inside pages): no command may die of SIGBUS or a bbolt panic; the file
// is moved aside, kept whole, and a fresh store takes trust data again.
// (Before, 8192 and 12288 bytes crashed every command.)
func TestStoreCutShort(t *testing.T) {
	t.Parallel()
	a := makeAtRest(t)
	dir := t.TempDir()
	sizes := []int{1, 100, 4095, 4096, 8191, 8192, 8193, 12288, 16384}
	damagedN := 0
	for s := 20480; s < len(a.file); s += 4096 {
		sizes = append(sizes, s, s+1000)
	}
	for _, size := range sizes {
		if size >= len(a.file) {
			continue
		}
		p := filepath.Join(dir, fmt.Sprintf("cut-%d.db", size))
		if err := os.WriteFile(p, a.file[:size], 0o600); err != nil {
			t.Fatal(err)
		}
		e, err := verifier.Open(context.Background(), verifier.Options{Roots: a.roots, Store: &store.Bolt{Path: p},
			Now: func() time.Time { return a.now }})
		var d *verifier.DamagedError
		if err == nil { // only slack after the last page was cut
			a.check(t, e, fmt.Sprintf("cut to %d", size), true)
			continue
		}
		if !errors.As(err, &d) {
			t.Fatalf("cut to %d bytes: %v", size, err)
		}
		damagedN++
		if kept, _ := os.ReadFile(d.Moved); !bytes.Equal(kept, a.file[:size]) {
			t.Fatalf("cut to %d bytes: not kept whole at %s", size, d.Moved)
		}
		if r := e.VerifyText(a.valid.Text); r.Status != credential.Stale {
			t.Fatalf("cut to %d bytes: %s with a fresh store", size, r.Status)
		}
		if err := e.Import(context.Background(), a.is.Bundle(), "usb"); err != nil {
			t.Fatalf("cut to %d bytes: import into the fresh store: %v", size, err)
		}
		a.check(t, a.open(t, p), fmt.Sprintf("cut to %d, refilled", size), true)
	}
	if damagedN < 9 {
		t.Errorf("only %d cuts found damaged", damagedN)
	}
}
