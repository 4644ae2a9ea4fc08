package web

import (
	"errors"
	"net/mail"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/issuance"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/ubigeo"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// formView is the request form as typed, with its field errors.
type formView struct {
	Who               string
	Student, Guardian personView
	Email, EmailErr   string
}

type personView struct {
	Lang, P                      string // P: "student" or "guardian", the field prefix
	DocType, Doc, Father, Mother string
	DocErr, FatherErr, MotherErr string
	AllowCode                    bool
	Picker                       pickerView
}

type pickerView struct {
	Lang, P            string
	Deps, Provs, Dists []option
	Err                string
}

type option struct {
	Code     ubigeo.Code
	Name     string
	Selected bool
}

// MaxName caps a typed name: RENIEC's longest fields are ~40 characters.
const MaxName = 100

func newFormView(lang string, cat *ubigeo.Catalogue) *formView {
	f := &formView{} // who asks is chosen, not assumed: until then, no JavaScript shows both parts
	f.Student = personView{Lang: lang, P: "student", DocType: "DNI", AllowCode: true}
	f.Guardian = personView{Lang: lang, P: "guardian", DocType: "DNI"}
	f.Student.Picker = picker(lang, "student", cat, "", "", "")
	f.Guardian.Picker = picker(lang, "guardian", cat, "", "", "")
	return f
}

// readForm reads the posted form into a view (keeping what was typed, so
// nothing is lost when the page comes back with errors).
func readForm(lang string, v url.Values, cat *ubigeo.Catalogue) *formView {
	f := &formView{Who: v.Get("who"), Email: strings.TrimSpace(v.Get("email"))}
	if f.Who != "guardian" {
		f.Who = "adult"
	}
	f.Student = readPerson(lang, "student", v, cat)
	f.Student.AllowCode = true
	f.Guardian = readPerson(lang, "guardian", v, cat)
	return f
}

func readPerson(lang, p string, v url.Values, cat *ubigeo.Catalogue) personView {
	pv := personView{Lang: lang, P: p, DocType: v.Get(p + "_doctype"), Doc: strings.TrimSpace(v.Get(p + "_doc")),
		Father: strings.TrimSpace(v.Get(p + "_father")), Mother: strings.TrimSpace(v.Get(p + "_mother"))}
	pv.Picker = picker(lang, p, cat, v.Get(p+"_dep"), v.Get(p+"_prov"), v.Get(p+"_dist"))
	return pv
}

// picker builds the three lists for the chosen codes. A chosen district
// fixes its province and department (the codes nest).
func picker(lang, p string, cat *ubigeo.Catalogue, dep, prov, dist string) pickerView {
	pv := pickerView{Lang: lang, P: p}
	if d := ubigeo.Code(dist); len(dist) == 6 && cat.IsDistrict(d) && (prov == "" || d.Province() == ubigeo.Code(prov)) {
		prov, dep = string(d.Province()), string(d.Department())
	} else {
		dist = ""
	}
	if c := ubigeo.Code(prov); len(prov) == 6 && c.Department() != ubigeo.Code(dep) {
		prov, dist = "", ""
	}
	pv.Deps = options(cat.Departments(), dep)
	if dep != "" {
		pv.Provs = options(cat.Provinces(ubigeo.Code(dep)), prov)
	}
	if prov != "" {
		pv.Dists = options(cat.Districts(ubigeo.Code(prov)), dist)
	}
	return pv
}

func options(places []ubigeo.Place, selected string) []option {
	out := make([]option, 0, len(places))
	for _, p := range places {
		out = append(out, option{Code: p.Code, Name: p.Name, Selected: string(p.Code) == selected})
	}
	return out
}

func (pv pickerView) district() ubigeo.Code {
	for _, o := range pv.Dists {
		if o.Selected {
			return o.Code
		}
	}
	return ""
}

// request validates the form into an issuance request. It returns the
// messages to show at the top; field messages go into f.
func (f *formView) request(l i18n.Lang, termsVersion string) (issuance.Request, []string) {
	var errs []string
	add := func(target *string, key string) {
		msg := i18n.T(l, key)
		*target = msg
		errs = append(errs, msg)
	}
	req := issuance.Request{Requester: constancia.Adult, Email: f.Email, TermsVersion: termsVersion}
	if f.Who == "guardian" {
		req.Requester = constancia.Guardian
	}
	req.Student = f.Student.person(l, add)
	if req.Requester == constancia.Guardian {
		g := f.Guardian.person(l, add)
		req.Guardian = &g
	}
	if a, err := mail.ParseAddress(f.Email); err != nil || a.Address != f.Email || len(f.Email) > 254 {
		add(&f.EmailErr, "web.err.email")
	}
	return req, errs
}

func (pv *personView) person(l i18n.Lang, add func(*string, string)) issuance.Person {
	kind, err := idnum.ParseKind(pv.DocType)
	if err != nil || (kind == idnum.KindStudentCode && !pv.AllowCode) {
		kind = idnum.KindDNI
	}
	doc, err := idnum.Parse(kind, pv.Doc)
	switch {
	case errors.Is(err, idnum.ErrEmpty):
		add(&pv.DocErr, "web.err.doc.empty") // say what is wrong: nothing typed
	case errors.Is(err, idnum.ErrCheck):
		add(&pv.DocErr, "web.err.doc.check") // 8 good digits, another check character
	case err != nil:
		add(&pv.DocErr, "web.err.doc."+kind.String())
	}
	p := issuance.Person{Doc: doc}
	if kind == idnum.KindStudentCode {
		return p // no identity registry to check it against: the service explains
	}
	for _, n := range []struct {
		name string
		err  *string
	}{{pv.Father, &pv.FatherErr}, {pv.Mother, &pv.MotherErr}} {
		if utf8.RuneCountInString(n.name) > MaxName || !utf8.ValidString(n.name) {
			add(n.err, "web.err.name")
		}
	}
	p.Claim = registry.Claim{FatherNames: pv.Father, MotherNames: pv.Mother, Ubigeo: pv.Picker.district()}
	if p.Claim.Ubigeo == "" {
		add(&pv.Picker.Err, "web.err.ubigeo")
	}
	return p
}

func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}
