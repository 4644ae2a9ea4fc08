package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/internal/browsertest"
	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/synth"
	"github.com/minedu-cla/cla/issuer/store"
	"github.com/minedu-cla/cla/issuer/ubigeo"
	"github.com/minedu-cla/cla/issuer/web"
	"github.com/minedu-cla/cla/scan/qrfile"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// The browser tests beside TestBrowserFlows: a guardian's request for a
// minor, every form error and registry refusal, and verification by
// uploading a file. Each test starts its own issuer
// and Chromium and saves a screenshot of every page state it reaches
// (browsertest.ShotDir: $CLA_SHOTS, or a temporary folder).

// flowTimeout bounds a whole test against hangs (a selector that never
// appears must fail, not hang); the tests themselves take seconds.
const flowTimeout = 150 * time.Second

// The Spanish messages people see (assets/i18n/es.json), written out here
// so that a missing or renamed key fails the test instead of matching
// itself.
const (
	msgSummary  = "Revise lo siguiente:"
	msgDNI      = "El DNI tiene 8 dígitos (y, si lo indica, su dígito o letra de verificación)."
	msgNoDoc    = "Escriba el número del documento."
	msgCheck    = "El dígito o letra de verificación no corresponde a ese DNI: revise los 8 dígitos y el carácter que va después del guion (o escriba solo los 8 dígitos)."
	msgCE       = "El carné de extranjería tiene de 9 a 12 letras o dígitos."
	msgCodigo   = "El código del estudiante tiene 14 dígitos."
	msgEmail    = "Escriba un correo electrónico válido."
	msgName     = "Los nombres no pueden pasar de 100 caracteres."
	msgUbigeo   = "Elija departamento, provincia y distrito."
	msgTerms    = "Para continuar debe aceptar las condiciones."
	msgNew      = "Su constancia fue emitida y firmada digitalmente."
	msgExisting = "Ya tenía una constancia vigente con las mismas calificaciones: se la enviamos de nuevo."
)

// flowTab drives one Chromium tab on a running issuer.
type flowTab struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string
}

// newFlowTab starts Chromium (or skips the test without it) before the
// issuer, so that a machine without Chromium does no other work.
func newFlowTab(t *testing.T) *flowTab {
	t.Helper()
	ctx := browsertest.Browser(t)
	if err := chromedp.Do(ctx); err != nil { // start Chromium outside the timeout
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, flowTimeout)
	t.Cleanup(cancel)
	return &flowTab{t: t, ctx: ctx, shots: browsertest.ShotDir(t)}
}

// startFlow starts Chromium and an issuer with its data in a fresh
// folder; stop (safe to call twice, and called at the end of the test)
// stops the issuer so that its store can be read.
func startFlow(t *testing.T) (b *flowTab, data string, stop func()) {
	t.Helper()
	b = newFlowTab(t)
	data = t.TempDir()
	base, stopIssuer := startIssuer(t, data)
	stop = sync.OnceFunc(stopIssuer)
	t.Cleanup(stop)
	b.base = base
	b.acceptCookies()
	return b, data, stop
}

// acceptCookies answers the cookie notice as a person does: the first
// page shows it, and the request steps need the session it allows.
func (b *flowTab) acceptCookies() {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base+"/"), chromedp.WaitVisible(acceptCookiesButton),
		chromedp.Click(acceptCookiesButton), chromedp.WaitNotPresent(chromedp.CSS(".cookie-notice")))
}

var acceptCookiesButton = chromedp.CSS(`.cookie-notice button[name="cookies"][value="si"]`)

func (b *flowTab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

func flowRun[T any](b *flowTab, a chromedp.Action[T]) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	if err != nil {
		b.t.Fatal(err)
	}
	return v
}

// js evaluates a JavaScript expression that returns a string; unlike
// chromedp.Text it does not wait for an element that may rightly be absent.
func (b *flowTab) js(expr string) string {
	b.t.Helper()
	return flowRun(b, chromedp.Evaluate[string](expr))
}

func (b *flowTab) shot(name string) {
	b.t.Helper()
	b.do(browsertest.Shot(b.shots, name))
}

// path is the current page's path, without the query.
func (b *flowTab) path() string { return b.js(`location.pathname`) }

