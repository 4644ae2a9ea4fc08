package synth

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/minedu-cla/cla/assets/demo"
	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/ubigeo"
)

func gen(t testing.TB, seed uint64, students int) *Generator {
	t.Helper()
	g, err := New(Config{Seed: seed, Students: students, Today: DefaultToday})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func datasetBytes(t testing.TB, g *Generator) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteDataset(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSameSeedSameBytes(t *testing.T) {
	t.Parallel()
	a := datasetBytes(t, gen(t, 7, 1500))
	b := datasetBytes(t, gen(t, 7, 1500))
	c := datasetBytes(t, gen(t, 8, 1500))
	if !bytes.Equal(a, b) {
		t.Fatal("same seed, different bytes")
	}
	if bytes.Equal(a, c) {
		t.Fatal("different seeds, same bytes")
	}
}

// TestFamiliesIndependentOfSize: family i is the same in a small and a
// large population (except the last family of the small one, which may be
// cut), so a load test's first families are the demo's.
func TestFamiliesIndependentOfSize(t *testing.T) {
	t.Parallel()
	small, large := gen(t, 1, 200), gen(t, 1, 5000)
	for i := 0; i < small.Families()-1; i++ {
		p1, s1 := small.Family(i)
		p2, s2 := large.Family(i)
		if !reflect.DeepEqual(p1, p2) || !reflect.DeepEqual(s1, s2) {
			t.Fatalf("family %d differs", i)
		}
	}
}

// TestLookups generates a population, then checks every person and student
// is found by each of their documents, and that nothing else is.
func TestLookups(t *testing.T) {
	t.Parallel()
	g := gen(t, 3, 3000)
	ctx := context.Background()
	docs := map[idnum.Doc]bool{}
	students := 0
	for i := range g.Families() {
		persons, studs := g.Family(i)
		for _, p := range persons {
			if err := p.Validate(); err != nil {
				t.Fatalf("family %d: %v", i, err)
			}
			checkUnique(t, docs, p.Doc)
			got, err := g.Person(ctx, p.Doc)
			if err != nil || *got != *p {
				t.Fatalf("Person(%v) = %v, %v", p.Doc.Kind, got, err)
			}
		}
		for _, s := range studs {
			students++
			if err := s.Validate(); err != nil {
				t.Fatalf("family %d: %v", i, err)
			}
			if len(s.Years) == 0 {
				t.Fatalf("family %d: a student with no years", i)
			}
			code := idnum.FromStudentCode(s.Code)
			checkUnique(t, docs, code)
			for _, d := range []idnum.Doc{code, s.Doc} {
				if d.IsZero() {
					continue
				}
				got, err := g.Student(ctx, d)
				if err != nil || !reflect.DeepEqual(got, s) {
					t.Fatalf("Student(%v): %v", d.Kind, err)
				}
			}
			if _, err := g.Person(ctx, code); !errors.Is(err, registry.ErrUnsupported) {
				t.Fatalf("Person(código) = %v", err)
			}
		}
	}
	if students != 3000 {
		t.Fatalf("%d students; want 3000", students)
	}
	for _, tt := range []struct {
		kind idnum.Kind
		num  string
	}{{idnum.KindDNI, "00000000"}, {idnum.KindCE, "ABC123456"}, {idnum.KindCE, "123456789012"}, {idnum.KindStudentCode, "99999999999999"}} {
		d := idnum.Doc{Kind: tt.kind, Number: tt.num}
		if docs[d] {
			continue
		}
		if _, err := g.Student(ctx, d); !errors.Is(err, registry.ErrNotFound) {
			t.Errorf("Student(%s) = %v", d, err)
		}
	}
}

func checkUnique(t *testing.T, seen map[idnum.Doc]bool, d idnum.Doc) {
	t.Helper()
	if seen[d] {
		t.Fatalf("document %v issued twice", d.Kind)
	}
	seen[d] = true
}

// TestParentsNotInSIAGIE: adults are RENIEC-only, so SIAGIE says not found.
func TestParentsNotInSIAGIE(t *testing.T) {
	t.Parallel()
	g := gen(t, 1, 50)
	persons, _ := g.Family(0)
	if _, err := g.Student(context.Background(), persons[0].Doc); !errors.Is(err, registry.ErrNotFound) {
		t.Fatalf("Student(parent) = %v", err)
	}
}

func TestCancelledContext(t *testing.T) {
	t.Parallel()
	g := gen(t, 1, 50)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	persons, _ := g.Family(0)
	if _, err := g.Person(ctx, persons[0].Doc); !errors.Is(err, context.Canceled) {
		t.Fatalf("Person = %v", err)
	}
}

func TestConfigRejected(t *testing.T) {
	t.Parallel()
	for _, c := range []Config{{Students: 0, Today: DefaultToday}, {Students: MaxStudents + 1, Today: DefaultToday}, {Students: 10}} {
		if _, err := New(c); !errors.Is(err, ErrConfig) {
			t.Errorf("New(%+v) = %v", c, err)
		}
	}
}

// TestEmbeddedDemoUpToDate fails when assets/demo no longer matches the
// generator. Fix: go generate ./assets/demo
func TestEmbeddedDemoUpToDate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := Export(dir, DefaultConfig()); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(dir, DatasetFile))
	if err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256(want) != sha256.Sum256(demo.Dataset) {
		t.Fatal("assets/demo/registry.jsonl drifted from the generator: run go generate ./assets/demo")
	}
	for _, name := range []string{ubigeo.DepartmentsFile, ubigeo.ProvincesFile, ubigeo.DistrictsFile} {
		want, _ := os.ReadFile(filepath.Join(dir, UbigeoDir, name))
		got, err := os.ReadFile(filepath.Join("..", "..", "..", "assets", "demo", "ubigeo", name))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("assets/demo/ubigeo/%s drifted: run go generate ./assets/demo", name)
		}
	}
	if len(demo.Dataset) > 512<<10 {
		t.Errorf("demo dataset is %d bytes; keep it well under 1 MB", len(demo.Dataset))
	}
}

// TestPlacesAreReal checks the demo catalogue against the official list
// beside the repository: every code, INEI code and name must be right.
func TestPlacesAreReal(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "..", "..", "shared", "data", "ubigeo")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("reference ubigeo list not found")
	}
	official, err := ubigeo.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := ubigeo.LoadFS(demo.Ubigeo())
	if err != nil {
		t.Fatal(err)
	}
	for _, pl := range places {
		d1, p1, x1, ok1 := official.Path(pl.reniec)
		d2, p2, x2, ok2 := mine.Path(pl.reniec)
		if !ok1 || !ok2 || d1 != d2 || p1 != p2 || x1 != x2 {
			t.Errorf("%s: official %v %v %v; demo %v %v %v", pl.reniec, d1, p1, x1, d2, p2, x2)
		}
	}
}
