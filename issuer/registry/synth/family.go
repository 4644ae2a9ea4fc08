package synth

import (
	"fmt"
	"strings"
	"time"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
)

// household is one generated family: the plan and its members by role.
type household struct {
	index   int
	plan    plan
	place   int
	members [slotsPerFamily]member
}

// member is one person of a family. A child with no document has a zero
// person.Doc: SIAGIE knows them, RENIEC does not.
type member struct {
	present bool
	person  registry.Person
	code    idnum.StudentCode // children only
	tutors  []registry.Tutor  // children only: apoderados registered in SIAGIE
}

// household generates family i.
func (g *Generator) household(i int) *household {
	r := newRNG(g.cfg.Seed, uint64(i), streamFamily)
	var p plan
	if i < len(showcase) {
		p = showcase[i](g.lastYear)
	} else {
		p = drawPlan(r, kidsFor(g.cfg.Seed, i), g.lastYear)
	}
	if i == g.families-1 {
		p.children = p.children[:g.lastKids]
	}
	h := &household{index: i, plan: p, place: pickPlace(r)}
	g.addParents(h, r)
	g.addTutor(h, r)
	for c := range p.children {
		g.addChild(h, r, c)
	}
	return h
}

func (g *Generator) addParents(h *household, r *rng) {
	eldest := h.plan.children[0].born
	mother := g.adult(h, r, roleMother, false, eldest-r.between(19, 38))
	mother.DeathDate = g.deathIn(r, h.plan.motherDied)
	h.members[roleMother] = member{present: true, person: mother}
	if h.plan.noFather {
		return
	}
	father := g.adult(h, r, roleFather, true, mother.BirthDate.Year+r.between(-3, 8))
	father.DeathDate = g.deathIn(r, h.plan.fatherDied)
	h.members[roleFather] = member{present: true, person: father}
}

// adult draws a parent or tutor born in year born, with their own parents'
// given names as RENIEC records them (no documents: records that old rarely
// have them).
func (g *Generator) adult(h *household, r *rng, role int, male bool, born int) registry.Person {
	p := registry.Person{
		Doc:       g.doc(h, role, idnum.KindDNI),
		Names:     g.givenNames(h, r, male),
		Surname1:  g.surname(h, r),
		Surname2:  g.surname(h, r),
		BirthDate: drawDate(r, born),
		Sex:       sexOf(male),
		Father:    registry.Parent{Names: g.givenName(h, r, true)},
		Mother:    registry.Parent{Names: g.givenName(h, r, false)},
		Ubigeo:    places[h.place].reniec,
	}
	if h.plan.foreign {
		p.Doc = g.doc(h, role, idnum.KindCE)
	}
	return p
}

// addTutor adds the plan's tutor, tied to the parents the way the relation
// says: a grandmother is the mother's mother in RENIEC, an aunt shares the
// mother's surnames and parents, an uncle the father's (or the mother's).
func (g *Generator) addTutor(h *household, r *rng) {
	rel := h.plan.tutor
	if rel == "" {
		return
	}
	mother := &h.members[roleMother].person
	kin := mother
	if rel == registry.RelUncle && h.members[roleFather].present {
		kin = &h.members[roleFather].person
	}
	male := rel == registry.RelGrandfather || rel == registry.RelUncle
	t := g.adult(h, r, roleTutor, male, kin.BirthDate.Year+r.between(-6, 6))
	t.Doc = g.doc(h, roleTutor, idnum.KindDNI) // tutors are Peruvian even for foreign families
	switch rel {
	case registry.RelGrandmother, registry.RelGrandfather:
		t.BirthDate = drawDate(r, mother.BirthDate.Year-r.between(20, 32))
		t.Surname1 = mother.Surname1
		if !male {
			t.Surname1 = mother.Surname2
		}
		g.linkParent(mother, t, male)
	case registry.RelAunt, registry.RelUncle:
		t.Surname1, t.Surname2, t.Father, t.Mother = kin.Surname1, kin.Surname2, kin.Father, kin.Mother
	}
	h.members[roleTutor] = member{present: true, person: t}
}

func (g *Generator) linkParent(child *registry.Person, parent registry.Person, male bool) {
	link := registry.Parent{Names: parent.Names, Doc: parent.Doc}
	if male {
		child.Father = link
	} else {
		child.Mother = link
	}
}

