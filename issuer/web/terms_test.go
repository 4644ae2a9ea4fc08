package web_test

import (
	"html"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/minedu-cla/cla/assets"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/web"
)

// seedTerms is the ministry's published terms and conditions of the
// platform (the repository's ../shared/seed), which the pages must carry.
const seedTerms = "../../../shared/seed/000_f67de03a35265ec6.txt"

// adapted are the seed's lines the Spanish text does not carry word for
// word, each with why: the product does more, or the seed has a slip.
// Every other line of the seed must be in it verbatim.
var adapted = map[string]string{
	"Para la primera etapa, durante el año 2020,":                       "the first stage (2020) is over: every EBR student from 2013 on",
	"Para acceder a este servicio se debe ingresar al siguiente enlace": "the links are this platform's own (/solicitar, /verificar, with /request and /validate)",
	"La información no será transferida a ninguna otra entidad":         "the seed itself allows sharing under Leyes 27806 and 27444 below: said so here",
	"Informado, al haberse comunica de forma":                           "typos fixed (comunicado, domicilio)",
	"Para el ejercicio de los derechos de rectificación":                "access added to rectification, cancellation and opposition (the console answers it)",
	"(1) Emisión de la CLA:":                                            "heading: 'De los servicios: (1) Emisión de la CLA'",
	"(2) Verificación de la CLA:":                                       "heading: 'De los servicios: (2) Verificación de la CLA'",
	"PLATAFORMA para la CONSTANCIA":                                     "title",
}

