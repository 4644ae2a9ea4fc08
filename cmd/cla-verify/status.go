package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/setup"
	"github.com/minedu-cla/cla/verifier/store"
	"github.com/minedu-cla/cla/verifier/trust"
)

// trustStatus is what `cla-verify status` reports (its --json form too).
type trustStatus struct {
	Store          string          `json:"store"`
	Roots          int             `json:"roots"`
	RootKeys       []setup.Root    `json:"root_keys"`
	RootsFile      string          `json:"roots_file"`
	KeysetSeq      uint64          `json:"keyset_seq,omitempty"`
	KeysetIssued   time.Time       `json:"keyset_issued_at,omitzero"`
	KeysetExpires  time.Time       `json:"keyset_expires_at,omitzero"`
	Keys           int             `json:"keys,omitempty"`
	StatusSeq      uint64          `json:"status_seq,omitempty"`
	StatusIssued   time.Time       `json:"status_issued_at,omitzero"`
	Revoked        int             `json:"revoked,omitempty"`
	Size           uint64          `json:"status_list_size,omitempty"`
	AgeSeconds     int64           `json:"age_seconds,omitempty"`
	Floor          time.Time       `json:"time_floor,omitzero"`
	Sync           store.SyncInfo  `json:"sync"`
	Freshness      trust.Freshness `json:"freshness"`
	SoftLimitHours int             `json:"soft_limit_hours"`
	HardLimitHours int             `json:"hard_limit_hours"`
}

func statusInfo(e *verifier.Engine, now time.Time) trustStatus {
	st, lim := e.State(), e.Limits()
	s := trustStatus{Roots: len(st.Roots()), Floor: st.Floor, Sync: e.SyncInfo(),
		Freshness: st.Freshness(now, lim), SoftLimitHours: int(lim.Soft.Hours()), HardLimitHours: int(lim.Hard.Hours())}
	if st.Keyset != nil {
		s.KeysetSeq, s.KeysetIssued, s.KeysetExpires, s.Keys = st.Keyset.Seq, st.Keyset.IssuedAt, st.Keyset.ExpiresAt, len(st.Keyset.Keys)
	}
	if st.List != nil {
		s.StatusSeq, s.StatusIssued, s.Revoked, s.Size = st.List.Seq, st.List.IssuedAt, st.List.Count(), st.List.Size()
		s.AgeSeconds = int64(max(now.Sub(st.List.IssuedAt), 0).Seconds())
	}
	return s
}

func (c *cli) printStatus(s trustStatus) {
	l := c.cfg.lang
	t := func(key string, args ...any) string { return i18n.T(l, key, args...) }
	day := func(tm time.Time) string { return tm.Format("2006-01-02 15:04 MST") }
	fmt.Fprintln(c.stdout, t("trust.store", s.Store))
	fmt.Fprintln(c.stdout, t("trust.roots", s.Roots))
	c.printRoots(s.RootKeys)
	if s.KeysetSeq == 0 {
		fmt.Fprintln(c.stdout, t("trust.none"))
	} else {
		fmt.Fprintln(c.stdout, t("trust.keyset", s.KeysetSeq, day(s.KeysetIssued), day(s.KeysetExpires), s.Keys))
		if s.StatusSeq == 0 {
			fmt.Fprintln(c.stdout, t("trust.nolist"))
		} else {
			fmt.Fprintln(c.stdout, t("trust.list", s.StatusSeq, day(s.StatusIssued),
				duration(l, time.Duration(s.AgeSeconds)*time.Second), s.Revoked, s.Size))
		}
	}
	when, from := t("trust.never"), s.Sync.Source
	if !s.Sync.LastSuccess.IsZero() {
		when = day(s.Sync.LastSuccess)
	}
	if from == "" {
		from = "-"
	}
	fmt.Fprintln(c.stdout, t("trust.sync", when, from))
	if s.Sync.LastError != "" {
		fmt.Fprintln(c.stdout, t("trust.syncerr", s.Sync.LastError))
	}
	days := func(h int) int { return h / 24 }
	switch f := s.Freshness; {
	case f.Stale:
		fmt.Fprintln(c.stdout, t("trust.stale", t("reason."+f.Reason)))
	case f.Old:
		fmt.Fprintln(c.stdout, t("trust.old", days(s.SoftLimitHours), days(s.HardLimitHours)))
	default:
		fmt.Fprintln(c.stdout, t("trust.fresh", days(s.SoftLimitHours), days(s.HardLimitHours)))
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
