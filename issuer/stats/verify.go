package stats

import (
	"maps"
	"slices"
	"time"

	"github.com/minedu-cla/cla/i18n"

	"github.com/minedu-cla/cla/issuer/lima"
)

// verifications adds the month table, then a day table for each month
// whose count is shown. A month that is Small or Withheld gets no day
// table: its days would add up to it and undo its suppression.
func (c *counts) verifications(r *Report) *Report {
	months := map[string]int{}
	for d, n := range c.day {
		months[d[:7]] += n
	}
	keys := monthRange(slices.Sorted(maps.Keys(months)))
	rows := make([]raw, len(keys))
	for i, m := range keys {
		rows[i] = raw{m, m, months[m]}
	}
	mt := publish(c.table("verify_month"), rows)
	r.Tables = append(r.Tables, mt)
	last := ""
	if len(c.day) > 0 {
		last = slices.Max(slices.Collect(maps.Keys(c.day)))
	}
	for _, row := range mt.Rows {
		if row.Cell.Mark == Shown {
			r.Tables = append(r.Tables, c.dayTable(row.Key, last))
		}
	}
	return r
}

// dayTable lists every day of month, up to the last day with data.
func (c *counts) dayTable(month, last string) Table {
	first, _ := time.ParseInLocation("2006-01", month, lima.Zone)
	var rows []raw
	for d := first; d.Month() == first.Month(); d = d.AddDate(0, 0, 1) {
		key := d.Format(time.DateOnly)
		if key > last {
			break
		}
		rows = append(rows, raw{key, key, c.day[key]})
	}
	t := c.table("verify_day")
	t.Month, t.Title = month, i18n.T(c.o.Lang, "stats.title.verify_day", month)
	return publish(t, rows)
}

// monthRange fills the gaps between the first and last month.
func monthRange(sorted []string) []string {
	if len(sorted) == 0 {
		return nil
	}
	first, err1 := time.Parse("2006-01", sorted[0])
	last, err2 := time.Parse("2006-01", sorted[len(sorted)-1])
	if err1 != nil || err2 != nil {
		return sorted
	}
	var out []string
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}
