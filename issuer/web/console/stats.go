package console

import (
	"html/template"
	"net/http"
	"sync"
	"time"

	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/lima"
	"github.com/minedu-cla/cla/issuer/stats"
)

// Anonymised statistics (auditors and admins): issuances by department,
// year, level and requester; verifications by month and by day; every
// cell below 10 suppressed (issuer/stats); charts drawn on the server as
// SVG, no script; the whole report as CSV.

func (s *server) statsRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/estadisticas", s.staffOnly(auditors, s.getStats))
	mux.HandleFunc("GET /admin/estadisticas.csv", s.staffOnly(auditors, s.getStatsCSV))
}

// statsCache keeps a computed report a minute: computing reads every
// constancia (seconds at a million), and a page view must not.
type statsCache struct {
	mu     sync.Mutex
	key    string
	at     time.Time
	report *stats.Report
}

const statsTTL = time.Minute

// report computes (or reuses) the report in l up to until.
func (s *server) report(r *http.Request, l i18n.Lang, until time.Time) (*stats.Report, error) {
	key := string(l) + until.Format(time.RFC3339)
	now := s.Now()
	s.statsCache.mu.Lock()
	defer s.statsCache.mu.Unlock()
	if c := &s.statsCache; c.report != nil && c.key == key && now.Sub(c.at) < statsTTL {
		return c.report, nil
	}
	rep, err := s.Manage.Statistics(r.Context(), stats.Options{Places: s.Catalogue, Lang: l, Until: until})
	if err != nil {
		return nil, err
	}
	s.statsCache.key, s.statsCache.at, s.statsCache.report = key, now, rep
	return rep, nil
}

// until reads the period: "mes" (default) counts up to the end of last
// month — a closed period, which is what may be published; "hoy" up to
// the start of today.
func (s *server) until(r *http.Request) (time.Time, string) {
	now := s.Now().In(lima.Zone)
	if r.URL.Query().Get("hasta") == "hoy" {
		return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, lima.Zone), "hoy"
	}
	return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, lima.Zone), "mes"
}

type statsView struct {
	Period, Until string
	Tables        []statsTable
}

type statsTable struct {
	ID, Title, Heading, Total string
	Chart                     template.HTML
	Rows                      []statsRow
}

type statsRow struct{ Label, Count string }

func (s *server) getStats(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	l := s.Lang(w, r)
	until, period := s.until(r)
	rep, err := s.report(r, l, until)
	if err != nil {
		s.Log.Error("statistics", "err", err)
		s.adminFail(w, r, ss, http.StatusServiceUnavailable, "web.refusal.unavailable")
		return
	}
	p, _ := s.adminPage(w, r, ss, "admin.stats.title", "estadisticas")
	v := &statsView{Period: period, Until: until.AddDate(0, 0, -1).Format("2006-01-02")}
	// Days are listed for the newest month only; the CSV has them all.
	lastMonth := ""
	for _, t := range rep.Tables {
		if t.ID == "verify_day" && t.Month > lastMonth {
			lastMonth = t.Month
		}
	}
	for i := range rep.Tables {
		t := &rep.Tables[i]
		if t.ID == "verify_day" && t.Month != lastMonth {
			continue
		}
		chart, err := t.InlineSVG()
		if err != nil {
			s.Log.Error("chart", "table", t.ID, "err", err)
		}
		st := statsTable{ID: t.ID + t.Month, Title: t.Title, Heading: t.Heading, Total: t.Total.Text(l), Chart: chart}
		for _, row := range t.Rows {
			st.Rows = append(st.Rows, statsRow{Label: row.Label, Count: row.Cell.Text(l)})
		}
		v.Tables = append(v.Tables, st)
	}
	p.Data = v
	s.Render(w, r, http.StatusOK, "admin_stats", p)
}

func (s *server) getStatsCSV(w http.ResponseWriter, r *http.Request, ss *staffSession) {
	l := s.Lang(w, r)
	until, period := s.until(r)
	rep, err := s.report(r, l, until)
	if err != nil {
		s.Log.Error("statistics", "err", err)
		s.adminFail(w, r, ss, http.StatusServiceUnavailable, "web.refusal.unavailable")
		return
	}
	s.audit(r.Context(), ss, audit.StatsExport, "all", "until", until.Format("2006-01-02"), "period", period)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="estadisticas-`+until.AddDate(0, 0, -1).Format("2006-01-02")+`.csv"`)
	if err := rep.WriteCSV(w); err != nil {
		s.Log.Error("statistics csv", "err", err)
	}
}
