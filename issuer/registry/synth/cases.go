package synth

import (
	"context"
	"fmt"
	"strings"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
)

// Case is an identity to try against the showcase families and what the
// issuer should answer.
type Case struct {
	Path     string    // what it exercises
	Student  idnum.Doc // the student's DNI, CE or código
	Guardian idnum.Doc // zero when the student asks for themself
	Want     string    // the expected outcome
}

// Outcomes a Case expects.
const (
	WantIssue        = "issue"
	WantMinor        = "reject: a minor cannot ask alone"
	WantNotGuardian  = "reject: not a parent (RENIEC) nor a tutor (SIAGIE)"
	WantMinorGuard   = "reject: the guardian is a minor"
	WantDeceased     = "reject: deceased per RENIEC"
	WantNoDocument   = "explain: no DNI or CE, ask the school or UGEL"
	WantBlocked      = "wait: an acta is under review"
	WantNoRecords    = "reject: not in SIAGIE (studied before 2013)"
	WantMismatch     = "reject: data do not match (type a wrong ubigeo)"
	WantForeignIssue = "issue (CE through Migraciones)"
)

// Cases lists the showcase identities; they exist when the population has
// at least len(showcase) families (any Students ≥ 20).
func (g *Generator) Cases() []Case {
	if g.families < len(showcase) {
		return nil
	}
	f := func(i int) *household { return g.household(i) }
	child := func(h *household, c int) idnum.Doc {
		m := &h.members[roleChild0+c]
		if m.person.Doc.IsZero() {
			return idnum.FromStudentCode(m.code)
		}
		return m.person.Doc
	}
	doc := func(h *household, role int) idnum.Doc { return h.members[role].person.Doc }
	f0, f1, f2, f13 := f(0), f(1), f(2), f(13)
	return []Case{
		{"adult student with DNI", child(f0, 0), idnum.Doc{}, WantIssue},
		{"minor, mother as guardian", child(f0, 1), doc(f0, roleMother), WantIssue},
		{"minor, father as guardian", child(f0, 1), doc(f0, roleFather), WantIssue},
		{"minor asking alone", child(f0, 1), idnum.Doc{}, WantMinor},
		{"wrong parent: another family's adult", child(f0, 1), doc(f1, roleTutor), WantNotGuardian},
		{"adult sibling is not a guardian", child(f0, 1), child(f0, 0), WantNotGuardian},
		{"wrong ubigeo", child(f0, 0), idnum.Doc{}, WantMismatch},
		{"adult with no records from 2013", doc(f0, roleFather), idnum.Doc{}, WantNoRecords},
		{"grandmother registered as tutor in SIAGIE", child(f1, 0), doc(f1, roleTutor), WantIssue},
		{"deceased mother as guardian", child(f1, 0), doc(f1, roleMother), WantDeceased},
		{"minor with CE, mother with CE", child(f2, 0), doc(f2, roleMother), WantForeignIssue},
		{"minor with DNI, father with CE", child(f2, 1), doc(f2, roleFather), WantForeignIssue},
		{"adult student with CE", child(f(3), 0), idnum.Doc{}, WantForeignIssue},
		{"student with no document (código only)", child(f(4), 0), idnum.Doc{}, WantNoDocument},
		{"deceased student", child(f(5), 0), idnum.Doc{}, WantDeceased},
		{"acta under review", child(f(6), 0), doc(f(6), roleMother), WantBlocked},
		{"repeater and recovery", child(f(7), 0), idnum.Doc{}, WantIssue},
		{"three school transfers", child(f(8), 0), idnum.Doc{}, WantIssue},
		{"a year missing", child(f(9), 0), doc(f(9), roleMother), WantIssue},
		{"EXO in Educación Religiosa", child(f(10), 0), idnum.Doc{}, WantIssue},
		{"names with Ñ and accents, uncle as tutor", child(f(11), 0), doc(f(11), roleTutor), WantIssue},
		{"Inicial only", child(f(12), 0), doc(f(12), roleMother), WantIssue},
		{"minor sibling as guardian", child(f13, 1), child(f13, 0), WantMinorGuard},
	}
}

// DemoTable renders the cases as the Markdown table docs/DEMO.md holds,
// with what to type: parents' given names and the ubigeo of each DNI or CE.
func (g *Generator) DemoTable() string {
	var b strings.Builder
	b.WriteString("| # | path | student | their parents · ubigeo | guardian | their parents · ubigeo | expected |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	for i, c := range g.Cases() {
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s | %s |\n", i+1, c.Path,
			g.who(c.Student), g.typed(c.Student), g.who(c.Guardian), g.typed(c.Guardian), c.Want)
	}
	return b.String()
}

func (g *Generator) who(d idnum.Doc) string {
	if d.IsZero() {
		return "—"
	}
	ctx := context.Background()
	if p, err := g.Person(ctx, d); err == nil {
		return fmt.Sprintf("%s `%s` %s", d.Kind, d.Number, p.FullName())
	}
	if s, err := g.Student(ctx, d); err == nil {
		return fmt.Sprintf("%s `%s` %s", d.Kind, d.Number, s.FullName())
	}
	return fmt.Sprintf("%s `%s`", d.Kind, d.Number)
}

func (g *Generator) typed(d idnum.Doc) string {
	p, err := g.Person(context.Background(), d)
	if err != nil {
		return "—"
	}
	parent := func(x registry.Parent) string {
		if x.IsZero() {
			return "(none)"
		}
		return x.Names
	}
	dist := "?"
	for _, pl := range places {
		if pl.reniec == p.Ubigeo {
			dist = pl.dist
		}
	}
	return fmt.Sprintf("%s / %s · `%s` %s", parent(p.Father), parent(p.Mother), p.Ubigeo, dist)
}
