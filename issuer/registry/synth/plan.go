package synth

import (
	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
)

// Roles within a family; a person's slot is family*slotsPerFamily + role.
const (
	roleFather = iota
	roleMother
	roleTutor
	roleChild0
	slotsPerFamily = 8
	maxChildren    = slotsPerFamily - roleChild0
)

// plan is what a family is like before names and dates are drawn. Random
// families draw one (drawPlan); the showcase families have theirs fixed.
type plan struct {
	foreign    bool // parents hold a CE
	arrival    int  // foreign families: first school year in Peru
	noFather   bool // father not recorded
	fatherDied int  // year, 0 alive
	motherDied int
	tutor      registry.Relation // "" none
	exo        bool              // children exonerated from Educación Religiosa
	accents    bool              // force surnames and names with Ñ and accents
	children   []childPlan
}

// childPlan fixes what a child's history must show; zero values leave it
// to chance.
type childPlan struct {
	born      int        // birth year
	doc       idnum.Kind // DNI, CE, or KindNone for a child with no document
	entry     int        // first grade index (0 = Inicial 3 años)
	died      int        // year of death, 0 alive
	repeat    bool       // force a "permanece en el grado"
	recovery  bool       // force a "requiere recuperación"
	gap       bool       // force a missing year
	review    bool       // force the last year's acta under review
	transfers int        // force at least this many school changes
}

// Per-mille odds of the random population.
const (
	oddsForeign   = 60
	oddsNoFather  = 80
	oddsDeath     = 8 // each parent
	oddsTutor     = 70
	oddsExo       = 30
	oddsNoDoc     = 15 // a national child with no DNI
	oddsChildDies = 2
)

// kidsFor returns how many children family i has: 1–4 (35/35/20/10 %).
// It reads its own stream so that counting families for a size is cheap.
func kidsFor(seed uint64, i int) int {
	if i < len(showcase) {
		return len(showcase[i](2025).children)
	}
	switch v := newRNG(seed, uint64(i), streamKids).intn(100); {
	case v < 35:
		return 1
	case v < 70:
		return 2
	case v < 90:
		return 3
	}
	return 4
}

// Stream tags for newRNG.
const (
	streamFamily = iota
	streamKids
	streamHistory
	streamSchool
)

// drawPlan draws a random family's plan with n children.
func drawPlan(r *rng, n, lastYear int) plan {
	p := plan{foreign: r.chance(oddsForeign), noFather: r.chance(oddsNoFather), exo: r.chance(oddsExo)}
	if r.chance(oddsDeath) {
		p.fatherDied = r.between(lastYear-12, lastYear)
	}
	if r.chance(oddsDeath) {
		p.motherDied = r.between(lastYear-12, lastYear)
	}
	if r.chance(oddsTutor) || p.motherDied != 0 || p.fatherDied != 0 {
		p.tutor = pick(r, []registry.Relation{registry.RelGrandmother, registry.RelGrandmother,
			registry.RelGrandfather, registry.RelAunt, registry.RelUncle, registry.RelLegal})
	}
	first := r.between(lastYear-28, lastYear-3)
	if p.foreign {
		p.arrival = r.between(2016, min(2022, lastYear))
		first = r.between(p.arrival-14, min(p.arrival+2, lastYear-3))
	}
	born := first
	for range n {
		c := childPlan{born: min(born, lastYear-3), doc: idnum.KindDNI, entry: drawEntry(r)}
		// A child who dies does so after at least one school year on record:
		// born+12 is past any first grade, and 2014 past the first year.
		if !p.foreign && r.chance(oddsChildDies) && c.born+12 < lastYear {
			c.died = r.between(max(c.born+12, 2014), lastYear)
		}
		switch {
		case p.foreign && c.born < p.arrival:
			c.doc = idnum.KindCE
		case !p.foreign && r.chance(oddsNoDoc):
			c.doc = idnum.KindNone
		}
		p.children = append(p.children, c)
		born += r.between(1, 5)
	}
	return p
}

// drawEntry picks the first grade: most children start in Inicial, some go
// straight to 1.° de primaria.
func drawEntry(r *rng) int {
	switch v := r.intn(100); {
	case v < 40:
		return 0
	case v < 60:
		return 1
	case v < 85:
		return 2
	}
	return 3
}