func (g *Generator) addChild(h *household, r *rng, c int) {
	cp := h.plan.children[c]
	role := roleChild0 + c
	male := r.intn(2) == 0
	mother, father := &h.members[roleMother], &h.members[roleFather]
	p := registry.Person{
		Doc:       g.doc(h, role, cp.doc),
		Names:     g.givenNames(h, r, male),
		Surname1:  mother.person.Surname1,
		Surname2:  mother.person.Surname2,
		BirthDate: drawDate(r, cp.born),
		Sex:       sexOf(male),
		Mother:    registry.Parent{Names: mother.person.Names, Doc: mother.person.Doc},
		Ubigeo:    places[h.place].reniec,
		DeathDate: g.deathIn(r, cp.died),
	}
	if father.present {
		p.Surname1, p.Surname2 = father.person.Surname1, mother.person.Surname1
		p.Father = registry.Parent{Names: father.person.Names, Doc: father.person.Doc}
	}
	p.BirthDate = g.schoolable(p.BirthDate)
	h.members[role] = member{present: true, person: p, code: g.studentCode(h, role), tutors: g.tutorsOf(h, r)}
}

// schoolable moves a birth date early enough in the year for the child to
// be in Inicial 3 años by the last closed year (the cut-off is 31 March).
func (g *Generator) schoolable(d registry.Date) registry.Date {
	if d.Year >= g.lastYear-3 {
		d.Year = g.lastYear - 3
		if d.Month > time.March {
			d.Month, d.Day = (d.Month-1)%3+1, min(d.Day, 28)
		}
	}
	return d
}

// tutorsOf draws the apoderados SIAGIE registers for a child: often the
// mother, sometimes the father, always the family's tutor, never someone
// already dead.
func (g *Generator) tutorsOf(h *household, r *rng) []registry.Tutor {
	var out []registry.Tutor
	add := func(role int, rel registry.Relation) {
		m := &h.members[role]
		if m.present && !m.person.Deceased() {
			p := &m.person
			out = append(out, registry.Tutor{Doc: p.Doc, Names: p.Names, Surname1: p.Surname1, Surname2: p.Surname2, Relation: rel})
		}
	}
	mom, dad := r.chance(750), r.chance(400)
	if mom || (!dad && h.plan.tutor == "") {
		add(roleMother, registry.RelMother)
	}
	if dad {
		add(roleFather, registry.RelFather)
	}
	if h.plan.tutor != "" {
		add(roleTutor, h.plan.tutor)
	}
	return out
}

func (g *Generator) deathIn(r *rng, year int) registry.Date {
	if year == 0 {
		return registry.Date{}
	}
	d := drawDate(r, year)
	if d.Compare(g.cfg.Today) >= 0 {
		d = registry.Date{Year: g.cfg.Today.Year - 1, Month: d.Month, Day: d.Day}
	}
	return d
}

func (g *Generator) givenNames(h *household, r *rng, male bool) string {
	a := g.givenName(h, r, male)
	if r.chance(550) {
		if b := g.givenName(h, r, male); b != a && !strings.Contains(a, " ") {
			return a + " " + b
		}
	}
	return a
}

func (g *Generator) givenName(h *household, r *rng, male bool) string {
	switch {
	case h.plan.foreign && male:
		return pick(r, foreignMaleNames)
	case h.plan.foreign:
		return pick(r, foreignFemaleNames)
	case male:
		return pick(r, maleNames)
	}
	return pick(r, femaleNames)
}

func (g *Generator) surname(h *household, r *rng) string {
	switch {
	case h.plan.accents:
		return pick(r, surnames[30:40]) // the ones with Ñ and accents
	case h.plan.foreign:
		return pick(r, foreignSurnames)
	}
	return pick(r, surnames)
}

// doc returns the document a member holds; KindNone gives the zero Doc.
func (g *Generator) doc(h *household, role int, kind idnum.Kind) idnum.Doc {
	slot := uint64(h.index*slotsPerFamily + role)
	switch kind {
	case idnum.KindDNI:
		return idnum.Doc{Kind: kind, Number: fmt.Sprintf("%08d", g.dni.forward(slot))}
	case idnum.KindCE:
		return idnum.Doc{Kind: kind, Number: fmt.Sprintf("%09d", g.ce.forward(slot))}
	}
	return idnum.Doc{}
}

func (g *Generator) studentCode(h *household, role int) idnum.StudentCode {
	return idnum.StudentCode(fmt.Sprintf("%014d", g.code.forward(uint64(h.index*slotsPerFamily+role))))
}

func drawDate(r *rng, year int) registry.Date {
	t := time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.intn(365))
	return registry.DateOf(t)
}

func sexOf(male bool) registry.Sex {
	if male {
		return registry.Male
	}
	return registry.Female
}