// alerts returns the items of the error summary (role="alert"), or its
// whole text when it has no list (a single message).
func (b *flowTab) alerts() []string {
	s := b.js(`(function(){var a=document.querySelector('[role="alert"]');if(!a)return "";` +
		`var li=a.querySelectorAll("li");if(!li.length)return a.textContent.trim();` +
		`return Array.from(li,function(e){return e.textContent.trim()}).join("\n")})()`)
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// follow clicks sel, as a person does, and waits for the page that comes
// back. The old page is marked first, so the wait cannot be satisfied by it.
func (b *flowTab) follow(sel string) {
	b.t.Helper()
	b.do(browsertest.Eval(`window.claOld = true`), chromedp.Click(chromedp.CSS(sel)), flowNewPage())
}

// submitForm posts sel's form without a click (form.submit() skips the
// browser's own checks, as a client that ignores them would).
func (b *flowTab) submitForm(sel string) {
	b.t.Helper()
	b.do(browsertest.Eval(`window.claOld = true`), chromedp.Submit(chromedp.CSS(sel)), flowNewPage())
}

func flowNewPage() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for {
			// Errors are expected while the old document goes away.
			done, err := chromedp.Evaluate[bool](`!window.claOld && document.readyState === "complete"`)(ctx, t)
			if err == nil && done {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for the next page: %w", ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

// acceptTerms opens the request, accepts the terms with a click and waits
// for the form.
func (b *flowTab) acceptTerms(shot string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base+"/solicitar?lang=es"), chromedp.WaitVisible(chromedp.ID("accept")))
	if shot != "" {
		b.shot(shot)
	}
	b.do(chromedp.Click(chromedp.ID("accept")))
	b.follow(`form[action="/solicitar/terminos"] button[type="submit"]`)
	b.do(chromedp.WaitVisible(chromedp.ID("student-doc")))
}

// flowPerson is one person's part of the request form as typed.
type flowPerson struct {
	DocType, Doc, Father, Mother string // DocType "" is DNI
	// Place is the district chosen; a province or department code stops
	// the choosing there, "" chooses nothing.
	Place ubigeo.Code
}

// flowForm is the request form as typed.
type flowForm struct {
	Who               string // "adult" or "guardian"
	Student, Guardian flowPerson
	Email             string
}

// demoPerson is what the form asks about a demo person, typed right.
func demoPerson(t *testing.T, g *synth.Generator, d idnum.Doc) flowPerson {
	t.Helper()
	p, err := g.Person(context.Background(), d)
	if err != nil {
		t.Fatalf("%s: %v", d, err)
	}
	return flowPerson{DocType: d.Kind.String(), Doc: d.Number, Father: p.Father.Names, Mother: p.Mother.Names, Place: p.Ubigeo}
}

// flowPart is one person's part of the form, by its field prefix, with
// the document type a person leaves as it is ("DNI") filled in.
type flowPart struct {
	prefix string
	v      flowPerson
}

func (f flowForm) people() []flowPart {
	out := []flowPart{{"student", f.Student}, {"guardian", f.Guardian}}
	for i := range out {
		if out[i].v.DocType == "" {
			out[i].v.DocType = "DNI"
		}
	}
	return out
}

// fill types the form afresh, as a person does: the page may come back
// with what was typed before (the session keeps it).
func (b *flowTab) fill(f flowForm) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.ID("who-" + f.Who)))
	for _, p := range f.people() {
		if p.prefix == "guardian" && f.Who != "guardian" {
			continue // the guardian's block is not shown for the student's own request
		}
		kind := p.v.DocType
		b.do(flowSelect(p.prefix+"-doctype", kind), flowType(p.prefix+"-doc", p.v.Doc),
			flowType(p.prefix+"-father", p.v.Father), flowType(p.prefix+"-mother", p.v.Mother),
			flowPlace(p.prefix, p.v.Place))
	}
	b.do(flowType("email", f.Email))
}

// flowType empties a text field and types s into it key by key. (It
// empties it by script: chromedp.SetValue with "" reports a failure.)
func flowType(id, s string) chromedp.Action[chromedp.Void] {
	clear := browsertest.Eval(fmt.Sprintf(`document.getElementById(%q).value = ""`, id))
	if s == "" {
		return clear
	}
	return chromedp.Steps(clear, chromedp.SendKeys(chromedp.ID(id), s))
}

// flowSelect picks an option of a list no script refills.
func flowSelect(id, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		ok, err := chromedp.Evaluate[bool](fmt.Sprintf(`(function(){var s=document.getElementById(%q);`+
			`if(!s.querySelector('option[value=%q]'))return false;`+
			`s.value=%q;s.dispatchEvent(new Event("change"));return true})()`, id, value, value))(ctx, t)
		if err == nil && !ok {
			err = fmt.Errorf("%s has no option %q", id, value)
		}
		return err
	})
}

// flowPlace chooses a place in a person's three lists. It first empties
// them, so that no list the server filled for an earlier try can be
// chosen from before the page's script refills it.
func flowPlace(prefix string, c ubigeo.Code) chromedp.Action[chromedp.Void] {
	steps := []chromedp.Action[chromedp.Void]{browsertest.Eval(fmt.Sprintf(`(function(p){`+
		`document.getElementById(p+"-dep").value="";`+
		`document.getElementById(p+"-prov").length=1;document.getElementById(p+"-dist").length=1})(%q)`, prefix))}
	if c == "" {
		return chromedp.Steps(steps...)
	}
	steps = append(steps, browsertest.Choose(prefix+"-dep", string(c.Department())))
	if c.Level() >= ubigeo.Province {
		steps = append(steps, browsertest.Choose(prefix+"-prov", string(c.Province())))
	}
	if c.Level() == ubigeo.District {
		steps = append(steps, browsertest.Choose(prefix+"-dist", string(c)))
	}
	return chromedp.Steps(steps...)
}

// kept reports every field that does not show what was typed.
func (b *flowTab) kept(f flowForm) []string {
	b.t.Helper()
	var bad []string
	check := func(id, want string) {
		if got := b.js(fmt.Sprintf(`document.getElementById(%q).value`, id)); got != want {
			bad = append(bad, fmt.Sprintf("%s = %q, typed %q", id, got, want))
		}
	}
	if b.js(fmt.Sprintf(`String(document.getElementById("who-%s").checked)`, f.Who)) != "true" {
		bad = append(bad, "who-"+f.Who+" is not checked")
	}
	for _, p := range f.people() {
		if p.prefix == "guardian" && f.Who != "guardian" {
			continue // not shown, not typed
		}
		kind := p.v.DocType
		check(p.prefix+"-doctype", kind)
		check(p.prefix+"-doc", p.v.Doc)
		check(p.prefix+"-father", p.v.Father)
		check(p.prefix+"-mother", p.v.Mother)
		dep, prov, dist := "", "", ""
		if c := p.v.Place; c != "" {
			dep = string(c.Department())
			if c.Level() >= ubigeo.Province {
				prov = string(c.Province())
			}
			if c.Level() == ubigeo.District {
				dist = string(c)
			}
		}
		check(p.prefix+"-dep", dep)
		check(p.prefix+"-prov", prov)
		check(p.prefix+"-dist", dist)
	}
	check("email", f.Email)
	return bad
}

