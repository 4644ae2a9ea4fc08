// Package stats computes the issuer's anonymised statistics: constancias
// issued by department, year, level and requester type, and verifications
// by code by month and day; with tables, CSV and SVG charts for the admin
// console.
//
// Every table is k-anonymous with K = 10: a count below 10 is never shown
// (it reads "<10"), and enough other cells are withheld that it cannot be
// worked out from the table's total either (suppress.go). The suppressed
// numbers do not leave this package: a published Cell holds a count only
// when it is shown.
package stats

import (
	"context"
	"time"

	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/store"
	"github.com/minedu-cla/cla/issuer/ubigeo"
)

// Options say what to compute.
type Options struct {
	// Places names the departments (its Departments, by RENIEC code);
	// with nil, departments are listed by code, only those in the data.
	Places *ubigeo.Catalogue
	// Lang is the language of titles and labels.
	Lang i18n.Lang
	// Until, when set, counts only what happened before it (verifications
	// by whole days before its day). Publishing closed periods only — the
	// end of last month — keeps two releases a day apart from giving away
	// one day's issuances by subtraction (docs/AUDIT.md).
	Until time.Time
}

// Report is a set of published tables.
type Report struct {
	Lang   i18n.Lang
	Tables []Table // department, year, level, requester, verify_month, then verify_day per month
}

// Table returns the table with id (and month, for verify_day), or nil.
func (r *Report) Table(id, month string) *Table {
	for i := range r.Tables {
		if t := &r.Tables[i]; t.ID == id && t.Month == month {
			return t
		}
	}
	return nil
}

// Compute brings the verification counters up to date (Tally) and builds
// the report from the store. It reads every constancia in one read
// transaction: ~3 µs each with a 13-year record, as fast as a bare read
// (BenchmarkCompute), so a million take seconds: compute on demand, or
// cache the report, rather than on every page view.
func Compute(ctx context.Context, s store.Store, o Options) (*Report, error) {
	if o.Lang == "" {
		o.Lang = i18n.ES
	}
	if err := Tally(ctx, s); err != nil {
		return nil, err
	}
	c := newCounts(o)
	err := s.View(ctx, func(tx store.Tx) error {
		if err := tx.ForEach(c.addConstancia); err != nil {
			return err
		}
		return c.addVerifications(tx)
	})
	if err != nil {
		return nil, err
	}
	return c.report(), nil
}
