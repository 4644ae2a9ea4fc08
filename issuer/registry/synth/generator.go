package synth

import (
	"context"
	"strconv"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
)

// Generator is a synthetic population and the registries that answer about
// it. It holds no per-person state: every answer is regenerated from the
// seed, so it is safe for concurrent use and its size costs no memory.
type Generator struct {
	cfg      Config
	lastYear int
	dni      perm // slot -> DNI, over 10^8
	ce       perm // slot -> CE, over 10^9
	code     perm // slot -> código del estudiante, over 10^14
	schools  perm // school -> código modular, over 10^7
	families int
	lastKids int // children of the last family, cut so the total is exact
}

var (
	_ registry.IdentityRegistry = (*Generator)(nil)
	_ registry.RecordsRegistry  = (*Generator)(nil)
)

// New returns the population of cfg. It only counts families (a few ms for
// a million students); people are generated when asked for.
func New(cfg Config) (*Generator, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	g := &Generator{
		cfg:      cfg,
		lastYear: cfg.Today.Year - 1,
		dni:      newPerm(cfg.Seed, 1, 1e8),
		ce:       newPerm(cfg.Seed, 2, 1e9),
		code:     newPerm(cfg.Seed, 3, 1e14),
		schools:  newPerm(cfg.Seed, 4, 1e7),
	}
	left := cfg.Students
	for left > 0 {
		k := kidsFor(cfg.Seed, g.families)
		g.families++
		g.lastKids = min(k, left)
		left -= k
	}
	return g, nil
}

// Config returns the generator's configuration.
func (g *Generator) Config() Config { return g.cfg }

// Families returns the number of families.
func (g *Generator) Families() int { return g.families }

// Family returns family i's people known to RENIEC or Migraciones and its
// students as SIAGIE has them, in a fixed order.
func (g *Generator) Family(i int) (persons []*registry.Person, students []*registry.Student) {
	h := g.household(i)
	for role := range h.members {
		m := &h.members[role]
		if m.present && !m.person.Doc.IsZero() {
			p := m.person
			persons = append(persons, &p)
		}
	}
	for c := range h.plan.children {
		students = append(students, g.student(h, c))
	}
	return persons, students
}

// Person implements registry.IdentityRegistry for DNIs and CEs.
func (g *Generator) Person(ctx context.Context, doc idnum.Doc) (*registry.Person, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if doc.Kind != idnum.KindDNI && doc.Kind != idnum.KindCE {
		return nil, registry.ErrUnsupported
	}
	family, role, ok := g.locate(doc)
	if !ok {
		return nil, registry.ErrNotFound
	}
	m := g.household(family).members[role]
	if !m.present || m.person.Doc != doc {
		return nil, registry.ErrNotFound
	}
	return &m.person, nil
}

// Student implements registry.RecordsRegistry for DNIs, CEs and códigos.
func (g *Generator) Student(ctx context.Context, doc idnum.Doc) (*registry.Student, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	family, role, ok := g.locate(doc)
	if !ok || role < roleChild0 {
		return nil, registry.ErrNotFound
	}
	h := g.household(family)
	m := &h.members[role]
	switch {
	case !m.present,
		doc.Kind == idnum.KindStudentCode && string(m.code) != doc.Number,
		doc.Kind != idnum.KindStudentCode && m.person.Doc != doc:
		return nil, registry.ErrNotFound
	}
	return g.student(h, role-roleChild0), nil
}

// locate inverts the document permutation: which family and role would
// hold doc. The caller still checks the member holds exactly doc.
func (g *Generator) locate(doc idnum.Doc) (family, role int, ok bool) {
	if doc.Validate() != nil {
		return 0, 0, false
	}
	p := g.code
	switch doc.Kind {
	case idnum.KindDNI:
		p = g.dni
	case idnum.KindCE:
		p = g.ce
	}
	n, err := strconv.ParseUint(doc.Number, 10, 64)
	if err != nil || n >= p.n {
		return 0, 0, false // letters or more digits than we issue: not ours
	}
	slot := p.inverse(n)
	family, role = int(slot/slotsPerFamily), int(slot%slotsPerFamily)
	return family, role, family < g.families
}

func (g *Generator) student(h *household, c int) *registry.Student {
	m := &h.members[roleChild0+c]
	p := &m.person
	return &registry.Student{
		Code: m.code, Doc: p.Doc,
		Names: p.Names, Surname1: p.Surname1, Surname2: p.Surname2,
		BirthDate: p.BirthDate, Sex: p.Sex,
		Tutors: m.tutors,
		Years:  g.history(h, c),
	}
}
