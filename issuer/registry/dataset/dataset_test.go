package dataset_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/minedu-cla/cla/assets/demo"
	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/dataset"
	"github.com/minedu-cla/cla/issuer/registry/synth"
)

// TestMatchesGenerator: the loaded demo answers exactly as the generator
// it came from, for every document in it.
func TestMatchesGenerator(t *testing.T) {
	t.Parallel()
	reg, err := dataset.Demo()
	if err != nil {
		t.Fatal(err)
	}
	g, err := synth.New(synth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	nPersons, nStudents := 0, 0
	for i := range g.Families() {
		persons, students := g.Family(i)
		for _, p := range persons {
			nPersons++
			got, err := reg.Person(ctx, p.Doc)
			if err != nil || *got != *p {
				t.Fatalf("Person: %v", err)
			}
			if _, err := reg.Student(ctx, p.Doc); err == nil && p.AgeOn(synth.DefaultToday) > 40 {
				t.Fatal("a parent found in SIAGIE")
			}
		}
		for _, s := range students {
			nStudents++
			for _, d := range []idnum.Doc{idnum.FromStudentCode(s.Code), s.Doc} {
				if d.IsZero() {
					continue
				}
				got, err := reg.Student(ctx, d)
				if err != nil || !reflect.DeepEqual(got, s) {
					t.Fatalf("Student: %v", err)
				}
			}
		}
	}
	if p, s := reg.Len(); p != nPersons || s != nStudents || s != synth.DefaultStudents {
		t.Fatalf("Len() = %d, %d; want %d, %d", p, s, nPersons, nStudents)
	}
}

func TestHandsOutCopies(t *testing.T) {
	t.Parallel()
	reg, _ := dataset.Demo()
	g, _ := synth.New(synth.DefaultConfig())
	_, students := g.Family(0)
	ctx := context.Background()
	a, _ := reg.Student(ctx, students[0].Doc)
	a.Years[0].Marks[0].Mark = "changed"
	a.Names = "changed"
	b, _ := reg.Student(ctx, students[0].Doc)
	if b.Years[0].Marks[0].Mark == "changed" || b.Names == "changed" {
		t.Fatal("a caller changed the store")
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	reg, _ := dataset.Demo()
	ctx := context.Background()
	if _, err := reg.Person(ctx, idnum.FromDNI("00000001")); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("unknown DNI: %v", err)
	}
	if _, err := reg.Person(ctx, idnum.FromStudentCode("00000000000001")); !errors.Is(err, registry.ErrUnsupported) {
		t.Errorf("código to identity: %v", err)
	}
	if _, err := reg.Student(ctx, idnum.Doc{}); !errors.Is(err, registry.ErrNotFound) {
		t.Errorf("zero doc: %v", err)
	}
}

func TestReadRejects(t *testing.T) {
	t.Parallel()
	lines := strings.Split(strings.TrimSpace(string(demo.Dataset)), "\n")
	header, person, student := lines[0], lines[1], ""
	for _, l := range lines {
		if strings.HasPrefix(l, `{"student"`) {
			student = l
			break
		}
	}
	oneStudent := strings.Replace(header, `"students":120`, `"students":1`, 1)
	tests := []struct {
		name, file, want string
	}{
		{"empty", "", "empty"},
		{"wrong format", `{"format":"other/1","students":0,"today":"2026-03-01"}`, "format"},
		{"unknown header field", `{"format":"cla-registry-dataset/1","students":0,"today":"2026-03-01","x":1}`, "line 1"},
		{"count mismatch", header + "\n" + person, "header says 120"},
		{"duplicate person", oneStudent + "\n" + person + "\n" + person + "\n" + student, "line 3: person repeated"},
		{"duplicate key", oneStudent + "\n" + strings.Replace(person, `"names"`, `"surname2":"X","names"`, 1), "duplicate key"},
		{"both kinds", oneStudent + "\n" + `{"person":null,"student":null}`, "one person or one student"},
		{"invalid person", oneStudent + "\n" + strings.Replace(person, `"sex":"`, `"sex":"X`, 1), "line 2"},
		{"blank line", oneStudent + "\n\n" + student, "line 2: empty line"},
		{"long line", oneStudent + "\n" + strings.Repeat(" ", dataset.MaxLineBytes+1), "line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dataset.Read(strings.NewReader(tt.file))
			if !errors.Is(err, dataset.ErrMalformed) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Read() = %v; want %q", err, tt.want)
			}
		})
	}
}

func TestErrorsDoNotQuoteData(t *testing.T) {
	t.Parallel()
	lines := strings.Split(string(demo.Dataset), "\n")
	bad := strings.Replace(lines[1], `"ubigeo":"`, `"ubigeo":"9`, 1)
	_, err := dataset.Read(strings.NewReader(lines[0] + "\n" + bad))
	if err == nil || strings.Contains(err.Error(), "PAREDES") || strings.Contains(err.Error(), "88545867") {
		t.Fatalf("error %v", err)
	}
}

func TestWriterRoundTrip(t *testing.T) {
	t.Parallel()
	g, _ := synth.New(synth.Config{Seed: 5, Students: 30, Today: synth.DefaultToday})
	var b bytes.Buffer
	if err := synth.WriteDataset(&b, g); err != nil {
		t.Fatal(err)
	}
	reg, err := dataset.Read(&b)
	if err != nil {
		t.Fatal(err)
	}
	if h := reg.Header(); h.Seed != 5 || h.Students != 30 || h.Today != synth.DefaultToday {
		t.Fatalf("Header() = %+v", h)
	}
	w, _ := dataset.NewWriter(&b, dataset.Header{})
	if err := w.Person(&registry.Person{}); err == nil {
		t.Fatal("Writer accepted an invalid person")
	}
}

func FuzzRead(f *testing.F) {
	lines := strings.Split(string(demo.Dataset), "\n")
	one := strings.Replace(lines[0], `"students":120`, `"students":1`, 1)
	for _, l := range lines[1:8] {
		f.Add([]byte(one + "\n" + l + "\n"))
	}
	f.Add([]byte(`{"format":"cla-registry-dataset/1","students":0,"today":"2026-03-01"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		reg, err := dataset.Read(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, dataset.ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", err)
			}
			return
		}
		// Whatever loads writes back out and loads the same.
		_, n := reg.Len()
		if n != reg.Header().Students {
			t.Fatalf("%d students, header %d", n, reg.Header().Students)
		}
	})
}
