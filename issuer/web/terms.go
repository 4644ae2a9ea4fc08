package web

import (
	"net/http"
	"time"

	"github.com/minedu-cla/cla/issuer/lima"
)

// TermsVersion is the version of the terms in force: the one the request
// pages show, a requester accepts, and the issuer stores with the time.
const TermsVersion = "2026-12"

// A TermsRelease is one published version of the terms and the day it
// took effect (Lima). Each version's text stays embedded and readable at
// /privacidad?version=…, so anyone can read what they accepted.
type TermsRelease struct {
	Version string
	Since   time.Time
}

// TermsReleases are every version, newest (in force) first; the
// catalogue says what each changed (web.terms.changes.<version>).
var TermsReleases = []TermsRelease{
	{Version: TermsVersion, Since: time.Date(2026, 12, 3, 0, 0, 0, 0, lima.Zone)},
	{Version: "2026-11", Since: time.Date(2026, 11, 1, 0, 0, 0, 0, lima.Zone)},
}

// TermsAnnounced is how long the pages announce a new version (the terms
// say changes are communicated through the platform: sixty days).
const TermsAnnounced = 60 * 24 * time.Hour

// termsView is one version as the pages list it.
type termsView struct {
	Version, Since string
	Current, Shown bool
}

// announce is the version in force while it is new, or nil.
func (s *Server) announce() *termsView {
	cur := TermsReleases[0]
	now := s.Now()
	if len(TermsReleases) < 2 || now.Before(cur.Since) || !now.Before(cur.Since.Add(TermsAnnounced)) {
		return nil
	}
	return &termsView{Version: cur.Version, Since: cur.Since.Format("2006-01-02"), Current: true}
}

func (s *Server) privacy(w http.ResponseWriter, r *http.Request) {
	p, _ := s.NewPage(w, r, "web.privacy", "privacy")
	shown := TermsVersion
	if v := r.URL.Query().Get("version"); v != "" {
		shown = ""
		for _, t := range TermsReleases {
			if t.Version == v {
				shown = v
			}
		}
		if shown == "" {
			s.Fail(w, r, http.StatusNotFound, "web.err.terms.version")
			return
		}
	}
	p.TermsShown = shown
	for _, t := range TermsReleases {
		p.Versions = append(p.Versions, termsView{Version: t.Version, Since: t.Since.Format("2006-01-02"),
			Current: t.Version == TermsVersion, Shown: t.Version == shown})
	}
	s.Render(w, r, http.StatusOK, "privacy", p)
}
