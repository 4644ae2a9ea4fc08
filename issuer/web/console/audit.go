package console

import (
	"encoding/hex"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/audit"

	"github.com/minedu-cla/cla/issuer/lima"
)

// The audit trail (auditors and admins): the chain check, the newest
// entries, and the whole trail as JSON Lines. Reading it is itself
// recorded.

func (s *server) auditRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/auditoria", s.staffOnly(auditors, s.getAudit))
	mux.HandleFunc("GET /admin/auditoria/export.jsonl", s.staffOnly(auditors, s.getAuditExport))
}

// recentEntries is how many of the newest entries the page lists.
const recentEntries = 100

type auditView struct {
	Checked  bool
	OK       bool
	Entries  uint64
	Problems uint64
	First    string
	Head     string
	Rows     []auditRow
}

type auditRow struct {
	Seq                       uint64
	Time, Actor, Role, Action string
	Target, Details           string
	Broken                    bool
}

// getAudit lists the newest entries; with ?comprobar=1 it first walks
// the whole chain (about 1.6 µs an entry: seconds for millions, so only
// when asked).
func (s *server) getAudit(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	p, l := s.adminPage(w, r, ss, "admin.audit.title", "auditoria")
	v := &auditView{}
	var rep audit.Report
	if r.URL.Query().Get("comprobar") == "1" {
		var err error
		if rep, err = s.Manage.CheckAudit(r.Context()); err != nil {
			s.Log.Error("audit check", "err", err)
			s.adminFail(w, r, ss, http.StatusServiceUnavailable, "web.refusal.unavailable")
			return
		}
		result := "ok"
		if !rep.OK() {
			result = rep.First.String()
		}
		s.audit(r.Context(), ss, audit.AuditCheck, "", "entries", strconv.FormatUint(rep.Entries, 10), "result", truncate(result, 200))
		v.Checked, v.OK, v.Entries, v.Problems, v.Head = true, rep.OK(), rep.Entries, rep.Problems, hex.EncodeToString(rep.Head)
		if !rep.OK() {
			v.First = i18n.T(l, "admin.audit.fault."+string(rep.First.Fault), rep.First.Seq)
		}
	}
	lines, err := s.Manage.RecentAudit(r.Context(), recentEntries)
	for _, line := range lines {
		e := line.Entry
		if e == nil {
			v.Rows = append(v.Rows, auditRow{Seq: line.Seq, Action: "?", Broken: true})
			continue
		}
		var d []string
		for k, val := range e.Details {
			d = append(d, k+"="+val)
		}
		sort.Strings(d)
		v.Rows = append(v.Rows, auditRow{Seq: e.Seq, Time: e.Time.In(lima.Zone).Format("2006-01-02 15:04:05"),
			Actor: e.Actor, Role: e.Role, Action: string(e.Action), Target: e.Target, Details: strings.Join(d, " "),
			Broken: rep.First != nil && e.Seq == rep.First.Seq})
	}
	if err != nil {
		s.Log.Error("audit entries", "err", err)
	}
	// Newest first.
	for i, j := 0, len(v.Rows)-1; i < j; i, j = i+1, j-1 {
		v.Rows[i], v.Rows[j] = v.Rows[j], v.Rows[i]
	}
	p.Data = v
	s.Render(w, r, http.StatusOK, "admin_audit", p)
}

func (s *server) getAuditExport(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	s.audit(r.Context(), ss, audit.AuditExport, "")
	w.Header().Set("Content-Type", "application/jsonl; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="auditoria-`+s.Now().In(lima.Zone).Format("20060102-150405")+`.jsonl"`)
	if err := s.Manage.ExportAudit(r.Context(), w); err != nil {
		// Headers are gone; the cut file fails the auditor's own check.
		s.Log.Error("audit export", "err", err)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
