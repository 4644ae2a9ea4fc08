package stats

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/store"
	"github.com/minedu-cla/cla/issuer/ubigeo"

	"github.com/minedu-cla/cla/issuer/lima"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// places is a catalogue of three departments (RENIEC codes 01, 14, 15).
func places(t testing.TB, names ...string) *ubigeo.Catalogue {
	t.Helper()
	if names == nil {
		names = []string{"AMAZONAS", "LIMA", "LORETO"}
	}
	codes := []string{"010000", "140000", "150000"}
	var deps, provs, dists bytes.Buffer
	dw, pw, xw := csv.NewWriter(&deps), csv.NewWriter(&provs), csv.NewWriter(&dists)
	dw.Write([]string{"inei", "reniec", "departamento"})
	pw.Write([]string{"inei", "reniec", "departamento", "provincia"})
	xw.Write([]string{"inei", "reniec", "departamento", "provincia", "distrito"})
	for i, n := range names {
		c := codes[i]
		dw.Write([]string{c, c, n})
		pw.Write([]string{c[:2] + "0100", c[:2] + "0100", n, "P"})
		xw.Write([]string{c[:2] + "0101", c[:2] + "0101", n, "P", "D"})
	}
	dw.Flush()
	pw.Flush()
	xw.Flush()
	cat, err := ubigeo.Read(&deps, &provs, &dists)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// issued describes n constancias with the same facts.
type issued struct {
	n          int
	department string
	year       int
	level      uint8
	requester  constancia.Requester
	opposed    bool
}

func putConstancias(t testing.TB, s store.Store, groups ...issued) {
	t.Helper()
	err := s.Update(context.Background(), func(tx store.Tx) error {
		i := 0
		for _, g := range groups {
			for range g.n {
				i++
				c := &constancia.Issued{Code: fmt.Sprintf("C%07d", i), StatusIndex: uint64(i),
					IssuedAt:   time.Date(g.year, 6, 1, 12, 0, 0, 0, lima.Zone),
					Department: g.department, Level: g.level, Requester: g.requester, Opposed: g.opposed}
				if err := tx.PutConstancia(c); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// verified appends n verify_code entries on day (in Peru), and one other
// entry that must not count.
func verified(t testing.TB, s store.Store, day string, n int) {
	t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, day, lima.Zone)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(context.Background(), func(tx store.Tx) error {
		for i := range n {
			e := audit.Entry{Time: d.Add(time.Duration(i) * time.Minute), Actor: audit.Public, Action: audit.VerifyCode, Target: "X"}
			if _, err := audit.Append(tx, e); err != nil {
				return err
			}
		}
		_, err := audit.Append(tx, audit.Entry{Time: d, Actor: "ana", Role: "admin", Action: audit.Login})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func compute(t testing.TB, s store.Store, o Options) *Report {
	t.Helper()
	r, err := Compute(context.Background(), s, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func tempBolt(t testing.TB) *store.Bolt {
	t.Helper()
	s, err := store.OpenBolt(filepath.Join(t.TempDir(), "issuer.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
