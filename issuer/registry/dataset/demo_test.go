package dataset_test

import (
	"testing"

	"github.com/minedu-cla/cla/assets/demo"
	"github.com/minedu-cla/cla/issuer/registry/dataset"
	"github.com/minedu-cla/cla/issuer/registry/synth"
	"github.com/minedu-cla/cla/issuer/ubigeo"
)

// TestLoads: the embedded data loads and agrees with itself: every person
// and school is in a district of the embedded catalogue. (Drift from the generator
// is checked in issuer/registry/synth.)
func TestLoads(t *testing.T) {
	t.Parallel()
	reg, err := dataset.Demo()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := ubigeo.LoadFS(demo.Ubigeo())
	if err != nil {
		t.Fatal(err)
	}
	persons, students := reg.Len()
	if persons < students || students != reg.Header().Students || len(cat.Skipped()) != 0 {
		t.Fatalf("%d persons, %d students, %d skipped places", persons, students, len(cat.Skipped()))
	}
	if len(demo.Dataset) > 1<<20 {
		t.Fatalf("demo dataset is %d bytes", len(demo.Dataset))
	}
	g, err := synth.New(synth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for i := range g.Families() {
		ps, ss := g.Family(i)
		for _, p := range ps {
			if !cat.IsDistrict(p.Ubigeo) {
				t.Fatalf("family %d lives outside the catalogue", i)
			}
		}
		for _, s := range ss {
			for _, y := range s.Years {
				if !cat.IsDistrict(y.School.Ubigeo) {
					t.Fatalf("family %d has a school outside the catalogue", i)
				}
			}
		}
	}
}
