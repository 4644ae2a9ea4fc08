package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/verifier"
)

// printResult writes a result for people: the verdict in words first (never
// a colour alone), then who and what, then the key and trust data.
func (c *cli) printResult(r verifier.Result) {
	l := c.cfg.lang
	t := func(key string, args ...any) string { return i18n.T(l, key, args...) }
	mark := "✘"
	switch r.Status {
	case credential.Valid:
		mark = "✔"
	case credential.Stale:
		mark = "?"
	}
	if r.Page > 0 {
		fmt.Fprintln(c.stdout, t("result.page", r.Source, r.Page))
	} else {
		fmt.Fprintln(c.stdout, r.Source)
	}
	fmt.Fprintf(c.stdout, "  %s %s: %s\n", mark, t("status."+string(r.Status)), t(r.HelpKey()))
	if r.Reason != "" {
		fmt.Fprintf(c.stdout, "  %s\n", t("reason."+r.Reason))
	}
	if k := r.Constancia; k != nil {
		fmt.Fprintf(c.stdout, "  %s\n", t("cli.student", k.Student.FullName, k.Student.DocType, k.Student.DocNumber))
		fmt.Fprintf(c.stdout, "  %s\n", t("cli.code", k.Code, k.IssuedAt.Format("2006-01-02"), k.Issuer))
		fmt.Fprintf(c.stdout, "  %s\n", t("cli.years", yearsText(l, k.Years)))
		if k.Record != nil {
			fmt.Fprintf(c.stdout, "  %s\n", t("cli.record", len(k.Record.Years)))
		}
	}
	if r.Key != nil {
		status := t("keys.status." + r.Key.Status)
		if r.Trust.KeysOnly {
			fmt.Fprintf(c.stdout, "  %s\n", t("cli.keysonly", r.Key.ID, status))
		} else {
			age, ksAge := duration(l, r.Trust.Age), duration(l, r.Trust.KeysetAge)
			if r.ClockBehind() {
				age, ksAge = t("dur.unknown"), t("dur.unknown")
			}
			if r.Trust.StatusSeq == 0 {
				fmt.Fprintf(c.stdout, "  %s\n", t("app.result.keyonly", r.Key.ID, status, r.Trust.KeysetSeq, ksAge))
			} else {
				fmt.Fprintf(c.stdout, "  %s\n", t("cli.key", r.Key.ID, status, r.Trust.KeysetSeq, ksAge, r.Trust.StatusSeq, age))
			}
		}
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(c.stdout, "  %s\n", t("cli.warning", t("warn."+w)))
	}
	// Detail is the engine's technical English: shown in English only
	// (no English in Spanish or Quechua output; --json always has it).
	if r.Detail != "" && r.Status != credential.Valid && l == i18n.EN {
		fmt.Fprintf(c.stdout, "  %s\n", t("cli.detail", r.Detail))
	}
}

func yearsText(l i18n.Lang, years []verifier.Year) string {
	var parts []string
	for _, y := range years {
		grade := i18n.T(l, "grade.n", y.Grade)
		if y.Level == credential.Inicial.String() {
			grade = i18n.T(l, "grade.age", y.Grade)
		}
		parts = append(parts, fmt.Sprintf("%d %s %s (%s)", y.Year, i18n.T(l, "level."+y.Level), grade, i18n.T(l, "result."+y.Result)))
	}
	return strings.Join(parts, "; ")
}

// duration says an age the way people do: minutes, hours or days.
func duration(l i18n.Lang, d time.Duration) string {
	switch {
	case d < time.Hour:
		return i18n.T(l, "dur.minutes", int(d.Minutes()))
	case d < 48*time.Hour:
		return i18n.T(l, "dur.hours", int(d.Hours()))
	}
	return i18n.T(l, "dur.days", int(d.Hours()/24))
}
