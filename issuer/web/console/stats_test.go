package console

import (
	"github.com/minedu-cla/cla/i18n"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/minedu-cla/cla/issuer/staff"
)

// statsSteps are the statistics pages' steps (auditors and admins).
func statsSteps(allowed []staff.Role) []step {
	return []step{
		{"statistics", allowed, get("/admin/estadisticas?hasta=hoy")},
		{"statistics csv", allowed, get("/admin/estadisticas.csv")},
	}
}

var cellRE = regexp.MustCompile(`<td>([^<]*)</td></tr>`)

// TestStatsPageNeverShowsSmallCells issues a few constancias (every
// count is below 10) and checks the page and the CSV show no number
// from 1 to 9 in any count cell.
func TestStatsPageNeverShowsSmallCells(t *testing.T) {
	c := newConsole(t)
	for _, i := range c.issuable()[:4] {
		c.issue(t, i)
	}
	c.clock.add(48 * time.Hour) // the issuances are now before "today"
	b, _ := c.login(t, "auditor1")
	st, page, _ := b.Get("/admin/estadisticas?hasta=hoy")
	if st != 200 || !strings.Contains(page, "<svg") || strings.Contains(page, "<script") {
		t.Fatalf("stats page: %d, svg %v", st, strings.Contains(page, "<svg"))
	}
	cells := cellRE.FindAllStringSubmatch(page, -1)
	if len(cells) == 0 {
		t.Fatal("no count cells on the page")
	}
	small := 0
	for _, m := range cells {
		if n, err := strconv.Atoi(strings.TrimSpace(m[1])); err == nil && n > 0 && n < 10 {
			t.Errorf("a cell shows %d", n)
		}
		if strings.Contains(m[1], "&lt;10") {
			small++
		}
	}
	if small == 0 {
		t.Fatal("four issuances, yet no cell reads <10: the test does not see the data")
	}
	// One of each: the "<10" legend once for the page (it was in every
	// chart), each table's title once in sight (its caption is for screen
	// readers), and each chart's numbers folded under it, not a second
	// copy below.
	legend := html.EscapeString(i18n.T(i18n.ES, "stats.legend.small"))
	charts := strings.Count(page, "<svg")
	if n := strings.Count(page, legend); n != 1 {
		t.Errorf("the <10 legend is on the page %d times", n)
	}
	if strings.Count(page, "<caption>") != 0 || strings.Count(page, `<details><summary>`) != charts {
		t.Errorf("a visible caption repeats a heading, or %d charts have %d folded tables", charts, strings.Count(page, "<details><summary>"))
	}
	_, csv, hdr := b.Get("/admin/estadisticas.csv?hasta=hoy")
	if !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv content type %q", hdr.Get("Content-Type"))
	}
	for _, line := range strings.Split(strings.TrimSpace(csv), "\n")[1:] {
		f := strings.Split(strings.TrimSpace(line), ",")
		if n, err := strconv.Atoi(f[len(f)-1]); err == nil && n > 0 && n < 10 {
			t.Errorf("CSV line shows %d: %s", n, line)
		}
	}
}
