package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/minedu-cla/cla/internal/webtest"

	"github.com/minedu-cla/cla/issuer/web"
)

// FuzzPublicForms posts hostile values to every public form and endpoint,
// as a stranger on the internet would: the request flow (terms, the form
// with every field, the pickers, issuing), verification by code and by
// upload, the PDF link, the language switch and the JSON API. Whatever
// comes in, the answer is never a 5xx, and text typed with markup never
// comes back unescaped in a page.
func FuzzPublicForms(f *testing.F) {
	h := newHarness(f, web.Limits{}) // no rate limits: the fuzzer is one fast client
	b := h.browser(f)
	b.C.Timeout = 30 * time.Second // a hang guard: a stuck handler fails with its input
	tok := start(b)
	var good url.Values
	for _, c := range h.gen.Cases() {
		if !c.Guardian.IsZero() {
			good = formFor(f, h.gen, c, tok)
			break
		}
	}
	if good == nil {
		f.Fatal("no guardian case in the demo population")
	}
	for i := range 14 {
		f.Add(uint8(i), "<script>alert(1)</script>", `"><img src=x onerror=alert(1)>`, "\x00\xff")
		f.Add(uint8(i), good.Get("student_doc"), good.Get("student_father"), good.Get("student_dist"))
	}
	f.Add(uint8(1), good.Get("guardian_doc"), strings.Repeat("é", 300), "CE")
	f.Add(uint8(8), `{"student":{"doc_type":"DNI","doc":"<b>"}}`, "", "")
	f.Add(uint8(5), "%PDF-1.7\n<</Type/Catalog>>", "constancia.pdf", "")
	f.Add(uint8(0x80|1), "<b>", "<i>x</i>", `"'&`)
	f.Fuzz(func(t *testing.T, which uint8, v1, v2, v3 string) {
		b.T = t
		v1, v2, v3 = webtest.Marked(which, v1, v2, v3)
		var status int
		var body string
		var hdr http.Header
		form := func(kv ...string) url.Values { return csrfForm(tok, kv...) }
		// mixed is the good form with three fields replaced.
		mixed := func(k1, k2, k3 string) url.Values {
			v := url.Values{}
			for k, vs := range good {
				v[k] = vs
			}
			v.Set(k1, v1)
			v.Set(k2, v2)
			v.Set(k3, v3)
			return v
		}
		switch which % 14 {
		case 0:
			status, body, hdr = b.Post("/solicitar/terminos", form("accept", v1, "lang", v2))
		case 1:
			status, body, hdr = b.Post("/solicitar/datos", mixed("student_doc", "student_father", "student_mother"))
		case 2:
			status, body, hdr = b.Post("/solicitar/datos", mixed("guardian_doctype", "guardian_doc", "who"))
		case 3:
			status, body, hdr = b.Post("/solicitar/datos", mixed("student_dep", "student_prov", "student_dist"))
		case 4:
			status, body, hdr = b.Post("/solicitar/datos", mixed("email", "pick", "guardian_dist"))
		case 5:
			var s string
			status, s = b.PostFile("/verificar/archivo", form(), "archivo", v2, []byte(v1))
			body = s
		case 6:
			status, body, hdr = b.Post("/verificar", form("codigo", v1, "lang", v2))
		case 7:
			status, body, hdr = b.Get("/verificar/" + url.PathEscape(v1) + "/pdf")
		case 8:
			status, body, hdr = b.PostRaw("/api/v1/solicitudes", "application/json", []byte(v1))
		case 9:
			status, body, hdr = b.Get("/api/v1/constancias/" + url.PathEscape(v1))
		case 10:
			status, body, hdr = b.Get("/solicitar?lang=" + url.QueryEscape(v1))
		case 11:
			status, body, hdr = b.Post("/solicitar/emitir", form("regenerar", v1))
		case 12:
			status, body, hdr = b.Post("/solicitar/terminos", url.Values{"csrf": {v1}, "accept": {v2}})
		case 13:
			status, body, hdr = b.Get("/api/v1/ubigeo/distritos?prov=" + url.QueryEscape(v1))
		}
		if status >= 500 {
			t.Fatalf("form %d answered %d: %.300s", which%14, status, body)
		}
		if hdr != nil && !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
			return
		}
		if v, ok := webtest.Reflected(body, v1, v2, v3); ok {
			t.Fatalf("form %d reflected %q unescaped", which%14, v)
		}
	})
}
