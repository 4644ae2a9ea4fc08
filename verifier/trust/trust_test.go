package trust

import (
	"crypto/ed25519"
	"errors"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/bundle"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/internal/testissuer"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func fresh(is *testissuer.Issuer) *State { return New([]ed25519.PublicKey{is.RootPublic()}) }

func TestSyncSteps(t *testing.T) {
	t.Parallel()
	is := testissuer.New("trust", t0)
	s, err := fresh(is).WithKeysets(is.Keysets)
	if err != nil {
		t.Fatal(err)
	}
	if f := s.Freshness(t0, DefaultLimits); !f.Stale || f.Reason != NoStatusList {
		t.Fatalf("no list: %+v", f)
	}
	if s, err = s.WithList(is.Lists[1]); err != nil {
		t.Fatal(err)
	}
	c := is.Issue(3)
	is.Now = t0.Add(time.Hour)
	is.Revoke(c)
	if s, err = s.WithDelta(is.Deltas[1]); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.List.Revoked(c.Claims.StatusIndex); !r || s.List.Seq != 2 {
		t.Fatalf("delta not applied: seq %d", s.List.Seq)
	}
	if !s.Floor.Equal(t0.Add(time.Hour)) {
		t.Fatalf("floor %v", s.Floor)
	}
	// Old data is refused, the same data is up to date.
	if _, err := s.WithList(is.Lists[1]); !errors.Is(err, ErrRollback) {
		t.Fatalf("older list: %v", err)
	}
	if _, err := s.WithList(is.Lists[2]); !errors.Is(err, ErrUpToDate) {
		t.Fatalf("same list: %v", err)
	}
	if _, err := s.WithKeysets(is.Keysets); !errors.Is(err, ErrUpToDate) {
		t.Fatalf("same keysets: %v", err)
	}
	if _, err := s.WithDelta(is.Deltas[1]); !errors.Is(err, ErrRollback) {
		t.Fatalf("applied delta again: %v", err)
	}
}

func TestFreshness(t *testing.T) {
	t.Parallel()
	is := testissuer.New("fresh", t0)
	s, _ := fresh(is).Import(mustParse(t, is.Bundle()))
	for _, tt := range []struct {
		name   string
		now    time.Time
		stale  bool
		old    bool
		reason string
	}{
		{"just synced", t0.Add(time.Minute), false, false, ""},
		{"six days", t0.Add(6 * 24 * time.Hour), false, false, ""},
		{"eight days", t0.Add(8 * 24 * time.Hour), false, true, ""},
		{"31 days", t0.Add(31 * 24 * time.Hour), true, false, TooOld},
		{"clock within skew", t0.Add(-5 * time.Minute), false, false, ""},
		{"clock wound back", t0.Add(-48 * time.Hour), true, false, ClockBehind},
		{"keyset expired", t0.AddDate(6, 0, 0), true, false, KeysetExpired},
	} {
		f := s.Freshness(tt.now, DefaultLimits)
		if f.Stale != tt.stale || f.Old != tt.old || f.Reason != tt.reason {
			t.Errorf("%s: %+v", tt.name, f)
		}
	}
	if f := fresh(is).Freshness(t0, DefaultLimits); !f.Stale || f.Reason != NoTrustData {
		t.Errorf("empty state: %+v", f)
	}
}

func mustParse(t *testing.T, data []byte) *bundle.Bundle {
	t.Helper()
	b, err := bundle.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestImport(t *testing.T) {
	t.Parallel()
	is := testissuer.New("import", t0)
	old := is.Bundle()
	c := is.Issue(2)
	is.Now = t0.Add(time.Hour)
	is.Revoke(c)
	is.Rotate()
	newer := is.Bundle()

	s, err := fresh(is).Import(mustParse(t, newer))
	if err != nil {
		t.Fatal(err)
	}
	if s.Keyset.Seq != 2 || s.List.Seq != 2 {
		t.Fatalf("imported keyset %d list %d", s.Keyset.Seq, s.List.Seq)
	}
	if _, err := s.Import(mustParse(t, old)); !errors.Is(err, ErrRollback) {
		t.Fatalf("older bundle: %v", err)
	}
	if _, err := s.Import(mustParse(t, newer)); !errors.Is(err, ErrUpToDate) {
		t.Fatalf("same bundle: %v", err)
	}
	// Export, then import into another verifier: the same state.
	exp, err := s.Export(t0)
	if err != nil {
		t.Fatal(err)
	}
	data, err := exp.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	s2, err := fresh(is).Import(mustParse(t, data))
	if err != nil || s2.List.Seq != 2 || s2.Keyset.Seq != 2 {
		t.Fatalf("re-import: %v", err)
	}
	// A bundle from an issuer with another root is refused.
	other := testissuer.New("other root", t0)
	if _, err := s.Import(mustParse(t, other.Bundle())); !errors.Is(err, keyset.ErrUntrustedRoot) {
		t.Fatalf("foreign bundle: %v", err)
	}
}

func TestDeltasThenRestore(t *testing.T) {
	t.Parallel()
	is := testissuer.New("restore", t0)
	s, _ := fresh(is).Import(mustParse(t, is.Bundle()))
	for i := range 3 {
		c := is.Issue(1)
		is.Now = t0.Add(time.Duration(i+1) * time.Hour)
		is.Revoke(c)
		var err error
		if s, err = s.WithDelta(is.Deltas[uint64(i+1)]); err != nil {
			t.Fatal(err)
		}
	}
	r, err := Restore(s.Roots(), s.Stored())
	if err != nil {
		t.Fatal(err)
	}
	if r.List.Seq != 4 || r.List.Count() != 3 || !r.Floor.Equal(s.Floor) {
		t.Fatalf("restored list seq %d count %d", r.List.Seq, r.List.Count())
	}
	// A delta of the history altered at rest drops the history (no
	// export) but not the list, which its head and bits still prove.
	d := s.Stored()
	bad := append([][]byte{}, d.DeltaDocs...)
	bad[1] = append([]byte{}, bad[1]...)
	bad[1][len(bad[1])-1] ^= 1
	d.DeltaDocs = bad
	r, err = Restore(s.Roots(), d)
	if err != nil || r.List.Seq != 4 || r.ListDoc != nil {
		t.Fatalf("altered history: %v", err)
	}
	if _, err := r.Export(t0); !errors.Is(err, ErrNoHistory) {
		t.Fatalf("exported without a history: %v", err)
	}
	// An altered bit is caught: the list is dropped, the keysets stay.
	d = s.Stored()
	d.Bits[0] ^= 1
	if r, err = Restore(s.Roots(), d); !errors.Is(err, ErrDamaged) || r.List != nil || r.Keyset == nil {
		t.Fatalf("altered bits: %v", err)
	}
	// A bundle exported with deltas imports with them.
	b, err := s.Export(t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Deltas) != 3 {
		t.Fatalf("%d deltas exported", len(b.Deltas))
	}
	s3, err := fresh(is).Import(b)
	if err != nil || s3.List.Seq != 4 {
		t.Fatalf("import with deltas: %v", err)
	}
}

func TestCompromiseDropsList(t *testing.T) {
	t.Parallel()
	is := testissuer.New("compromise", t0)
	s, _ := fresh(is).Import(mustParse(t, is.Bundle()))
	next := is.Keyset().Next(is.Keysets[0], t0.Add(time.Hour), 24*time.Hour*365)
	if err := next.Compromise(is.Keyset().Keys[0].ID); err != nil {
		t.Fatal(err)
	}
	doc, err := next.Sign(is.Root)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := s.WithKeysets([][]byte{doc})
	if err != nil {
		t.Fatal(err)
	}
	if s2.List != nil {
		t.Fatal("kept a status list signed by a compromised key")
	}
	if f := s2.Freshness(t0.Add(2*time.Hour), DefaultLimits); !f.Stale || f.Reason != NoStatusList {
		t.Fatalf("freshness %+v", f)
	}
}

// TestImportKeepsKeysetsWhatever: new keysets are kept whatever refuses the
// list, an older list included; the error says the list was refused and why.
func TestImportKeepsKeysetsWhatever(t *testing.T) {
	t.Parallel()
	is := testissuer.New("keep keysets", t0)
	is.Now = t0.Add(time.Hour)
	is.Revoke(is.Issue(2)) // list 2
	s, err := fresh(is).Import(mustParse(t, is.Bundle()))
	if err != nil {
		t.Fatal(err)
	}
	// A bundle with the next keyset but the older list 1.
	is.Rotate()
	b := mustParse(t, is.Bundle())
	b.List = is.Lists[1]
	next, err := s.Import(b)
	if !errors.Is(err, ErrListRejected) || !errors.Is(err, ErrRollback) {
		t.Fatalf("new keysets, older list: %v", err)
	}
	if next == nil || next.Keyset.Seq != 2 || next.List == nil || next.List.Seq != 2 {
		t.Fatalf("state after: %+v", next)
	}
}
