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
	for _, l := range i18n.Langs {
		b, err := assets.Templates.ReadFile("templates/terms_" + string(l) + ".html")
		if err != nil {
			return nil, err
		}
		r.terms[string(l)] = template.HTML(b) // our own embedded file, not input
	}
	funcs["terms"] = func(lang string) template.HTML { return r.terms[lang] }
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
	u.RawQuery = url.Values{"lang": {string(l)}}.Encode()
	return u.String()
}

// Render writes page name with p (an error page if the template fails).
func (s *Server) Render(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) {
	s.rd.render(w, r, status, name, p)
}
