package synth

import (
	"testing"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/school"
)

// TestVariety checks the random part of a population shows every feature
// the issuer must cope with, not only the showcase.
func TestVariety(t *testing.T) {
	t.Parallel()
	g := gen(t, 11, 4000)
	seen := map[string]int{}
	for i := len(showcase); i < g.Families(); i++ {
		persons, students := g.Family(i)
		for _, p := range persons {
			if p.Deceased() {
				seen["deceased"]++
			}
			if p.Father.IsZero() {
				seen["no father"]++
			}
		}
		for _, s := range students {
			countStudent(seen, s)
		}
	}
	for _, f := range []string{"deceased", "no father", "CE student", "no document", "tutor not parent",
		"repeat", "recovery", "gap", "EXO", "no mark", "review", "rectification", "transfer", "CNEB", "DCN", "vigesimal"} {
		if seen[f] == 0 {
			t.Errorf("no %s in 4,000 students", f)
		}
	}
	t.Logf("%v", seen)
}

func countStudent(seen map[string]int, s *registry.Student) {
	switch {
	case s.Doc.Kind == idnum.KindCE:
		seen["CE student"]++
	case s.Doc.IsZero():
		seen["no document"]++
	}
	for _, tu := range s.Tutors {
		if tu.Relation != registry.RelMother && tu.Relation != registry.RelFather {
			seen["tutor not parent"]++
		}
	}
	for i, y := range s.Years {
		seen[map[school.Situation]string{school.Repeat: "repeat", school.Recovery: "recovery", school.Promoted: "promoted"}[y.Final]]++
		seen[map[school.Acta]string{school.ActaUnderReview: "review", school.ActaRectification: "rectification", school.ActaClosed: "closed"}[y.Acta]]++
		seen[y.Curriculum().String()]++
		if y.Scale() == school.ScaleVigesimal {
			seen["vigesimal"]++
		}
		for _, c := range y.Marks {
			switch c.Mark {
			case school.Exonerated:
				seen["EXO"]++
			case school.NoMark:
				seen["no mark"]++
			}
		}
		if i > 0 && y.Year > s.Years[i-1].Year+1 {
			seen["gap"]++
		}
		if i > 0 && y.School.Code != s.Years[i-1].School.Code {
			seen["transfer"]++
		}
	}
}
