package synth

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"testing"

	"github.com/minedu-cla/cla/issuer/idnum"
)

// million is the load-test size the issue asks for.
const million = 1_000_000

// BenchmarkGenerate generates students and writes them as a dataset file
// (hashed, not kept). Target: a million students in well under a minute on
// 2 cores. Baseline in the same run: generating the students without
// encoding them, so the JSON share is visible.
func BenchmarkGenerate(b *testing.B) {
	for _, n := range []int{10_000, million} {
		g := gen(b, 1, n)
		b.Run(fmt.Sprintf("dataset-%d", n), func(b *testing.B) {
			for b.Loop() {
				if err := WriteDataset(sha256.New(), g); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/student")
		})
		b.Run(fmt.Sprintf("structs-%d", n), func(b *testing.B) {
			for b.Loop() {
				for i := range g.Families() {
					g.Family(i)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/student")
		})
	}
}

// BenchmarkLookup looks students up in a population of a million. Target:
// well under 1 ms a lookup, so the simulator is never the bottleneck of a
// load test. Baseline: a Go map from DNI to a pre-built record (what an
// in-memory index would cost, ~60 MB more per million).
func BenchmarkLookup(b *testing.B) {
	g := gen(b, 1, million)
	var docs []idnum.Doc
	baseline := map[idnum.Doc]int{}
	for i := 0; len(docs) < 4096; i += 97 {
		_, students := g.Family(i)
		for _, s := range students {
			if !s.Doc.IsZero() {
				docs = append(docs, s.Doc)
				baseline[s.Doc] = len(docs)
			}
		}
	}
	for i := 0; len(baseline) < million; i++ { // fill the map to full size
		baseline[idnum.Doc{Kind: idnum.KindDNI, Number: fmt.Sprint(i)}] = i
	}
	ctx := context.Background()
	b.Run("baseline-map", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, ok := baseline[docs[i%len(docs)]]; !ok {
				b.Fatal("missing")
			}
			i++
		}
	})
	b.Run("person", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := g.Person(ctx, docs[i%len(docs)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("student", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := g.Student(ctx, docs[i%len(docs)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// TestMillion generates a million students end to end and looks a sample
// up. It takes ~10 s (100 s under -race), so -short and -race skip it; the
// benchmarks report the timings.
func TestMillion(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("generates 1,000,000 students: skipped with -short and -race")
	}
	t.Parallel()
	g := gen(t, 1, million)
	n := 0
	ctx := context.Background()
	for i := range g.Families() {
		_, students := g.Family(i)
		n += len(students)
		if i%1000 == 0 {
			for _, s := range students {
				if got, err := g.Student(ctx, idnum.FromStudentCode(s.Code)); err != nil || got.Code != s.Code {
					t.Fatalf("lookup in family %d: %v", i, err)
				}
			}
		}
	}
	if n != million {
		t.Fatalf("%d students; want %d", n, million)
	}
	if err := WriteDataset(io.Discard, gen(t, 1, 20_000)); err != nil {
		t.Fatal(err)
	}
}
