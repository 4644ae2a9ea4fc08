package audit

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/minedu-cla/cla/issuer/store"
)

func TestAppendCheckRoundTrip(t *testing.T) {
	t.Parallel()
	for name, s := range map[string]store.Store{"memory": store.NewMemory(), "bolt": func() store.Store { s, _ := tempBolt(t); return s }()} {
		t.Run(name, func(t *testing.T) {
			if r := mustCheck(t, s); !r.OK() || r.Entries != 0 || r.Head != nil {
				t.Fatalf("empty trail: %+v", r)
			}
			got := fill(t, s, 25)
			for i, e := range got {
				if e.Seq != uint64(i+1) {
					t.Errorf("entry %d has seq %d", i, e.Seq)
				}
				if i > 0 && !bytes.Equal(e.Prev, got[i-1].Hash) {
					t.Errorf("entry %d does not link to %d", i+1, i)
				}
			}
			if !bytes.Equal(got[0].Prev, zeroHash) {
				t.Error("the first entry does not link to zeros")
			}
			r := mustCheck(t, s)
			if !r.OK() || r.Entries != 25 || r.Last != 25 || !bytes.Equal(r.Head, got[24].Hash) {
				t.Errorf("Check = %+v, first %v", r, r.First)
			}
		})
	}
}

// TestAppendInCallersTransaction: an entry commits or rolls back with the
// caller's transaction.
func TestAppendInCallersTransaction(t *testing.T) {
	t.Parallel()
	s, _ := tempBolt(t)
	boom := errors.New("issuance failed")
	err := s.Update(context.Background(), func(tx store.Tx) error {
		if _, err := Append(tx, sample(1)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	fill(t, s, 2)
	if r := mustCheck(t, s); !r.OK() || r.Entries != 2 {
		t.Errorf("after a rolled-back append: %+v %v", r, r.First)
	}
}

func TestAppendRefuses(t *testing.T) {
	t.Parallel()
	ok := sample(0)
	long := strings.Repeat("x", 600)
	for _, tc := range []struct {
		name string
		edit func(*Entry)
	}{
		{"no time", func(e *Entry) { e.Time = time.Time{} }},
		{"year 10000", func(e *Entry) { e.Time = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"no actor", func(e *Entry) { e.Actor = "" }},
		{"long actor", func(e *Entry) { e.Actor = long[:MaxActor+1] }},
		{"long role", func(e *Entry) { e.Role = long[:MaxRole+1] }},
		{"no action", func(e *Entry) { e.Action = "" }},
		{"action with a space", func(e *Entry) { e.Action = "log in" }},
		{"action in capitals", func(e *Entry) { e.Action = "Login" }},
		{"long target", func(e *Entry) { e.Target = long[:MaxTarget+1] }},
		{"empty detail key", func(e *Entry) { e.Details = map[string]string{"": "x"} }},
		{"long detail value", func(e *Entry) { e.Details = map[string]string{"k": long[:MaxDetailValue+1]} }},
		{"too many details", func(e *Entry) {
			e.Details = map[string]string{}
			for i := range MaxDetails + 1 {
				e.Details[string(rune('a'+i))] = "v"
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := ok
			tc.edit(&e)
			err := store.NewMemory().Update(context.Background(), func(tx store.Tx) error {
				_, err := Append(tx, e)
				return err
			})
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("Append = %v", err)
			}
		})
	}
}

// TestAppendNormalizes: local time is stored in UTC, bytes that are not
// UTF-8 become U+FFFD, and the caller's Details map is not kept.
func TestAppendNormalizes(t *testing.T) {
	t.Parallel()
	s := store.NewMemory()
	lima := time.FixedZone("PET", -5*3600)
	in := Entry{Time: time.Date(2026, 3, 2, 9, 5, 0, 0, lima), Actor: "ana\xff", Action: Login,
		Details: map[string]string{"k\xfe": "v"}}
	var got Entry
	err := s.Update(context.Background(), func(tx store.Tx) (err error) {
		got, err = Append(tx, in)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Time.Location() != time.UTC || !got.Time.Equal(in.Time) || got.Actor != "ana\uFFFD" ||
		got.Details["k\uFFFD"] != "v" {
		t.Errorf("stored %+v", got)
	}
	if r := mustCheck(t, s); !r.OK() {
		t.Error(r.First)
	}
}

func TestSubject(t *testing.T) {
	t.Parallel()
	secret := []byte("issuer secret")
	a := Subject(secret, "DNI", "12345678")
	switch {
	case len(a) != 64:
		t.Errorf("len %d", len(a))
	case a != Subject(secret, "DNI", "12345678"):
		t.Error("not deterministic")
	case a == Subject(secret, "DNI", "12345679") || a == Subject([]byte("other"), "DNI", "12345678"):
		t.Error("collides")
	case a == store.StudentKey(secret, "DNI", "12345678"):
		t.Error("equal to the student key: not domain-separated")
	case strings.Contains(a, "12345678"):
		t.Error("holds the number")
	}
}
