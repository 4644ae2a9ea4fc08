package server

import (
	"context"
	"testing"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry/synth"
)

// TestWholeUbigeo: the issuer's default catalogue is Peru's whole list
// (the form offered 15 departments, the demo's), and it holds the district
// of every person of the demo population, so the pickers can reach each.
func TestWholeUbigeo(t *testing.T) {
	cat, err := catalogue(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if deps, provs, dists := cat.Count(); deps != 25 || provs != 196 || dists != 1892 {
		t.Fatalf("%d departments, %d provinces, %d districts; want 25, 196 and 1,892 (1,893 less one without a RENIEC code)", deps, provs, dists)
	}
	g, err := synth.New(synth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range g.Cases() {
		for _, doc := range []idnum.Doc{c.Student, c.Guardian} {
			p, err := g.Person(context.Background(), doc)
			if err != nil {
				continue // no guardian, or no identity record
			}
			if _, _, _, ok := cat.Path(p.Ubigeo); !ok {
				t.Errorf("%s: %s lives in %s, not in the catalogue", c.Path, doc, p.Ubigeo)
			}
		}
	}
}
