package synth

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/school"
)

// TestCases checks every showcase identity is what docs/DEMO.md says, by
// the rules the issuer will apply.
func TestCases(t *testing.T) {
	t.Parallel()
	g := gen(t, DefaultSeed, DefaultStudents)
	ctx := context.Background()
	today := DefaultToday
	for _, c := range g.Cases() {
		t.Run(c.Path, func(t *testing.T) {
			rec, recErr := g.Student(ctx, c.Student)
			p, pErr := g.Person(ctx, c.Student)
			var guard *registry.Person
			if !c.Guardian.IsZero() {
				var err error
				if guard, err = g.Person(ctx, c.Guardian); err != nil {
					t.Fatalf("guardian: %v", err)
				}
			}
			got := outcome(t, c, p, pErr, rec, recErr, guard, today)
			if got != c.Want {
				t.Fatalf("outcome %q; want %q", got, c.Want)
			}
		})
	}
}

// outcome applies the issuer's rules, in its order, to what the registries
// answered.
func outcome(t *testing.T, c Case, p *registry.Person, pErr error, rec *registry.Student, recErr error, guard *registry.Person, today registry.Date) string {
	switch {
	case c.Student.Kind == idnum.KindStudentCode:
		if !errors.Is(pErr, registry.ErrUnsupported) || recErr != nil || !rec.Doc.IsZero() {
			t.Fatalf("a student with no document: %v %v", pErr, recErr)
		}
		return WantNoDocument
	case pErr != nil:
		t.Fatalf("student identity: %v", pErr)
	case p.Deceased():
		return WantDeceased
	case guard == nil && !p.IsAdult(today):
		return WantMinor
	case guard != nil && guard.Deceased():
		return WantDeceased
	case guard != nil && !guard.IsAdult(today):
		return WantMinorGuard
	case guard != nil && registry.GuardianOf(p, rec, guard.Doc) == registry.NotGuardian:
		return WantNotGuardian
	case c.Want == WantMismatch:
		wrong := registry.Claim{FatherNames: p.Father.Names, MotherNames: p.Mother.Names, Ubigeo: "140101"}
		if p.Ubigeo == wrong.Ubigeo || p.Matches(wrong) {
			t.Fatal("the wrong ubigeo matches")
		}
		return WantMismatch
	case errors.Is(recErr, registry.ErrNotFound):
		return WantNoRecords
	case recErr != nil:
		t.Fatalf("records: %v", recErr)
	}
	if _, blocked := rec.Blocking(); blocked {
		return WantBlocked
	}
	checkShowcaseRecord(t, c, p, rec, guard)
	if p.Doc.Kind == idnum.KindCE || (guard != nil && guard.Doc.Kind == idnum.KindCE) {
		return WantForeignIssue
	}
	return WantIssue
}

// checkShowcaseRecord checks the record shows what the case's path says.
func checkShowcaseRecord(t *testing.T, c Case, p *registry.Person, rec *registry.Student, guard *registry.Person) {
	var repeat, recovery, exo, gap bool
	transfers, inicialOnly := 0, true
	for i, y := range rec.Years {
		repeat = repeat || y.Final == school.Repeat
		recovery = recovery || y.Final == school.Recovery
		if m, _ := y.Marks.Get(school.EdReligiosa); m == school.Exonerated {
			exo = true
		}
		if i > 0 {
			gap = gap || y.Year > rec.Years[i-1].Year+1
			if y.School.Code != rec.Years[i-1].School.Code && y.Grade.Level == rec.Years[i-1].Grade.Level {
				transfers++
			}
		}
		inicialOnly = inicialOnly && y.Grade.Level == school.Inicial
	}
	ok := true
	switch {
	case strings.HasPrefix(c.Path, "repeater"):
		ok = repeat && recovery
	case strings.HasPrefix(c.Path, "three school"):
		ok = transfers >= 3
	case strings.HasPrefix(c.Path, "a year missing"):
		ok = gap
	case strings.HasPrefix(c.Path, "EXO"):
		ok = exo
	case strings.HasPrefix(c.Path, "Inicial"):
		ok = inicialOnly
	case strings.HasPrefix(c.Path, "grandmother"):
		ok = registry.GuardianOf(p, rec, guard.Doc) == registry.TutorPerRecords
	case strings.HasPrefix(c.Path, "names with"):
		full := p.FullName()
		ok = strings.ContainsAny(full, "ÑÁÉÍÓÚ") && utf8.RuneCountInString(full) != len(full) &&
			registry.GuardianOf(p, rec, guard.Doc) == registry.TutorPerRecords
	}
	if !ok {
		t.Fatalf("the record does not show %q", c.Path)
	}
}

// TestDemoDoc fails when docs/DEMO.md's table no longer matches the
// generator. Fix: paste the output of `go run ./tools/cla-registry-sim
// -demo-table` between the markers.
func TestDemoDoc(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "docs", "DEMO.md"))
	if err != nil {
		t.Fatal(err)
	}
	g := gen(t, DefaultSeed, DefaultStudents)
	if !strings.Contains(string(b), g.DemoTable()) {
		t.Fatal("docs/DEMO.md is out of date: run go run ./tools/cla-registry-sim -demo-table")
	}
}
