package stats

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/store"

	"github.com/minedu-cla/cla/issuer/lima"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// smallGroups is a store full of groups of 1 to 9 beside a few large
// ones: every table has small cells.
func smallGroups(t *testing.T) store.Store {
	s := store.NewMemory()
	var groups []issued
	deps := []string{"01", "14", "15", "99", ""}
	reqs := []constancia.Requester{constancia.Adult, constancia.Guardian, "other"}
	for y := 2013; y <= 2026; y++ { // one small group a year
		groups = append(groups, issued{n: 1 + y%9, department: deps[y%len(deps)], year: y, level: uint8(y % 5),
			requester: reqs[y%len(reqs)]})
	}
	groups = append(groups, issued{n: 140, department: "14", year: 2025, level: 2, requester: constancia.Adult},
		issued{n: 23, department: "15", year: 2024, level: 3, requester: constancia.Guardian},
		issued{n: 31, department: "01", year: 2026, level: 3, requester: constancia.Adult},
		issued{n: 50, department: "14", year: 2026, level: 2, requester: constancia.Adult, opposed: true})
	putConstancias(t, s, groups...)
	for d := 1; d <= 28; d++ {
		verified(t, s, fmt.Sprintf("2026-02-%02d", d), d%12)  // a month of mostly small days
		verified(t, s, fmt.Sprintf("2026-03-%02d", d), 5+d*3) // and months that are not
		verified(t, s, fmt.Sprintf("2026-04-%02d", d), 12)
	}
	return s
}

// TestNoCellBelowK is issue 7's "statistics never show a cell below 10":
// in every table, in the CSV and in every chart, in every language.
func TestNoCellBelowK(t *testing.T) {
	t.Parallel()
	s := smallGroups(t)
	for _, lang := range i18n.Langs {
		r := compute(t, s, Options{Places: places(t), Lang: lang})
		suppressed := 0
		for _, tb := range r.Tables {
			for _, row := range append(tb.Rows, Row{Key: "total", Cell: tb.Total}) {
				c := row.Cell
				if c.Mark == Shown && c.Count < K || c.Mark != Shown && c.Count != 0 {
					t.Errorf("%s %s %s: %+v", lang, tb.ID, row.Key, c)
				}
				if c.Mark != Shown {
					suppressed++
				}
			}
			checkSVG(t, &tb)
		}
		if suppressed < 20 {
			t.Errorf("%s: only %d suppressed cells: the test data is not small enough", lang, suppressed)
		}
		var b bytes.Buffer
		if err := r.WriteCSV(&b); err != nil {
			t.Fatal(err)
		}
		checkCSV(t, lang, &b)
	}
}

// checkCSV: every count is "<10", "reservado" or at least K.
func checkCSV(t *testing.T, lang i18n.Lang, r io.Reader) {
	t.Helper()
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		v := row[len(row)-1]
		if n, err := strconv.Atoi(v); err == nil && n < K || err != nil &&
			v != i18n.T(lang, "stats.small") && v != i18n.T(lang, "stats.withheld") {
			t.Errorf("CSV %s: %q", lang, row)
		}
	}
}

// checkSVG: well-formed XML; every figure in it (beside each bar, in each
// bar's tooltip, the total in the description) is "<10", the withheld
// mark or at least K; and there are as many bars as shown cells.
func checkSVG(t *testing.T, tb *Table) {
	t.Helper()
	var b bytes.Buffer
	if err := tb.SVG(&b); err != nil {
		t.Fatal(err)
	}
	texts, rects := svgTexts(t, b.Bytes())
	shown := 0
	for _, r := range tb.Rows {
		if r.Cell.Mark == Shown {
			shown++
		}
	}
	if rects != shown {
		t.Errorf("%s: %d bars for %d shown cells", tb.ID, rects, shown)
	}
	var figures []string
	for _, e := range texts {
		switch {
		case e.name == "text" && e.inGroup && e.last: // the figure beside the bar
			figures = append(figures, e.text)
		case e.name == "title" && e.inGroup: // "label: figure"
			figures = append(figures, e.text[strings.LastIndex(e.text, ": ")+2:])
		case e.name == "desc": // "…; total: figure. …"
			_, after, _ := strings.Cut(e.text, "; ")
			after, _, _ = strings.Cut(after, ". ")
			figures = append(figures, after[strings.LastIndex(after, ": ")+2:])
		}
	}
	if len(figures) != 2*len(tb.Rows)+1 {
		t.Errorf("%s: found %d figures for %d rows", tb.ID, len(figures), len(tb.Rows))
	}
	for _, f := range figures {
		if !publishable(tb.lang, f) {
			t.Errorf("%s: the chart shows %q", tb.ID, f)
		}
	}
}

func publishable(lang i18n.Lang, s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= K || s == i18n.T(lang, "stats.small") || s == i18n.T(lang, "stats.withheld")
}

type svgText struct {
	name, text    string
	inGroup, last bool // inside a bar's <g>; the last text of it
}

// svgTexts decodes an SVG strictly and returns its text-bearing elements
// and how many rect elements it has.
func svgTexts(t *testing.T, svg []byte) (texts []svgText, rects int) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	dec.Strict = true
	var stack []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 && (e.Name.Local != "svg" || e.Name.Space != "http://www.w3.org/2000/svg") {
				t.Fatalf("root %v", e.Name)
			}
			switch e.Name.Local {
			case "rect":
				rects++
			case "script", "foreignObject", "a", "image", "use":
				t.Fatalf("markup injected: <%s>\n%s", e.Name.Local, svg)
			}
			stack = append(stack, e.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			if e.Name.Local == "g" {
				for i := len(texts) - 1; i >= 0 && texts[i].inGroup; i-- {
					if texts[i].name == "text" {
						texts[i].last = true
						break
					}
				}
			}
		case xml.CharData:
			if s := strings.TrimSpace(string(e)); s != "" && len(stack) > 0 {
				texts = append(texts, svgText{name: stack[len(stack)-1], text: s, inGroup: slices.Contains(stack, "g")})
			}
		}
	}
	return texts, rects
}

