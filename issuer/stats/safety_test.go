package stats

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/store"
)

var hostile = []string{
	`</text><script>alert(1)</script><text>`,
	`A & B "quoted" 'single' <b>bold</b> ]]> <!-- -->`,
	"CONTROL\x01\x08\x1b CHARS\uFFFE",
	"=HYPERLINK(\"http://evil\",\"x\")",
}

// TestSVGEscapesHostileLabels: department names straight from a hostile
// catalogue, and a hostile title, come out as text in well-formed XML.
func TestSVGEscapesHostileLabels(t *testing.T) {
	t.Parallel()
	s := store.NewMemory()
	putConstancias(t, s, issued{n: 20, department: "01"}, issued{n: 30, department: "14"}, issued{n: 40, department: "15"})
	r := compute(t, s, Options{Places: places(t, hostile[0], hostile[1], hostile[2]), Lang: i18n.QU})
	tb := r.Table("department", "")
	tb.Title = hostile[1]
	tb.Rows = append(tb.Rows, Row{Key: "25", Label: hostile[3] + strings.Repeat("x", 40), Cell: Cell{Mark: Shown, Count: 10}})
	var b bytes.Buffer
	if err := tb.SVG(&b); err != nil {
		t.Fatal(err)
	}
	texts, _ := svgTexts(t, b.Bytes())
	var all string
	for _, e := range texts {
		all += e.text + "\n"
	}
	for _, want := range []string{`</text><script>alert(1)</script><text>`, `<b>bold</b> ]]> <!-- -->`, "CONTROL", "=HYPERLINK"} {
		if !strings.Contains(all, want) {
			t.Errorf("the chart's text lacks %q:\n%s", want, all)
		}
	}
	if strings.Contains(b.String(), "<script") || strings.Contains(b.String(), "<b>") {
		t.Errorf("markup got through:\n%s", b.String())
	}
	// The inline chart is the same drawing without the legend (the page
	// says it once): the same escaped labels, no markup.
	html, err := tb.InlineSVG()
	if err != nil || !strings.Contains(string(html), "&lt;/text&gt;&lt;script&gt;") || strings.Contains(string(html), "<script") ||
		strings.Contains(string(html), i18n.T(i18n.ES, "stats.legend.small")) {
		t.Errorf("InlineSVG: %v\n%s", err, html)
	}
}

func TestCSVFormulaSafe(t *testing.T) {
	t.Parallel()
	tb := Table{ID: "department", Heading: "=1+1", lang: i18n.ES, Total: Cell{Mark: Shown, Count: 60}, Rows: []Row{
		{Key: "01", Label: "=cmd|' /C calc'!A0", Cell: Cell{Mark: Shown, Count: 20}},
		{Key: "02", Label: "+1", Cell: Cell{Mark: Small}},
		{Key: "03", Label: "-2", Cell: Cell{Mark: Withheld}},
		{Key: "04", Label: "@SUM(A1)", Cell: Cell{Mark: Shown, Count: 40}},
		{Key: "05", Label: "\t=1", Cell: Cell{Mark: Small}},
		{Key: "06", Label: "a, \"quoted\"\nline", Cell: Cell{Mark: Small}},
	}}
	var b bytes.Buffer
	if err := tb.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\r\n") {
		t.Error("not CRLF (RFC 4180)")
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"'=1+1", "Cantidad"}, {"'=cmd|' /C calc'!A0", "20"}, {"'+1", "<10"}, {"'-2", "reservado"},
		{"'@SUM(A1)", "40"}, {"'\t=1", "<10"}, {"a, \"quoted\"\nline", "<10"}, {"Total", "60"}}
	if len(rows) != len(want) {
		t.Fatalf("rows %q", rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
		}
	}
}