// plain is an HTML text as words: tags dropped, entities decoded, spaces
// collapsed, and the seed's "N°" spelling kept.
func plain(s string) string {
	s = regexp.MustCompile(`</?(strong|em|a)\b[^>]*>`).ReplaceAllString(s, "")
	s = regexp.MustCompile(`<[^>]+>`).ReplaceAllString(s, " ")
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

func termsText(t *testing.T, version string, l i18n.Lang) string {
	t.Helper()
	b, err := assets.Templates.ReadFile("templates/terms/" + version + "/" + string(l) + ".html")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestTermsCarryTheSeed: every line of the ministry's terms is in the
// Spanish text word for word, or listed in adapted with the reason.
func TestTermsCarryTheSeed(t *testing.T) {
	raw, err := os.ReadFile(seedTerms)
	if err != nil {
		t.Fatal(err)
	}
	seed := string(raw)
	if i := strings.Index(seed, "ENLACE:"); i > 0 {
		seed = seed[:i] // the rest is the blog the seed was copied from
	}
	es := plain(termsText(t, web.TermsVersion, i18n.ES))
	used := map[string]bool{}
	lines := 0
	for _, line := range strings.Split(seed, "\n") {
		line = strings.TrimSpace(line)
		line = strings.TrimPrefix(line, "• ")
		line = regexp.MustCompile(`^\d+\. `).ReplaceAllString(line, "")
		line = strings.Join(strings.Fields(line), " ")
		line = strings.ReplaceAll(line, "www.constancia.minedu.gob.pe", "")
		if line == "" {
			continue
		}
		lines++
		if strings.Contains(es, line) {
			continue
		}
		ok := false
		for prefix := range adapted {
			if strings.HasPrefix(line, prefix) {
				used[prefix], ok = true, true
			}
		}
		if !ok {
			t.Errorf("the Spanish terms do not carry: %q", line)
		}
	}
	for prefix, why := range adapted {
		if !used[prefix] {
			t.Errorf("adapted %q (%s) matches no line the text lacks: drop it", prefix, why)
		}
	}
	if lines < 100 {
		t.Fatalf("only %d lines read from the seed", lines)
	}
}

// clauses are the terms' sections, in order, with what each must say in
// every language: the facts no translation changes (laws, the data bank,
// the address, the office, the deadline) and each language's own words.
var clauses = []struct {
	id    string
	facts []string
	words map[i18n.Lang][]string
}{
	{"c-presentacion", nil, map[i18n.Lang][]string{
		i18n.ES: {"plenamente y sin reservas", "Política de privacidad", "Condiciones de uso"},
		i18n.EN: {"fully and without reservation", "Privacy policy", "Conditions of use"},
		i18n.QU: {"Política de privacidad", "Condiciones de uso", "chaskinayki"}}},
	{"c-marco", []string{"27806", "28044", "29733", "011-2012-ED", "003-2013-JUS", "001-2015-MINEDU", "004-2019-JUS", "27444"}, nil},
	{"c-constancia", []string{"2013"}, map[i18n.Lang][]string{
		i18n.ES: {"Educación Básica Regular"}, i18n.EN: {"Regular Basic Education"}, i18n.QU: {"Educación Básica Regular"}}},
	{"c-emision", []string{"/solicitar", "/request", "RENIEC", "SIAGIE", "patria potestad", "Migraciones"}, map[i18n.Lang][]string{
		i18n.ES: {"aceptar el uso de cookies", "datos sensibles", "Código modular"},
		i18n.EN: {"accept the use of cookies", "sensitive data", "modular code"},
		i18n.QU: {"cookiekunata", "datos sensibles", "código modular"}}},
	{"c-verificacion", []string{"/verificar", "/validate"}, map[i18n.Lang][]string{
		i18n.ES: {"aceptar el uso de cookies", "puede verificar igual"},
		i18n.EN: {"accept the use of cookies", "can still verify"},
		i18n.QU: {"cookiekunata", "chiqaqchayta atinkim"}}},
	{"c-banco", []string{"db_micertificado", "Del Comercio N° 193", "San Borja", "Lima"}, map[i18n.Lang][]string{
		i18n.ES: {"período indefinido"}, i18n.EN: {"indefinite period"}, i18n.QU: {"mana tukukuq pachapaq"}}},
	{"c-finalidad", []string{"db_micertificado"}, map[i18n.Lang][]string{
		i18n.ES: {"fines estadísticos"}, i18n.EN: {"statistical purposes"}, i18n.QU: {"estadísticakunapaq"}}},
	{"c-seguridad", []string{"OTIC", "db_micertificado"}, map[i18n.Lang][]string{
		i18n.ES: {"confidencialidad"}, i18n.EN: {"confidentiality"}, i18n.QU: {"pakallapi"}}},
	{"c-compartir", []string{"27806", "27444"}, nil},
	{"c-derechos", []string{"OTIC", "Del Comercio N° 193", "San Borja"}, map[i18n.Lang][]string{
		i18n.ES: {"rectificación", "cancelación", "oposición", "acceso", "firma"},
		i18n.EN: {"rectification", "cancellation", "opposition", "access", "signature"},
		i18n.QU: {"allichanapaq", "qullunchanapaq", "mana munanapaq", "Qawanapaq", "firma"}}},
	{"c-retiro", nil, map[i18n.Lang][]string{
		i18n.ES: {"retirar el consentimiento", "licitud"}, i18n.EN: {"withdraw the consent", "lawfulness"},
		i18n.QU: {"consentimientota", "kutichiyta"}}},
	{"c-reclamo", []string{"Autoridad Nacional de Protección de Datos Personales"}, nil},
	{"c-plazo", []string{"OTIC", "(08)"}, map[i18n.Lang][]string{
		i18n.ES: {"ocho (08) días", "día siguiente"}, i18n.EN: {"eight (08) days", "day after"},
		i18n.QU: {"pusaq (08) p'unchaw", "qhipan p'unchaw"}}},
	{"c-modificaciones", []string{"(60)"}, map[i18n.Lang][]string{
		i18n.ES: {"comunicado a través de la PLATAFORMA"}, i18n.EN: {"announced on the PLATFORM"},
		i18n.QU: {"PLATAFORMApi willakunqa"}}},
	{"c-responsabilidades", nil, map[i18n.Lang][]string{
		i18n.ES: {"no es responsable", "Ministerio de Justicia"}, i18n.EN: {"is not responsible", "Ministry of Justice"},
		i18n.QU: {"manam kutichinchu", "Ministerio de Justicia"}}},
	{"c-delitos", []string{"30096", "635", "XIX", "Fe Pública"}, nil},
	{"c-cookies", nil, map[i18n.Lang][]string{
		i18n.ES: {"antes de que usted la acepte", "por su código virtual"},
		i18n.EN: {"before you accept", "by its virtual code"},
		i18n.QU: {"mana chaskisqaykiqa", "virtual códigonwan"}}},
	{"c-consentimiento", nil, map[i18n.Lang][]string{
		i18n.ES: {"Libre", "Previo", "Informado", "Expreso e inequívoco"},
		i18n.EN: {"Free", "Prior", "Informed", "Express and unequivocal"},
		i18n.QU: {"libre", "previo", "informado", "expreso e inequívoco"}}},
}

// TestTermsClauseByClause: each clause is in each language, in the same
// order, says its facts and its words, and lists as many items (the data
// asked, the request's four contents…) as the Spanish.
func TestTermsClauseByClause(t *testing.T) {
	section := regexp.MustCompile(`(?s)<section id="(c-[a-z]+)">(.*?)</section>`)
	var esItems map[string]int
	for _, l := range i18n.Langs {
		text := termsText(t, web.TermsVersion, l)
		found := section.FindAllStringSubmatch(text, -1)
		if len(found) != len(clauses) {
			t.Errorf("%s: %d clauses, want %d", l, len(found), len(clauses))
		}
		items := map[string]int{}
		for i, c := range clauses {
			if i >= len(found) || found[i][1] != c.id {
				t.Errorf("%s: clause %d is not %s", l, i+1, c.id)
				continue
			}
			body := plain(found[i][2])
			for _, f := range append(append([]string{}, c.facts...), c.words[l]...) {
				if !strings.Contains(body, f) {
					t.Errorf("%s %s: lacks %q", l, c.id, f)
				}
			}
			items[c.id] = strings.Count(found[i][2], "<li>")
		}
		if l == i18n.ES {
			esItems = items
			if items["c-derechos"] != 4 || items["c-marco"] != 7 || items["c-consentimiento"] != 4 {
				t.Errorf("es: the request's contents, the framework or consent's qualities are not all listed: %v", items)
			}
			continue
		}
		for id, n := range esItems {
			if items[id] != n {
				t.Errorf("%s %s: %d items, Spanish has %d", l, id, items[id], n)
			}
		}
	}
}

// TestTermsVersions: the version in force is announced for sixty days,
// each version stays readable, and only the one in force is accepted.
func TestTermsVersions(t *testing.T) {
	h := newHarness(t, web.Limits{})
	b := h.browser(t)
	cur := web.TermsReleases[0]
	h.advance(cur.Since.Add(24 * time.Hour).Sub(now)) // the day after it took effect
	announce := i18n.T(i18n.ES, "web.terms.announce", cur.Since.Format("2006-01-02"), cur.Version)
	for _, p := range []string{"/", "/verificar", "/solicitar"} {
		if page := must(b.Get(p)); !strings.Contains(page, announce) {
			t.Errorf("%s does not announce the new terms", p)
		}
	}
	_, page, _ := b.Get("/privacidad")
	for _, r := range web.TermsReleases {
		if !strings.Contains(page, i18n.T(i18n.ES, "web.terms.changes."+r.Version)) {
			t.Errorf("the privacy page does not say what %s changed", r.Version)
		}
	}
	if !strings.Contains(page, `href="/privacidad?version=2026-11"`) || !strings.Contains(page, "(versión "+web.TermsVersion+")") {
		t.Error("the privacy page does not show the text in force or link the earlier one")
	}
	if _, old, _ := b.Get("/privacidad?version=2026-11"); !strings.Contains(old, "(versión 2026-11)") {
		t.Error("the earlier version is not readable")
	}
	if st, _, _ := b.Get("/privacidad?version=2020-01"); st != http.StatusNotFound {
		t.Errorf("an unknown version: %d", st)
	}
	// Accepting an earlier version (a page left open across a change) is
	// refused; the version in force is the one stored.
	tok := csrf(t, must(b.Get("/solicitar")))
	if st, page, _ := b.Post("/solicitar/terminos", url.Values{"csrf": {tok}, "accept": {"2026-11"}}); st != http.StatusUnprocessableEntity ||
		!strings.Contains(page, i18n.T(i18n.ES, "web.err.terms")) {
		t.Errorf("accepting an earlier version: %d", st)
	}
	h.advance(web.TermsAnnounced)
	if page := must(b.Get("/")); strings.Contains(page, `class="announce"`) {
		t.Error("the change is still announced after sixty days")
	}
}
