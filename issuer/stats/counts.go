package stats

import (
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/ubigeo"

	"github.com/minedu-cla/cla/issuer/lima"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// unknown is the key of a row for values outside the known categories
// (a record without a department, or an old level code); it is listed
// only when it is not empty.
const unknown = "unknown"

// counts are the raw tallies, never published as they are.
type counts struct {
	o          Options
	department map[string]int // 2-digit RENIEC code
	year       map[int]int
	level      map[uint8]int
	requester  map[constancia.Requester]int
	day        map[string]int // "2006-01-02" in Lima
}

func newCounts(o Options) *counts {
	return &counts{o: o, department: map[string]int{}, year: map[int]int{}, level: map[uint8]int{},
		requester: map[constancia.Requester]int{}, day: map[string]int{}}
}

// addConstancia counts one issuance: every version is one (a
// rectification is a new issuance). A constancia whose holder opposed its
// use beyond itself (Ley 29733) is left out, as the terms promise.
func (c *counts) addConstancia(k *constancia.Issued) error {
	if k.Opposed || (!c.o.Until.IsZero() && !k.IssuedAt.Before(c.o.Until)) {
		return nil
	}
	c.department[k.Department]++
	c.year[k.IssuedAt.In(lima.Zone).Year()]++
	c.level[k.Level]++
	c.requester[k.Requester]++
	return nil
}

func (c *counts) report() *Report {
	r := &Report{Lang: c.o.Lang}
	r.Tables = append(r.Tables, c.departments(), c.years(), c.levels(), c.requesters())
	return c.verifications(r)
}

// table starts a table with its localized title and heading.
func (c *counts) table(id string) Table {
	return Table{ID: id, Title: i18n.T(c.o.Lang, "stats.title."+id), Heading: i18n.T(c.o.Lang, "stats.col."+id),
		lang: c.o.Lang}
}

// departments lists every department of the catalogue, by name, with 0
// where there is none: which departments appear must not depend on data.
func (c *counts) departments() Table {
	var rows []raw
	known := map[string]bool{}
	if c.o.Places != nil {
		for _, p := range c.o.Places.Departments() {
			code := string(p.Code)[:2]
			known[code] = true
			rows = append(rows, raw{code, p.Name, c.department[code]})
		}
	} else {
		for _, code := range slices.Sorted(maps.Keys(c.department)) {
			if validDepartment(code) {
				known[code] = true
				rows = append(rows, raw{code, code, c.department[code]})
			}
		}
	}
	other := 0
	for code, n := range c.department {
		if !known[code] {
			other += n
		}
	}
	return publish(c.table("department"), c.withUnknown(rows, other))
}

func validDepartment(code string) bool {
	_, err := ubigeo.ParseCode(code + "0000")
	return err == nil
}

// years lists every year from the first issuance to the last.
func (c *counts) years() Table {
	var rows []raw
	if len(c.year) > 0 {
		ys := slices.Sorted(maps.Keys(c.year))
		for y := ys[0]; y <= ys[len(ys)-1]; y++ {
			rows = append(rows, raw{strconv.Itoa(y), strconv.Itoa(y), c.year[y]})
		}
	}
	return publish(c.table("year"), rows)
}

func (c *counts) levels() Table {
	var rows []raw
	other := 0
	for l, n := range c.level {
		if l < 1 || l > 3 {
			other += n
		}
	}
	for l := uint8(1); l <= 3; l++ {
		key := strconv.Itoa(int(l))
		rows = append(rows, raw{key, i18n.T(c.o.Lang, "stats.level."+key), c.level[l]})
	}
	return publish(c.table("level"), c.withUnknown(rows, other))
}

func (c *counts) requesters() Table {
	var rows []raw
	other := 0
	for r, n := range c.requester {
		if r != constancia.Adult && r != constancia.Guardian {
			other += n
		}
	}
	for _, r := range []constancia.Requester{constancia.Adult, constancia.Guardian} {
		rows = append(rows, raw{string(r), i18n.T(c.o.Lang, "stats.requester."+string(r)), c.requester[r]})
	}
	return publish(c.table("requester"), c.withUnknown(rows, other))
}

func (c *counts) withUnknown(rows []raw, n int) []raw {
	if n == 0 {
		return rows
	}
	return append(rows, raw{unknown, i18n.T(c.o.Lang, "stats.unknown"), n})
}

// dayOf is the Peru day of t.
func dayOf(t time.Time) string { return t.In(lima.Zone).Format(time.DateOnly) }
