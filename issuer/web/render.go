package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"

	"github.com/minedu-cla/cla/assets"
	"github.com/minedu-cla/cla/i18n"
)

// page is what every template sees.
type Page struct {
	Lang         string
	Title        string
	Nav          string
	CSRF         string
	TermsVersion string
	LangLinks    []langLink
	// Suggest offers the browser's preferred language (Accept-Language)
	// when the page is in another and no choice was made.
	Suggest *langLink
	Step    int
	Errors  []string
	Form    *formView
	Preview *YearsView
	Done    *doneView
	Result  *resultView
	Code    string
	Message string
	// Staff and Data are the admin console's: who is signed in, and the
	// screen's own view.
	Staff any
	Data  any
	// Cookies is the person's choice: "si", "no" (declined on this visit)
	// or "" (not asked: the notice shows). Carry is the query the page's
	// own links keep while no cookie may remember it; Back, the page the
	// notice returns to.
	Cookies, Carry, Back string
	Chosen               bool // the language was chosen (not the default)
	// Browser: the browser verifier (/V) is built in; /verificar links to it.
	Browser bool
	// Announce is the terms version in force while it is new.
	Announce *termsView
	// TermsShown and Versions are the privacy page's: the version shown
	// and every published one.
	TermsShown string
	Versions   []termsView
}

type langLink struct {
	Code, Label, URL string
	Current          bool
}

var langLabels = map[i18n.Lang]string{i18n.ES: "Español", i18n.EN: "English", i18n.QU: "Runasimi"}

// renderer holds the parsed pages.
type renderer struct {
	pages map[string]*template.Template
	terms map[string]template.HTML
}

var pageFiles = []string{"home", "terms", "form", "preview", "done", "verify", "result", "error", "privacy"}

// adminFiles are the console's pages, on their own layout.
var adminFiles = []string{"admin_login", "admin_home", "admin_error", "admin_users", "admin_constancias",
	"admin_requests", "admin_request", "admin_keys", "admin_job", "admin_audit", "admin_stats", "admin_stepup", "admin_access", "admin_revoke"}

func newRenderer() (*renderer, error) {
	funcs := template.FuncMap{
		"t": func(lang, key string, args ...any) string { return i18n.T(i18n.Lang(lang), key, args...) },
	}
	r := &renderer{pages: map[string]*template.Template{}, terms: map[string]template.HTML{}}
	for _, t := range TermsReleases {
		for _, l := range i18n.Langs {
			b, err := assets.Templates.ReadFile("templates/terms/" + t.Version + "/" + string(l) + ".html")
			if err != nil {
				return nil, err
			}
			r.terms[t.Version+"/"+string(l)] = template.HTML(b) // our own embedded file, not input
		}
	}
	// terms is the text of a version (the one in force without one).
	funcs["terms"] = func(lang string, version ...string) template.HTML {
		v := TermsVersion
		if len(version) > 0 && version[0] != "" {
			v = version[0]
		}
		return r.terms[v+"/"+lang]
	}
	for _, name := range pageFiles {
		t, err := template.New(name).Funcs(funcs).ParseFS(assets.Templates,
			"templates/layout.html", "templates/steps.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		r.pages[name] = t
	}
	for _, name := range adminFiles {
		t, err := template.New(name).Funcs(funcs).ParseFS(assets.Templates,
			"templates/admin_layout.html", "templates/steps.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		r.pages[name] = t
	}
	return r, nil
}

// render writes page name with status. It renders to a buffer first, so a
// template error never sends half a page.
func (rd *renderer) render(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) {
	p.LangLinks = langLinks(r, i18n.Lang(p.Lang))
	var buf bytes.Buffer
	if err := rd.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// langLinks links the current page in each language (?lang=…).
func langLinks(r *http.Request, cur i18n.Lang) []langLink {
	var out []langLink
	for _, l := range i18n.Langs {
		out = append(out, langLink{Code: string(l), Label: langLabels[l], URL: langURL(r, l), Current: l == cur})
	}
	return out
}

// langURL is this page in language l (the home page after a POST).
func langURL(r *http.Request, l i18n.Lang) string {
	u := url.URL{Path: r.URL.Path}
	if r.Method != http.MethodGet {
		u.Path = "/"
	}
	q := url.Values{"lang": {string(l)}}
	if r.URL.Query().Get("cookies") == declined && !cookiesAccepted(r) {
		q.Set("cookies", declined)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Render writes page name with p (an error page if the template fails).
func (s *Server) Render(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) {
	s.rd.render(w, r, status, name, p)
}
