package stats

import (
	"strconv"

	"github.com/minedu-cla/cla/i18n"
)

// Mark says how a cell is published.
type Mark uint8

// Marks.
const (
	Shown    Mark = iota // the count is published
	Small                // fewer than K: published as "<10"
	Withheld             // K or more, withheld so that no Small cell can be worked out
)

// Cell is one published figure. Count is the count only when Mark is
// Shown, and 0 otherwise: a suppressed number never reaches a template.
type Cell struct {
	Mark  Mark
	Count int
}

// Text is the cell as printed in lang: the number, "<10" or "reservado".
func (c Cell) Text(lang i18n.Lang) string {
	switch c.Mark {
	case Shown:
		return strconv.Itoa(c.Count)
	case Small:
		return i18n.T(lang, "stats.small")
	}
	return i18n.T(lang, "stats.withheld")
}

// Row is one line of a table.
type Row struct {
	Key   string // stable: "14", "2025", "2", "adult", "2026-03", "2026-03-02", "unknown"
	Label string // as shown, in the report's language
	Cell  Cell
}

// Table is one published table: rows that together make up Total.
type Table struct {
	ID      string // department, year, level, requester, verify_month, verify_day
	Month   string // for verify_day: "2026-03"
	Title   string // in the report's language
	Heading string // the first column's heading
	Rows    []Row
	// Total is the sum of every row, suppressed or not ("<10" below K):
	// the suppression is built so that knowing it does not help.
	Total Cell
	lang  i18n.Lang
}

// Lang is the language of the table's text.
func (t *Table) Lang() i18n.Lang { return t.lang }

// raw is a row before suppression.
type raw struct {
	key, label string
	n          int
}

// publish applies the suppression to rows and drops the suppressed counts.
func publish(t Table, rows []raw) Table {
	counts := make([]int, len(rows))
	total := 0
	for i, r := range rows {
		counts[i] = r.n
		total += r.n
	}
	marks := protect(counts)
	t.Rows = make([]Row, len(rows))
	for i, r := range rows {
		t.Rows[i] = Row{Key: r.key, Label: r.label, Cell: cell(r.n, marks[i])}
	}
	t.Total = cell(total, Shown)
	if total < K {
		t.Total = Cell{Mark: Small}
	}
	return t
}

func cell(n int, m Mark) Cell {
	if m != Shown {
		return Cell{Mark: m}
	}
	return Cell{Mark: Shown, Count: n}
}
