package store_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/minedu-cla/cla/internal/testissuer"
	"github.com/minedu-cla/cla/verifier/store"
	"github.com/minedu-cla/cla/verifier/store/storetest"
	"github.com/minedu-cla/cla/verifier/trust"
	bolt "go.etcd.io/bbolt"
)

func TestMemory(t *testing.T) {
	storetest.Run(t, func(*testing.T) store.Store { return &store.Memory{} })
}

func TestBolt(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return &store.Bolt{Path: filepath.Join(t.TempDir(), "trust.db")}
	})
}

// TestBoltBusy: while another process holds the store, a call waits
// LockWait and then says the store is busy instead of hanging.
func TestBoltBusy(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process")
	}
	path := filepath.Join(t.TempDir(), "trust.db")
	if err := (&store.Bolt{Path: path}).Save(context.Background(), &store.Snapshot{}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHold$")
	cmd.Env = append(os.Environ(), "CLA_STORE_HOLD="+path)
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	buf := make([]byte, 4)
	if _, err := io.ReadFull(stdout, buf); err != nil || string(buf) != "held" {
		t.Fatalf("helper did not take the lock: %q %v", buf, err)
	}
	_, err := (&store.Bolt{Path: path, LockWait: 200 * time.Millisecond}).Load(context.Background())
	if !errors.Is(err, store.ErrBusy) {
		t.Fatalf("Load while held: %v", err)
	}
}

// TestHelperHold holds the store open for TestBoltBusy.
func TestHelperHold(t *testing.T) {
	path := os.Getenv("CLA_STORE_HOLD")
	if path == "" {
		t.Skip("helper process only")
	}
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		os.Exit(1)
	}
	defer db.Close()
	fmt.Print("held")
	time.Sleep(time.Minute)
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// states returns two trust snapshots of the same issuer, one a sync later
// than the other, each large enough that a save takes a while.
func states() (*testissuer.Issuer, []*store.Snapshot) {
	is := testissuer.New("crash", t0)
	var snaps []*store.Snapshot
	for round := range 2 {
		for i := range 20 {
			is.Now = t0.Add(time.Duration(round*20+i) * time.Minute)
			is.Revoke(is.Issue(1))
		}
		var deltas [][]byte
		for seq := uint64(1); seq < is.ListSeq(); seq++ {
			deltas = append(deltas, is.Deltas[seq])
		}
		last := is.Lists[1]
		if len(deltas) > 0 {
			last = deltas[len(deltas)-1]
		}
		snaps = append(snaps, &store.Snapshot{KeysetDocs: is.Keysets, KeysetHead: is.Keysets[len(is.Keysets)-1],
			StatusHead: last, Bits: is.ListBits(), ListDoc: is.Lists[1], DeltaDocs: deltas, Floor: is.Now})
	}
	return is, snaps
}

// TestCrashMidSave kills a process that is saving snapshots in a loop, at
// a random moment, several times; each time the store still loads, and
// what it holds re-verifies completely as one of the two snapshots.
func TestCrashMidSave(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	is, snaps := states()
	path := filepath.Join(t.TempDir(), "trust.db")
	roots := []ed25519.PublicKey{is.RootPublic()}
	for kill := range 8 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSaveLoop$")
		cmd.Env = append(os.Environ(), "CLA_STORE_HELPER="+path)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(150+kill*37) * time.Millisecond)
		cmd.Process.Kill() // SIGKILL: no deferred code, no cleanup
		cmd.Wait()
		got, err := (&store.Bolt{Path: path}).Load(context.Background())
		if err != nil {
			t.Fatalf("kill %d: store unreadable: %v", kill, err)
		}
		if len(got.KeysetDocs) == 0 {
			continue // killed before the first save
		}
		st, err := trust.Restore(roots, trust.Stored{KeysetDocs: got.KeysetDocs, KeysetHead: got.KeysetHead,
			StatusHead: got.StatusHead, Bits: got.Bits, ListDoc: got.ListDoc, DeltaDocs: got.DeltaDocs, Floor: got.Floor})
		if err != nil {
			t.Fatalf("kill %d: stored state does not verify: %v", kill, err)
		}
		if n := len(got.DeltaDocs); n != len(snaps[0].DeltaDocs) && n != len(snaps[1].DeltaDocs) {
			t.Fatalf("kill %d: a mix of two snapshots: %d deltas", kill, n)
		}
		if st.ListDoc == nil || uint64(len(got.DeltaDocs)+1) != st.List.Seq {
			t.Fatalf("kill %d: list seq %d with %d deltas", kill, st.List.Seq, len(got.DeltaDocs))
		}
	}
}

// TestHelperSaveLoop is the process TestCrashMidSave kills: it saves the
// two snapshots alternately, forever (the floor is kept so both save).
func TestHelperSaveLoop(t *testing.T) {
	path := os.Getenv("CLA_STORE_HELPER")
	if path == "" {
		t.Skip("helper process only")
	}
	_, snaps := states()
	snaps[0].Floor, snaps[1].Floor = t0, t0
	st := &store.Bolt{Path: path}
	for i := 0; ; i++ {
		if err := st.Save(context.Background(), snaps[i%2]); err != nil {
			fmt.Fprintln(os.Stderr, "save:", err, strconv.Itoa(i))
			os.Exit(1)
		}
	}
}

// FuzzBoltLoad: whatever bytes sit in the store file, Load returns (a
// snapshot, or an error; ErrDamaged for a file that is not a sound store),
// never crashes the process, and what it returns restores without panic.
func FuzzBoltLoad(f *testing.F) {
	is, snaps := states()
	dir := f.TempDir()
	good := filepath.Join(dir, "good.db")
	if err := (&store.Bolt{Path: good}).Save(context.Background(), snaps[1]); err != nil {
		f.Fatal(err)
	}
	whole, err := os.ReadFile(good)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(whole)
	f.Add(whole[:8192])
	f.Add(whole[:12288])
	roots := []ed25519.PublicKey{is.RootPublic()}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "trust.db")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := (&store.Bolt{Path: p, LockWait: time.Second}).Load(context.Background())
		if err != nil {
			return
		}
		trust.Restore(roots, trust.Stored{KeysetDocs: got.KeysetDocs, KeysetHead: got.KeysetHead,
			StatusHead: got.StatusHead, Bits: got.Bits, ListDoc: got.ListDoc, DeltaDocs: got.DeltaDocs, Floor: got.Floor})
	})
}
