package stats

import (
	"encoding/csv"
	"io"

	"github.com/minedu-cla/cla/i18n"
)

// WriteCSV writes the table as CSV (RFC 4180: CRLF, quotes where needed):
// a heading row, one row per Row, and the total.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := newCSV(w)
	cw.Write([]string{t.Heading, i18n.T(t.lang, "stats.col.count")})
	for _, r := range t.Rows {
		cw.Write([]string{r.Label, r.Cell.Text(t.lang)})
	}
	cw.Write([]string{i18n.T(t.lang, "stats.total"), t.Total.Text(t.lang)})
	cw.Flush()
	return cw.Error()
}

// WriteCSV writes every table of the report in one long CSV: table,
// month, key, label, count; totals have the key "total".
func (r *Report) WriteCSV(w io.Writer) error {
	cw := newCSV(w)
	l := r.Lang
	cw.Write([]string{i18n.T(l, "stats.col.table"), i18n.T(l, "stats.col.verify_month"), i18n.T(l, "stats.col.key"),
		i18n.T(l, "stats.col.label"), i18n.T(l, "stats.col.count")})
	for _, t := range r.Tables {
		for _, row := range t.Rows {
			cw.Write([]string{t.ID, t.Month, row.Key, row.Label, row.Cell.Text(l)})
		}
		cw.Write([]string{t.ID, t.Month, "total", i18n.T(l, "stats.total"), t.Total.Text(l)})
	}
	cw.Flush()
	return cw.Error()
}

// safeCSV writes rows with every cell made formula-safe.
type safeCSV struct{ *csv.Writer }

func newCSV(w io.Writer) safeCSV {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	return safeCSV{cw}
}

// Write writes one row; errors surface at Error after Flush.
func (w safeCSV) Write(row []string) {
	for i, s := range row {
		row[i] = defuse(s)
	}
	w.Writer.Write(row)
}

// defuse keeps a spreadsheet from reading a cell as a formula (CSV
// injection, OWASP): a cell that starts with = + - @, or with a tab or
// carriage return that some programs skip before looking, gets a leading
// apostrophe, which spreadsheets show as text and do not print.
func defuse(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