// fieldError returns the message shown beside a field (in the element
// that holds it and its label) and whether the field points screen readers
// at it (aria-describedby).
func (b *flowTab) fieldError(id string) (msg string, described bool) {
	b.t.Helper()
	s := b.js(fmt.Sprintf(`(function(){var f=document.getElementById(%q);`+
		`var e=f.parentElement.querySelector(".field-error");if(!e)return "";`+
		`var d=(f.getAttribute("aria-describedby")||"").split(" ").indexOf(e.id)>=0;`+
		`return (d?"1":"0")+e.textContent.trim()})()`, id))
	if s == "" {
		return "", false
	}
	return s[1:], s[0] == '1'
}

// flowCases returns the demo generator and its showcase cases.
func flowCases(t *testing.T) (*synth.Generator, []synth.Case) {
	t.Helper()
	g, err := synth.New(synth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	cases := g.Cases()
	if len(cases) < 23 {
		t.Fatalf("the demo has %d showcase cases, want 23 (docs/DEMO.md)", len(cases))
	}
	return g, cases
}

// issuedCount counts the constancias in a stopped issuer's store.
func issuedCount(t *testing.T, data string) int {
	t.Helper()
	db, err := store.OpenBolt(filepath.Join(data, "db_micertificado"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	err = db.View(context.Background(), func(tx store.Tx) error {
		return tx.ForEach(func(*constancia.Issued) error { n++; return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// shownName is a person's name as the pages show it: "PAREDES ALVARADO,
// VALERIA".
func shownName(p *registry.Person) string {
	return strings.TrimSpace(p.Surname1+" "+p.Surname2) + ", " + p.Names
}

var codeShape = regexp.MustCompile(`^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$`)

// TestBrowserGuardianFlow: a parent asks for a minor's constancia in the
// browser — terms, the form with the guardian's own document, parents'
// names and district, the preview, the code — and the code verifies on the
// verify page. The mother asks first and gets a new constancia; the father
// then gets the same one back (same records, same constancia), typing his
// DNI with its check digit; a foreign family (CE for the child and the
// mother, answered by Migraciones) gets its own.
func TestBrowserGuardianFlow(t *testing.T) {
	b, _, _ := startFlow(t)
	g, cases := flowCases(t)

	father := demoPerson(t, g, cases[2].Guardian)
	father.Doc = idnum.DNI(father.Doc).WithCheck()
	flows := []struct {
		name   string
		c      synth.Case
		parent flowPerson
		msg    string
	}{
		{"madre", cases[1], demoPerson(t, g, cases[1].Guardian), msgNew},
		{"padre", cases[2], father, msgExisting},
		{"ce", cases[10], demoPerson(t, g, cases[10].Guardian), msgNew},
	}
	codes := map[string]string{}
	for i, fl := range flows {
		if fl.c.Want != synth.WantIssue && fl.c.Want != synth.WantForeignIssue || fl.c.Guardian.IsZero() {
			t.Fatalf("%s: case %q is not a guardian's request that issues", fl.name, fl.c.Path)
		}
		student, err := g.Person(context.Background(), fl.c.Student)
		if err != nil {
			t.Fatal(err)
		}
		shot := func(n int, what string) { b.shot(fmt.Sprintf("g%d%d-%s-%s", i+1, n, fl.name, what)) }
		b.acceptTerms("")
		if i == 0 {
			b.shot("g00-formulario-vacio")
		}
		// A guardian has no "código del estudiante": only the student may.
		if b.js(`String(!!document.querySelector('#guardian-doctype option[value="CODIGO"]'))`) != "false" {
			t.Errorf("%s: the guardian may choose a código del estudiante", fl.name)
		}
		form := flowForm{Who: "guardian", Student: demoPerson(t, g, fl.c.Student), Guardian: fl.parent,
			Email: "familia." + fl.name + "@example.pe"}
		b.fill(form)
		shot(1, "datos")
		b.follow(`button[name="pick"][value=""]`)
		if p := b.path(); p != "/solicitar/vista-previa" {
			shot(9, "error")
			t.Fatalf("%s: the form went to %s: %q", fl.name, p, b.alerts())
		}
		shot(2, "vista-previa")
		facts := b.js(`document.querySelector("dl.facts").innerText`)
		for _, want := range []string{shownName(student), fl.c.Student.String(), form.Email} {
			if !strings.Contains(facts, want) {
				t.Errorf("%s: the preview lacks %q: %q", fl.name, want, facts)
			}
		}
		if n := b.js(`String(document.querySelectorAll("table tbody tr").length)`); n == "0" {
			t.Errorf("%s: the preview shows no school year", fl.name)
		}
		b.follow(`form[action="/solicitar/emitir"] button[type="submit"]`)
		if p := b.path(); p != "/solicitar/listo" {
			shot(9, "error")
			t.Fatalf("%s: issuing went to %s", fl.name, p)
		}
		shot(3, "listo")
		code := b.js(`document.querySelector(".code").textContent.trim()`)
		if !codeShape.MatchString(code) {
			t.Fatalf("%s: code %q", fl.name, code)
		}
		if got := b.js(`document.querySelector('[role="status"]').textContent.trim()`); got != fl.msg {
			t.Errorf("%s: the done page says %q, want %q", fl.name, got, fl.msg)
		}
		codes[fl.name] = code

		// The done page's "Verificar constancia" button opens the verify
		// page with the code typed in.
		b.follow(`a.button[href^="/verificar?codigo="]`)
		if got := b.js(`document.getElementById("codigo").value`); got != code {
			t.Errorf("%s: the verify page has %q, want %q", fl.name, got, code)
		}
		shot(4, "verificar")
		b.follow(`form[action="/verificar"] button[type="submit"]`)
		shot(5, "resultado")
		verdict := b.js(`document.querySelector(".verdict").textContent.trim()`)
		facts = b.js(`document.querySelector("dl.facts").innerText`)
		if !strings.HasSuffix(verdict, "VÁLIDA") || !strings.Contains(b.js(`document.querySelector(".verdict").className`), "valid") {
			t.Errorf("%s: verdict %q", fl.name, verdict)
		}
		for _, want := range []string{shownName(student), fl.c.Student.String(), code} {
			if !strings.Contains(facts, want) {
				t.Errorf("%s: the result lacks %q: %q", fl.name, want, facts)
			}
		}
	}
	if codes["madre"] != codes["padre"] {
		t.Errorf("the father got %s, the mother %s: one student, same records, one constancia", codes["padre"], codes["madre"])
	}
	if codes["ce"] == codes["madre"] {
		t.Errorf("two students got the same code %s", codes["ce"])
	}
	t.Logf("screenshots in %s", b.shots)
}

// TestBrowserFormErrors submits the request form with each kind of invalid
// input and checks that each Spanish message shows beside its field (and
// is announced with it: aria-describedby) and in the summary
// (role="alert"), that nothing else is flagged, and that what was typed is
// still there. The terms come first: the browser will not send them
// unaccepted, and the server refuses them from a client that does.
func TestBrowserFormErrors(t *testing.T) {
	b, data, stop := startFlow(t)
	g, cases := flowCases(t)

	// The form is reached only through the terms.
	b.do(chromedp.Navigate(b.base + "/solicitar/datos?lang=es"))
	if p := b.path(); p != "/solicitar" || b.js(`String(!!document.getElementById("accept"))`) != "true" {
		t.Fatalf("the form without the terms went to %s", p)
	}
	// A click on "Continuar" with the box unticked: the browser's own
	// check stops it (the box is required).
	b.do(chromedp.Click(chromedp.CSS(`form[action="/solicitar/terminos"] button[type="submit"]`)))
	if b.js(`String(document.getElementById("accept").validity.valueMissing)`) != "true" {
		t.Error("the terms' box is not required")
	}
	// Sent anyway: the server says why and shows the terms again.
	b.submitForm(`form[action="/solicitar/terminos"]`)
	b.shot("e00-terminos-sin-aceptar")
	if got := b.alerts(); len(got) != 1 || got[0] != msgTerms {
		t.Errorf("terms not accepted: the summary says %q, want %q", got, msgTerms)
	}
	if b.path() != "/solicitar/terminos" || b.js(`String(document.getElementById("accept").checked)`) != "false" {
		t.Error("terms not accepted: the terms are not shown again, unticked")
	}
	b.do(chromedp.Click(chromedp.ID("accept")))
	b.follow(`form[action="/solicitar/terminos"] button[type="submit"]`)

	adult := flowForm{Who: "adult", Student: demoPerson(t, g, cases[0].Student), Email: "alumna@example.pe"}
	minor := flowForm{Who: "guardian", Student: demoPerson(t, g, cases[1].Student),
		Guardian: demoPerson(t, g, cases[1].Guardian), Email: "madre@example.pe"}
	with := func(f flowForm, change func(*flowForm)) flowForm { change(&f); return f }
	dni := idnum.DNI(adult.Student.Doc)
	digit, _ := dni.Check()
	wrongCheck := string(dni) + "-" + string('0'+(digit-'0'+1)%10)
	long := strings.Repeat("Á", 101) // 101 characters: one more than maxName

	type want map[string]string // field id → message beside it
	tests := []struct {
		name string
		form flowForm
		want want
		// prep runs before typing: long removes the field's maxlength, as
		// a client that ignores it would.
		prep chromedp.Action[chromedp.Void]
	}{
		{name: "dni-vacio", form: with(adult, func(f *flowForm) { f.Student.Doc = "" }), want: want{"student-doc": msgNoDoc}},
		{name: "dni-corto", form: with(adult, func(f *flowForm) { f.Student.Doc = "2638018" }), want: want{"student-doc": msgDNI}},
		{name: "dni-largo", form: with(adult, func(f *flowForm) { f.Student.Doc = "263801870" }), want: want{"student-doc": msgDNI}},
		{name: "dni-letra", form: with(adult, func(f *flowForm) { f.Student.Doc = "2638O187" }), want: want{"student-doc": msgDNI}},
		{name: "dni-verificacion", form: with(adult, func(f *flowForm) { f.Student.Doc = wrongCheck }), want: want{"student-doc": msgCheck}},
		{name: "ce-corto", form: with(adult, func(f *flowForm) { f.Student.DocType, f.Student.Doc = "CE", "12345678" }), want: want{"student-doc": msgCE}},
		{name: "ce-largo", form: with(adult, func(f *flowForm) { f.Student.DocType, f.Student.Doc = "CE", "1234567890123" }), want: want{"student-doc": msgCE}},
		{name: "ce-simbolo", form: with(adult, func(f *flowForm) { f.Student.DocType, f.Student.Doc = "CE", "78155#975" }), want: want{"student-doc": msgCE}},
		{name: "codigo-corto", form: with(adult, func(f *flowForm) { f.Student.DocType, f.Student.Doc = "CODIGO", "4414022281541" }), want: want{"student-doc": msgCodigo}},
		{name: "correo-vacio", form: with(adult, func(f *flowForm) { f.Email = "" }), want: want{"email": msgEmail}},
		{name: "correo-sin-dominio", form: with(adult, func(f *flowForm) { f.Email = "alumna@" }), want: want{"email": msgEmail}},
		{name: "correo-sin-arroba", form: with(adult, func(f *flowForm) { f.Email = "alumna.example.pe" }), want: want{"email": msgEmail}},
		{name: "correo-con-nombre", form: with(adult, func(f *flowForm) { f.Email = "Valeria <alumna@example.pe>" }), want: want{"email": msgEmail}},
		{name: "correo-dos", form: with(adult, func(f *flowForm) { f.Email = "alumna@example.pe, madre@example.pe" }), want: want{"email": msgEmail}},
		{name: "lugar-vacio", form: with(adult, func(f *flowForm) { f.Student.Place = "" }), want: want{"student-dist": msgUbigeo}},
		{name: "lugar-solo-departamento", form: with(adult, func(f *flowForm) { f.Student.Place = f.Student.Place.Department() }), want: want{"student-dist": msgUbigeo}},
		{name: "lugar-sin-distrito", form: with(adult, func(f *flowForm) { f.Student.Place = f.Student.Place.Province() }), want: want{"student-dist": msgUbigeo}},
		{name: "nombre-largo", form: with(adult, func(f *flowForm) { f.Student.Father = long }), want: want{"student-father": msgName},
			prep: chromedp.RemoveAttribute(chromedp.ID("student-father"), "maxlength")},
		{name: "apoderada-nombre-largo", form: with(minor, func(f *flowForm) { f.Guardian.Mother = long }), want: want{"guardian-mother": msgName},
			prep: chromedp.RemoveAttribute(chromedp.ID("guardian-mother"), "maxlength")},
		{name: "apoderado-vacio", form: with(minor, func(f *flowForm) { f.Guardian = flowPerson{} }),
			want: want{"guardian-doc": msgNoDoc, "guardian-dist": msgUbigeo}},
		{name: "apoderado-dni-corto", form: with(minor, func(f *flowForm) { f.Guardian.Doc = f.Guardian.Doc[:7] }), want: want{"guardian-doc": msgDNI}},
		{name: "apoderado-ce", form: with(minor, func(f *flowForm) { f.Guardian.DocType, f.Guardian.Doc = "CE", "AB-12" }), want: want{"guardian-doc": msgCE}},
		{name: "apoderado-sin-distrito", form: with(minor, func(f *flowForm) { f.Guardian.Place = f.Guardian.Place.Province() }), want: want{"guardian-dist": msgUbigeo}},
		{name: "todo-vacio", form: flowForm{Who: "adult"}, want: want{"student-doc": msgNoDoc, "student-dist": msgUbigeo, "email": msgEmail}},
		{name: "todo-vacio-apoderado", form: flowForm{Who: "guardian"},
			want: want{"student-doc": msgNoDoc, "student-dist": msgUbigeo, "guardian-doc": msgNoDoc, "guardian-dist": msgUbigeo, "email": msgEmail}},
	}
	// The order of the fields on the page, which the summary follows.
	order := []string{"student-doc", "student-father", "student-mother", "student-dist",
		"guardian-doc", "guardian-father", "guardian-mother", "guardian-dist", "email"}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := &flowTab{t: t, ctx: b.ctx, base: b.base, shots: b.shots}
			b.do(chromedp.Navigate(b.base+"/solicitar/datos"), chromedp.WaitVisible(chromedp.ID("student-doc")))
			if tc.prep != nil {
				b.do(tc.prep)
			}
			b.fill(tc.form)
			b.follow(`button[name="pick"][value=""]`)
			b.shot(fmt.Sprintf("e%02d-%s", i+1, tc.name))
			if p := b.path(); p != "/solicitar/datos" {
				t.Fatalf("went to %s", p)
			}
			var summary []string
			for _, id := range order {
				if msg, ok := tc.want[id]; ok {
					summary = append(summary, msg)
				}
			}
			if got := b.alerts(); strings.Join(got, "\n") != strings.Join(summary, "\n") {
				t.Errorf("the summary says %q, want %q", got, summary)
			}
			if got := b.js(`document.querySelector('[role="alert"] .errors').textContent.trim()`); got != msgSummary {
				t.Errorf("the summary's title is %q", got)
			}
			for _, bad := range b.kept(tc.form) {
				t.Errorf("not kept: %s", bad)
			}
			if n := b.js(`String(document.querySelectorAll(".field-error").length)`); n != fmt.Sprint(len(tc.want)) {
				t.Errorf("%s fields flagged, want %d", n, len(tc.want))
			}
			var misplaced []string
			for _, id := range order {
				msg, ok := tc.want[id]
				if !ok {
					continue
				}
				got, described := b.fieldError(id)
				switch {
				case got != msg:
					misplaced = append(misplaced, fmt.Sprintf("beside %s: %q, want %q", id, got, msg))
				case !described:
					misplaced = append(misplaced, fmt.Sprintf("%s does not point at its message (aria-describedby)", id))
				}
			}
			for _, m := range misplaced {
				t.Error(m)
			}
		})
	}

	// The browser keeps a name within the field's 100 characters.
	b.do(chromedp.Navigate(b.base+"/solicitar/datos"), chromedp.WaitVisible(chromedp.ID("student-father")),
		flowType("student-father", long))
	if got := b.js(`String(Array.from(document.getElementById("student-father").value).length)`); got != "100" {
		t.Errorf("the father's names field took %s characters, want 100", got)
	}

	// With "the student" chosen, the guardian's part is not checked (it
	// may hold anything): the request goes on to the preview.
	b.do(chromedp.Navigate(b.base+"/solicitar/datos"), chromedp.WaitVisible(chromedp.ID("student-doc")))
	junk := with(adult, func(f *flowForm) { f.Guardian = flowPerson{DocType: "CE", Doc: "x", Place: "110000"} })
	b.fill(junk)
	b.follow(`button[name="pick"][value=""]`)
	b.shot("e99-adulto-ignora-apoderado")
	if p := b.path(); p != "/solicitar/vista-previa" {
		t.Errorf("an adult's request with junk in the guardian's part went to %s: %q", p, b.alerts())
	}
	stop()
	if n := issuedCount(t, data); n != 0 {
		t.Errorf("%d constancias issued by invalid requests", n)
	}
	t.Logf("screenshots in %s", b.shots)
}

// TestBrowserRefusals walks each refusal of the demo population (docs/
// DEMO.md) through the form: each shows its one Spanish message in the
// summary, flags no field (a mismatch must not say which field differed),
// keeps what was typed, leads to no preview, and issues nothing.
func TestBrowserRefusals(t *testing.T) {
	b, data, stop := startFlow(t)
	g, cases := flowCases(t)
	form := func(c synth.Case) flowForm {
		f := flowForm{Who: "adult", Email: "familia@example.pe"}
		if c.Student.Kind == idnum.KindStudentCode {
			f.Student = flowPerson{DocType: "CODIGO", Doc: c.Student.Number} // nothing else to type
		} else {
			f.Student = demoPerson(t, g, c.Student)
		}
		if !c.Guardian.IsZero() {
			f.Who, f.Guardian = "guardian", demoPerson(t, g, c.Guardian)
		}
		return f
	}
	refusals := map[string]string{
		synth.WantMinor:       "El estudiante es menor de edad: la solicitud debe hacerla su padre, madre o tutor.",
		synth.WantNotGuardian: "No pudimos confirmar que usted sea el padre, la madre o el tutor registrado del estudiante. Si es su tutor, pida a la institución educativa que lo registre en el SIAGIE.",
		synth.WantMinorGuard:  "Quien solicita por un menor debe ser mayor de edad.",
		synth.WantNoRecords:   "No hay calificaciones registradas en el SIAGIE desde 2013 para este estudiante. Consulte en su institución educativa.",
		synth.WantNoDocument:  "Los estudiantes sin DNI ni carné de extranjería pueden pedir su constancia en su institución educativa o en la UGEL.",
		synth.WantMismatch:    "Los datos ingresados no coinciden con los registros oficiales. Revíselos e intente de nuevo.",
	}
	mismatch := refusals[synth.WantMismatch]
	blocked := regexp.MustCompile(`^El acta del año 20\d\d está en revisión: la constancia podrá emitirse cuando la institución educativa la cierre\.$`)
	type refusal struct {
		name string
		form flowForm
		msg  string         // the message, or
		re   *regexp.Regexp // its pattern
	}
	var tests []refusal
	for i, c := range cases {
		if c.Want == synth.WantIssue || c.Want == synth.WantForeignIssue {
			continue
		}
		r := refusal{name: fmt.Sprintf("caso%02d", i+1), form: form(c), msg: refusals[c.Want]}
		switch c.Want {
		case synth.WantMismatch: // the demo says: type a wrong district
			r.form.Student.Place = demoPerson(t, g, cases[8].Student).Place
		case synth.WantBlocked:
			r.re = blocked
		case synth.WantDeceased:
			// A deceased student needs a UGEL; a deceased guardian is a
			// mismatch like any other.
			r.msg = "Su solicitud requiere atención presencial: acérquese a la UGEL de su localidad."
			if !c.Guardian.IsZero() {
				r.msg = mismatch
			}
		}
		if r.msg == "" && r.re == nil {
			t.Fatalf("case %d %q: no message for %q", i+1, c.Path, c.Want)
		}
		tests = append(tests, r)
	}
	// Beyond the table: a guardian for an adult student, an unknown DNI, a
	// parent's name misspelt.
	adultByMother := form(cases[0])
	adultByMother.Who, adultByMother.Guardian = "guardian", demoPerson(t, g, cases[1].Guardian)
	unknown := form(cases[0])
	unknown.Student.Doc = "10117410"
	misspelt := form(cases[1])
	misspelt.Guardian.Mother += "A"
	tests = append(tests,
		refusal{name: "apoderado-de-adulto", form: adultByMother, msg: "El estudiante ya es mayor de edad: debe solicitar la constancia él mismo."},
		refusal{name: "dni-desconocido", form: unknown, msg: mismatch},
		refusal{name: "nombre-distinto", form: misspelt, msg: mismatch})
	if len(tests) != 13 {
		t.Fatalf("%d refusals, want 13 (10 in docs/DEMO.md, 3 more)", len(tests))
	}

	b.acceptTerms("")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := &flowTab{t: t, ctx: b.ctx, base: b.base, shots: b.shots}
			b.do(chromedp.Navigate(b.base+"/solicitar/datos"), chromedp.WaitVisible(chromedp.ID("student-doc")))
			b.fill(tc.form)
			b.follow(`button[name="pick"][value=""]`)
			b.shot("r-" + tc.name)
			if p := b.path(); p != "/solicitar/datos" {
				t.Fatalf("went to %s", p)
			}
			got := b.alerts()
			switch {
			case len(got) != 1:
				t.Errorf("the summary says %q", got)
			case tc.re != nil && !tc.re.MatchString(got[0]):
				t.Errorf("the summary says %q, want %v", got[0], tc.re)
			case tc.re == nil && got[0] != tc.msg:
				t.Errorf("the summary says %q, want %q", got[0], tc.msg)
			}
			if n := b.js(`String(document.querySelectorAll(".field-error").length)`); n != "0" {
				t.Errorf("%s fields flagged", n)
			}
			for _, bad := range b.kept(tc.form) {
				t.Errorf("not kept: %s", bad)
			}
			// Nothing was checked: the preview sends the person back.
			b.do(chromedp.Navigate(b.base+"/solicitar/vista-previa"), chromedp.WaitVisible(chromedp.ID("student-doc")))
			if p := b.path(); p != "/solicitar/datos" {
				t.Errorf("the preview after a refusal is at %s", p)
			}
		})
	}
	stop()
	if n := issuedCount(t, data); n != 0 {
		t.Errorf("%d constancias issued by refused requests", n)
	}
	if emls, _ := filepath.Glob(filepath.Join(data, "mail", "outbox", "*.eml")); len(emls) != 0 {
		t.Errorf("%d e-mails sent for refused requests", len(emls))
	}
	t.Logf("screenshots in %s", b.shots)
}

// TestBrowserVerifyUpload verifies by upload on the verify page: the
// issued PDF (downloaded from /verificar/{code}/pdf) and a PNG render of it
// (by poppler's pdftoppm, when installed) are VÁLIDA; a forged QR code is
// not; a PDF without a constancia, a text file, a QR code of something else
// and no file at all get a clear message on the verify page.
func TestBrowserVerifyUpload(t *testing.T) {
	b, _, _ := startFlow(t)
	g, cases := flowCases(t)
	student, err := g.Person(context.Background(), cases[0].Student)
	if err != nil {
		t.Fatal(err)
	}
	code := issueByAPI(t, b.base, g, cases[0])
	pdf := get(t, b.base+"/verificar/"+code+"/pdf")
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pdfPath := write("constancia.pdf", pdf)
	texts, err := qrfile.Texts(context.Background(), pdf)
	if err != nil || len(texts) != 1 {
		t.Fatalf("the issued PDF holds %d codes (%v)", len(texts), err)
	}
	// A forgery: one character of the signed text changed.
	forged := []byte(texts[0])
	i := len(credential.Prefix) + (len(forged)-len(credential.Prefix))/2
	forged[i] = map[bool]byte{true: 'B', false: 'A'}[forged[i] == 'A']
	qrPNG := func(name, text string) string {
		t.Helper()
		png, err := qrcode.Encode(text, qrcode.Medium, 1000)
		if err != nil {
			t.Fatal(err)
		}
		return write(name, png)
	}
	forgedPath := qrPNG("falsa.png", string(forged))
	otherQR := qrPNG("otro-qr.png", "https://www.gob.pe/minedu")
	textPath := write("notas.txt", []byte("Constancia de Logros de Aprendizaje\n"))
	b.do(chromedp.Navigate(b.base + "/verificar?lang=es"))
	otherPDF := write("otra.pdf", flowRun(b, chromedp.PrintToPDF()))

	upload := func(file string) {
		t.Helper()
		b.do(chromedp.Navigate(b.base+"/verificar"), chromedp.WaitVisible(chromedp.ID("archivo")))
		if file != "" {
			b.do(chromedp.SetUploadFiles(chromedp.ID("archivo"), []string{file}))
		}
		b.follow(`form[action="/verificar/archivo"] button[type="submit"]`)
	}
	valid := func(what string) {
		t.Helper()
		verdict := b.js(`(document.querySelector(".verdict")||{}).textContent||""`)
		if !strings.HasSuffix(strings.TrimSpace(verdict), "VÁLIDA") {
			t.Errorf("%s: verdict %q (%q)", what, verdict, b.alerts())
			return
		}
		facts := b.js(`document.querySelector("dl.facts").innerText`)
		for _, want := range []string{shownName(student), cases[0].Student.String(), code} {
			if !strings.Contains(facts, want) {
				t.Errorf("%s: the result lacks %q: %q", what, want, facts)
			}
		}
	}
	refused := func(what, want string) {
		t.Helper()
		if p := b.path(); p != "/verificar/archivo" || b.js(`String(!!document.getElementById("archivo"))`) != "true" {
			t.Errorf("%s: not the verify page again (%s)", what, p)
		}
		if got := b.alerts(); len(got) != 1 || got[0] != want {
			t.Errorf("%s: the page says %q, want %q", what, got, want)
		}
	}

	upload(pdfPath)
	b.shot("v01-pdf-valida")
	valid("the PDF")

	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Fatal("pdftoppm not installed: make deps installs it")
	} else {
		// The QR code is in the verification box on page 1, whatever the
		// length (this student's constancia has two pages): a photo of
		// page 1 alone verifies.
		if out, err := exec.Command("pdftoppm", "-r", "150", "-png", pdfPath, filepath.Join(dir, "pagina")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
		pages, _ := filepath.Glob(filepath.Join(dir, "pagina-*.png"))
		if len(pages) == 0 {
			t.Fatal("pdftoppm rendered no page")
		}
		slices.Sort(pages) // pdftoppm pads the numbers: pagina-1 … pagina-9, or pagina-01 …
		if len(pages) < 2 {
			t.Errorf("the constancia has %d page(s): the case of a QR code on page 1 of a longer one is not met", len(pages))
		}
		upload(pages[0])
		b.shot("v02-png-valida")
		valid("the PNG render")
	}

	upload(forgedPath)
	b.shot("v03-qr-falso")
	verdict := b.js(`(document.querySelector(".verdict")||{}).textContent||""`)
	if class := b.js(`(document.querySelector(".verdict")||{}).className||""`); !strings.Contains(class, "bad") ||
		!strings.HasSuffix(verdict, "FALSA O ALTERADA") && !strings.HasSuffix(verdict, "NO ES UN CÓDIGO CLA") {
		t.Errorf("a forged code: verdict %q (class %q)", verdict, class)
	}
	if strings.Contains(b.js(`document.querySelector("main").innerText`), student.Surname1) {
		t.Error("a forged code shows the student's name")
	}

	nocode := "No encontramos un código QR de constancia en el archivo. Pruebe con una foto más nítida o escriba el código virtual."
	upload(otherPDF)
	b.shot("v04-pdf-sin-constancia")
	refused("a PDF without a constancia", nocode)
	upload(textPath)
	b.shot("v05-archivo-de-texto")
	refused("a text file", nocode)
	upload(otherQR)
	b.shot("v06-otro-qr")
	refused("a QR code of something else", nocode)
	upload("")
	b.shot("v07-sin-archivo")
	refused("no file", "No se pudo leer el archivo. Suba un PDF o una foto (PNG o JPEG) de hasta 20 MB.")
	t.Logf("screenshots in %s", b.shots)
}

// issueByAPI requests a demo adult's constancia over the JSON API and
// returns its code.
func issueByAPI(t *testing.T, base string, g *synth.Generator, c synth.Case) string {
	t.Helper()
	p, err := g.Person(context.Background(), c.Student)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"requester": "adult", "email": "alumna@example.pe", "accept_terms": web.TermsVersion,
		"student": map[string]string{"doc_type": c.Student.Kind.String(), "doc_number": c.Student.Number,
			"father_names": p.Father.Names, "mother_names": p.Mother.Names, "ubigeo": string(p.Ubigeo)}})
	resp, err := http.Post(base+"/api/v1/solicitudes", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var issued struct{ Code string }
	json.NewDecoder(resp.Body).Decode(&issued)
	if resp.StatusCode != http.StatusCreated || issued.Code == "" {
		t.Fatalf("request: %d", resp.StatusCode)
	}
	return issued.Code
}

// TestBrowserGuardianBlock: the guardian's block shows only for a
// guardian's request (it showed for "El estudiante (18 años o más)" too),
// at a phone's width each radio sits before its own label, and the form
// for an adult is not a 2,700 px scroll.
func TestBrowserGuardianBlock(t *testing.T) {
	b, _, _ := startFlow(t)
	b.do(chromedp.EmulateViewport(390, 844))
	b.acceptTerms("")
	visible := func() string { return b.js(`String(!document.getElementById("guardian-block").hidden)`) }
	if v := visible(); v != "false" {
		t.Errorf("before a choice the guardian block shows: %s", v)
	}
	b.do(chromedp.Click(chromedp.ID("who-adult")))
	if v := visible(); v != "false" {
		t.Errorf("the student's own request shows the guardian block")
	}
	if h := b.js(`String(document.documentElement.scrollHeight)`); len(h) > 4 || h >= "2000" && len(h) == 4 {
		t.Errorf("the adult's form is %s px tall at 390 px", h)
	}
	// Each radio is on the line of its own label, before it.
	if d := b.js(`(() => { const r = document.getElementById("who-guardian").getBoundingClientRect(),
		l = document.querySelector("label[for=who-guardian]").getBoundingClientRect();
		return String(Math.abs(r.top - l.top) < 12 && r.right <= l.left + 1) })()`); d != "true" {
		t.Error("the second radio is not before its label")
	}
	b.shot("form-390-adult")
	b.do(chromedp.Click(chromedp.ID("who-guardian")))
	if v := visible(); v != "true" {
		t.Errorf("a guardian's request hides the guardian block")
	}
	b.shot("form-390-guardian")
}
