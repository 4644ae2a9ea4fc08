package ubigeo

import (
	"cmp"
	"slices"
	"strings"
)

// Place is one department, province or district.
type Place struct {
	Code Code   // RENIEC code
	INEI string // INEI code, "" where the file has none
	Name string // as in the file, e.g. "SAN JUAN DE LURIGANCHO"
}

// Note records a row that was skipped, e.g. a district with no RENIEC code.
// Place names are public data, so notes may be logged.
type Note struct {
	File   string
	Line   int
	Reason string
}

// Catalogue is a loaded list of places. It is read-only and safe for
// concurrent use.
type Catalogue struct {
	places   map[Code]Place
	children map[Code][]Place // parent code -> children sorted by name
	deps     []Place
	skipped  []Note
}

func newCatalogue() *Catalogue {
	return &Catalogue{places: map[Code]Place{}, children: map[Code][]Place{}}
}

// Departments returns the departments sorted by name.
func (c *Catalogue) Departments() []Place { return slices.Clone(c.deps) }

// Provinces returns the provinces of department dep sorted by name, or nil.
func (c *Catalogue) Provinces(dep Code) []Place {
	if dep.Level() != Department {
		return nil
	}
	return slices.Clone(c.children[dep])
}

// Districts returns the districts of province prov sorted by name, or nil.
func (c *Catalogue) Districts(prov Code) []Place {
	if prov.Level() != Province {
		return nil
	}
	return slices.Clone(c.children[prov])
}

// Place returns the place with code, at any level.
func (c *Catalogue) Place(code Code) (Place, bool) {
	p, ok := c.places[code]
	return p, ok
}

// IsDistrict reports whether code is a district in the catalogue: what a
// DNI address must be.
func (c *Catalogue) IsDistrict(code Code) bool {
	p, ok := c.places[code]
	return ok && p.Code.Level() == District
}

// Path returns the department, province and district of a district code.
func (c *Catalogue) Path(code Code) (dep, prov, dist Place, ok bool) {
	if !c.IsDistrict(code) {
		return Place{}, Place{}, Place{}, false
	}
	return c.places[code.Department()], c.places[code.Province()], c.places[code], true
}

// Count returns how many departments, provinces and districts were loaded.
func (c *Catalogue) Count() (deps, provs, dists int) {
	for code := range c.places {
		switch code.Level() {
		case Department:
			deps++
		case Province:
			provs++
		default:
			dists++
		}
	}
	return deps, provs, dists
}

// Skipped returns the rows that were left out, with the reason.
func (c *Catalogue) Skipped() []Note { return slices.Clone(c.skipped) }

func (c *Catalogue) add(p Place) {
	c.places[p.Code] = p
	if p.Code.Level() == Department {
		c.deps = append(c.deps, p)
		return
	}
	parent := p.Code.Province()
	if p.Code.Level() == Province {
		parent = p.Code.Department()
	}
	c.children[parent] = append(c.children[parent], p)
}

// sort orders every list by name, then code, for the form's pickers.
func (c *Catalogue) sort() {
	byName := func(a, b Place) int {
		return cmp.Or(cmp.Compare(sortKey(a.Name), sortKey(b.Name)), cmp.Compare(a.Code, b.Code))
	}
	slices.SortFunc(c.deps, byName)
	for _, list := range c.children {
		slices.SortFunc(list, byName)
	}
}

// sortKey orders names the Spanish way closely enough for a picker: accents
// do not count and Ñ comes right after N.
var sortKey = strings.NewReplacer(
	"Á", "A", "É", "E", "Í", "I", "Ó", "O", "Ú", "U", "Ü", "U", "Ñ", "N~",
	"á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ü", "u", "ñ", "n~",
).Replace
