package audit

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/minedu-cla/cla/issuer/store"
)

var t0 = time.Date(2026, 3, 2, 14, 5, 0, 0, time.UTC)

// sample returns the i-th of a varied run of entries.
func sample(i int) Entry {
	switch i % 4 {
	case 0:
		return Entry{Time: t0.Add(time.Duration(i) * time.Second), Actor: "ana.quispe", Role: "admin", Action: Login,
			Details: map[string]string{"ip": "10.0.0.7"}}
	case 1:
		return Entry{Time: t0.Add(time.Duration(i) * time.Second), Actor: System, Action: Issue,
			Target: fmt.Sprintf("7K3M-9QXT-%04d", i), Details: map[string]string{"id": fmt.Sprint(i), "kid": "a1b2c3d4"}}
	case 2:
		return Entry{Time: t0.Add(time.Duration(i)*time.Second + 123456789), Actor: Public, Action: VerifyCode,
			Target: "7K3M-9QXT-2HBN-M", Details: map[string]string{"result": "valid"}}
	}
	return Entry{Time: t0.Add(time.Duration(i) * time.Second), Actor: "luis", Role: "registrar", Action: Revoke,
		Target: "7K3M-9QXT-2HBN-M", Details: map[string]string{"reason": "rectificación «año 2019»"}}
}

// fill appends n sample entries, one transaction each.
func fill(t testing.TB, s store.Store, n int) []Entry {
	t.Helper()
	out := make([]Entry, 0, n)
	for i := range n {
		err := s.Update(context.Background(), func(tx store.Tx) error {
			e, err := Append(tx, sample(i))
			out = append(out, e)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func openBolt(t testing.TB, path string) *store.Bolt {
	t.Helper()
	s, err := store.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func tempBolt(t testing.TB) (*store.Bolt, string) {
	path := filepath.Join(t.TempDir(), "issuer.db")
	s := openBolt(t, path)
	t.Cleanup(func() { s.Close() })
	return s, path
}

func mustCheck(t testing.TB, s store.Store) Report {
	t.Helper()
	r, err := Check(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
