package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzPublicForms posts hostile values to every public form and endpoint,
// as a stranger on the internet would: the request flow (terms, the form
// with every field, the pickers, issuing), verification by code and by
// upload, the PDF link, the language switch and the JSON API. Whatever
// comes in, the answer is never a 5xx, and text typed with markup never
// comes back unescaped in a page.
func FuzzPublicForms(f *testing.F) {
	h := newHarness(f, Limits{}) // no rate limits: the fuzzer is one fast client
	b := h.browser(f)
	b.c.Timeout = 30 * time.Second // a hang guard: a stuck handler fails with its input
	tok := b.start()
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
		b.t = t
		v1, v2, v3 = marked(which, v1, v2, v3)
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
			status, body, hdr = b.post("/solicitar/terminos", form("accept", v1, "lang", v2))
		case 1:
			status, body, hdr = b.post("/solicitar/datos", mixed("student_doc", "student_father", "student_mother"))
		case 2:
			status, body, hdr = b.post("/solicitar/datos", mixed("guardian_doctype", "guardian_doc", "who"))
		case 3:
			status, body, hdr = b.post("/solicitar/datos", mixed("student_dep", "student_prov", "student_dist"))
		case 4:
			status, body, hdr = b.post("/solicitar/datos", mixed("email", "pick", "guardian_dist"))
		case 5:
			var s string
			status, s = b.postFile("/verificar/archivo", form(), "archivo", v2, []byte(v1))
			body = s
		case 6:
			status, body, hdr = b.post("/verificar", form("codigo", v1, "lang", v2))
		case 7:
			status, body, hdr = b.get("/verificar/" + url.PathEscape(v1) + "/pdf")
		case 8:
			status, body, hdr = b.postRaw("/api/v1/solicitudes", "application/json", []byte(v1))
		case 9:
			status, body, hdr = b.get("/api/v1/constancias/" + url.PathEscape(v1))
		case 10:
			status, body, hdr = b.get("/solicitar?lang=" + url.QueryEscape(v1))
		case 11:
			status, body, hdr = b.post("/solicitar/emitir", form("regenerar", v1))
		case 12:
			status, body, hdr = b.post("/solicitar/terminos", url.Values{"csrf": {v1}, "accept": {v2}})
		case 13:
			status, body, hdr = b.get("/api/v1/ubigeo/distritos?prov=" + url.QueryEscape(v1))
		}
		if status >= 500 {
			t.Fatalf("form %d answered %d: %.300s", which%14, status, body)
		}
		if hdr != nil && !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
			return
		}
		if v, ok := reflected(body, v1, v2, v3); ok {
			t.Fatalf("form %d reflected %q unescaped", which%14, v)
		}
	})
}

// The fuzz targets' check for reflected markup. With the high bit of
// "which" set, every value is sent between two markers: html/template
// escapes <, >, ", ' and &, so a page holding marker+value+marker with any
// of them raw put the stranger's text into the page unescaped. (Without
// markers a short value such as "ipt>" is found in the page's own
// "</script>": no proof of anything.)
const mark = "QZXQ"

func marked(which uint8, vs ...string) (string, string, string) {
	if which&0x80 != 0 {
		for i := range vs {
			vs[i] = mark + vs[i] + mark
		}
	}
	return vs[0], vs[1], vs[2]
}

func reflected(body string, vs ...string) (string, bool) {
	for _, v := range vs {
		if strings.HasPrefix(v, mark) && strings.ContainsAny(v, "<>\"'&") && strings.Contains(body, v) {
			return v, true
		}
	}
	return "", false
}

// postRaw posts body as is with the given content type.
func (b *browser) postRaw(path, contentType string, body []byte) (int, string, http.Header) {
	b.t.Helper()
	resp, err := b.c.Post(b.base+path, contentType, bytes.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.String(), resp.Header
}
