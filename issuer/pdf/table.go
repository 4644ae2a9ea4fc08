package pdf

import (
	"strconv"

	"github.com/minedu-cla/cla/crypto/credential"
)

// table is one level's calificativos: a column per school year, at most
// maxCols of them (a level with more years continues in another table).
type table struct {
	level credential.Level
	years []credential.RecordYear
	part  int // 0, then 1, 2… for the tables that continue a level
}

// rowKind says how a row is drawn.
type rowKind int

const (
	headRow   rowKind = iota // año lectivo, grado, código modular: repeated on each page
	groupRow                 // "ÁREAS CURRICULARES": one band across the table
	markRow                  // an área or competencia and its calificativos
	resultRow                // situación final
)

// row is one table row: a label and a cell a year.
type row struct {
	kind  rowKind
	label string
	cells []string
}

// tables splits a record into its tables, level by level in school order
// (a record lists years in ascending order, so columns are chronological).
func tables(rec *credential.Record) []table {
	var out []table
	for _, l := range []credential.Level{credential.Inicial, credential.Primaria, credential.Secundaria} {
		var years []credential.RecordYear
		for _, y := range rec.Years {
			if y.Level == l {
				years = append(years, y)
			}
		}
		for part := 0; len(years) > 0; part++ {
			n := min(len(years), maxCols)
			out = append(out, table{level: l, years: years[:n], part: part})
			years = years[n:]
		}
	}
	return out
}

// head returns the rows that identify each column.
func (t table) head() []row {
	year, grade, school := row{kind: headRow, label: "Año lectivo"}, row{kind: headRow, label: "Grado"},
		row{kind: headRow, label: "Código modular - anexo"}
	if t.level == credential.Inicial {
		grade.label = "Edad"
	}
	for _, y := range t.years {
		year.cells = append(year.cells, strconv.Itoa(y.Year))
		grade.cells = append(grade.cells, gradeName(y))
		school.cells = append(school.cells, y.School.Code+"-"+y.School.Annex)
	}
	return []row{year, grade, school}
}

// gradeName is "4 años" in inicial, "3.°" otherwise.
func gradeName(y credential.RecordYear) string {
	if y.Level == credential.Inicial {
		return strconv.Itoa(y.Grade) + " años"
	}
	return strconv.Itoa(y.Grade) + ".°"
}

// body returns the áreas curriculares, the competencias transversales and
// the situación final.
func (t table) body() []row {
	rows := []row{{kind: groupRow, label: "ÁREAS CURRICULARES"}}
	rows = append(rows, t.marks(func(y credential.RecordYear) []credential.Mark { return y.Areas })...)
	transversal := t.marks(func(y credential.RecordYear) []credential.Mark { return y.Transversal })
	if len(transversal) > 0 {
		rows = append(rows, row{kind: groupRow, label: "COMPETENCIAS TRANSVERSALES"})
		rows = append(rows, transversal...)
	}
	result := row{kind: resultRow, label: "Situación final"}
	for _, y := range t.years {
		result.cells = append(result.cells, y.Result.String())
	}
	return append(rows, result)
}

// marks makes a row for each name in the union of the years' lists, in
// the order first printed, with an empty cell where a year lacks it.
func (t table) marks(list func(credential.RecordYear) []credential.Mark) []row {
	index := map[string]int{}
	var rows []row
	for i, y := range t.years {
		for _, m := range list(y) {
			n, seen := index[m.Area]
			if !seen {
				n = len(rows)
				index[m.Area] = n
				rows = append(rows, row{kind: markRow, label: m.Area, cells: make([]string, len(t.years))})
			}
			if rows[n].cells[i] == "" { // a name listed twice in one year keeps its first mark
				rows[n].cells[i] = m.Value
			}
		}
	}
	return rows
}

// title heads a table: "NIVEL PRIMARIA", "NIVEL PRIMARIA (continuación)".
func (t table) title(continued bool) string {
	s := "NIVEL " + t.level.String()
	if continued || t.part > 0 {
		s += " (continuación)"
	}
	return s
}

// schools lists the schools of the table's years, each once, in order.
func (t table) schools() []credential.School {
	var out []credential.School
	seen := map[credential.School]bool{}
	for _, y := range t.years {
		if !seen[y.School] {
			seen[y.School] = true
			out = append(out, y.School)
		}
	}
	return out
}