func TestTables(t *testing.T) {
	t.Parallel()
	s := store.NewMemory()
	putConstancias(t, s,
		issued{n: 30, department: "14", year: 2024, level: 2, requester: constancia.Adult},
		issued{n: 25, department: "15", year: 2026, level: 3, requester: constancia.Guardian},
		issued{n: 12, department: "01", year: 2026, level: 1, requester: constancia.Guardian},
		issued{n: 7, department: "14", year: 2026, level: 3, requester: constancia.Adult, opposed: true})
	r := compute(t, s, Options{Places: places(t), Lang: i18n.ES})
	got := map[string]string{}
	for _, tb := range r.Tables {
		var parts []string
		for _, row := range tb.Rows {
			parts = append(parts, row.Key+"="+row.Cell.Text(i18n.ES))
		}
		got[tb.ID+tb.Month] = strings.Join(parts, " ") + " total=" + tb.Total.Text(i18n.ES)
	}
	want := map[string]string{
		"department":   "01=12 14=30 15=25 total=67", // the opposed 7 are not counted
		"year":         "2024=30 2025=<10 2026=37 total=67",
		"level":        "1=12 2=30 3=25 total=67",
		"requester":    "adult=30 guardian=37 total=67",
		"verify_month": " total=<10",
	}
	// 2025 has none: a small cell, so the smallest other year (30) is
	// withheld; and 37 too, since 37 − 30 leaves too little doubt.
	want["year"] = "2024=reservado 2025=<10 2026=reservado total=67"
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %s, want %s", id, got[id], w)
		}
	}
	if tb := r.Table("department", ""); tb == nil || tb.Rows[1].Label != "LIMA" || tb.Title != "Constancias emitidas por departamento" {
		t.Errorf("department table %+v", tb)
	}
}

// TestDayTables: a day table for each month that is shown, none for a
// small or withheld one (its days would add up to it).
func TestDayTables(t *testing.T) {
	t.Parallel()
	s := store.NewMemory()
	verified(t, s, "2026-01-05", 3)  // January: small
	verified(t, s, "2026-03-02", 40) // February: 0, small; March: shown
	verified(t, s, "2026-03-09", 12)
	r := compute(t, s, Options{Lang: i18n.EN})
	m := r.Table("verify_month", "")
	if m == nil || len(m.Rows) != 3 || m.Rows[0].Cell.Mark != Small || m.Rows[1].Cell.Mark != Small {
		t.Fatalf("month table %+v", m)
	}
	if r.Table("verify_day", "2026-01") != nil || r.Table("verify_day", "2026-02") != nil {
		t.Error("a day table for a small month")
	}
	if m.Rows[2].Cell.Mark != Withheld {
		t.Fatalf("March %+v", m.Rows[2])
	}
	if r.Table("verify_day", "2026-03") != nil {
		t.Error("a day table for a withheld month")
	}
	verified(t, s, "2026-01-06", 30)
	verified(t, s, "2026-02-01", 30)
	r = compute(t, s, Options{Lang: i18n.EN})
	d := r.Table("verify_day", "2026-03")
	if d == nil || len(d.Rows) != 9 || d.Total.Count != 52 || d.Title != "Verifications by virtual code, by day (2026-03)" {
		t.Fatalf("March's days %+v", d)
	}
}

func TestUntil(t *testing.T) {
	t.Parallel()
	s := store.NewMemory()
	putConstancias(t, s, issued{n: 20, department: "14", year: 2025, level: 2, requester: constancia.Adult},
		issued{n: 20, department: "14", year: 2026, level: 2, requester: constancia.Adult})
	verified(t, s, "2025-12-31", 15)
	verified(t, s, "2026-01-01", 15)
	r := compute(t, s, Options{Lang: i18n.ES, Until: time.Date(2026, 1, 1, 0, 0, 0, 0, lima.Zone)})
	if y := r.Table("year", ""); len(y.Rows) != 1 || y.Total.Count != 20 {
		t.Errorf("years %+v", y)
	}
	if m := r.Table("verify_month", ""); len(m.Rows) != 1 || m.Total.Count != 15 {
		t.Errorf("months %+v", m)
	}
}

// TestTally: counting is incremental and exact when two run at once.
func TestTally(t *testing.T) {
	t.Parallel()
	s := tempBolt(t)
	ctx := context.Background()
	verified(t, s, "2026-03-02", 12)
	if err := Tally(ctx, s); err != nil {
		t.Fatal(err)
	}
	verified(t, s, "2026-03-02", 5)
	verified(t, s, "2026-03-03", 11)
	done := make(chan error, 4)
	for range 4 {
		go func() { done <- Tally(ctx, s) }()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]int{}
	err := s.View(ctx, func(tx store.Tx) error {
		last, _, _ := tx.LastLog()
		if c := cursor(tx); c != last {
			t.Errorf("cursor %d, log ends at %d", c, last)
		}
		c := newCounts(Options{})
		err := c.addVerifications(tx)
		got = c.day
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["2026-03-02"] != 17 || got["2026-03-03"] != 11 {
		t.Errorf("counters %v", got)
	}
}
