package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// FuzzAdminForms posts hostile values to every console form as a signed-in
// admin: whatever comes in, the answer is never a 5xx, and text typed with
// markup never comes back unescaped.
func FuzzAdminForms(f *testing.F) {
	c := newConsole(f)
	cases := c.issuable()
	a, b2 := c.issue(f, cases[0]), c.issue(f, cases[1])
	b, tok := c.login(f, "admin1")
	ids := []string{strconv.FormatUint(a.ID, 10), strconv.FormatUint(b2.ID, 10)}
	for i := range 16 {
		f.Add(uint8(i), "<script>alert(1)</script>", "oposicion", "presencial")
		f.Add(uint8(i), a.Code, "\x00\xff", strings.Repeat("é", 300))
	}
	f.Add(uint8(4), "registrar", "admin", "correct horse battery")
	f.Add(uint8(0x80|7), "<b>", "oposicion", `"'&`)
	f.Fuzz(func(t *testing.T, which uint8, v1, v2, v3 string) {
		b.t = t
		v1, v2, v3 = marked(which, v1, v2, v3)
		var status int
		var body string
		var hdr http.Header
		form := func(kv ...string) url.Values { return csrfForm(tok, kv...) }
		id := ids[int(which)%2]
		safeUser := v1 != "admin1"
		switch which % 16 {
		case 0:
			status, body, hdr = b.post("/admin/constancias/"+id+"/revocar", form("motivo", v1))
		case 1:
			status, body, hdr = b.post("/admin/constancias/"+id+"/reemitir", form("motivo", v1))
		case 2:
			status, body, hdr = b.post("/admin/constancias/"+id+"/restaurar", form("motivo", v1))
		case 3:
			status, body, hdr = b.post("/admin/constancias/"+url.PathEscape(v1)+"/revocar", form("motivo", v2))
		case 4:
			status, body, hdr = b.post("/admin/usuarios", form("usuario", v1, "rol", v2, "clave", v3))
		case 5:
			if !safeUser {
				return
			}
			status, body, hdr = b.post("/admin/usuarios/"+url.PathEscape(v1)+"/estado", form("desactivar", v2))
		case 6:
			if !safeUser {
				return
			}
			status, body, hdr = b.post("/admin/usuarios/"+url.PathEscape(v1)+"/clave", form("clave", v2))
		case 7:
			status, body, hdr = b.post("/admin/solicitudes", form("tipo", v2, "codigo", v1, "canal", v3, "nota", v1, "identidad", "1"))
		case 8:
			status, body, hdr = b.post("/admin/solicitudes/"+url.PathEscape(v1)+"/atender", form())
		case 9:
			status, body, hdr = b.post("/admin/solicitudes/"+url.PathEscape(v1)+"/rechazar", form("motivo", v2))
		case 10:
			status, body, hdr = b.get("/admin/constancias?q=" + url.QueryEscape(v1))
		case 11:
			status, body, hdr = b.get("/admin/estadisticas?hasta=" + url.QueryEscape(v1) + "&lang=" + url.QueryEscape(v2))
		case 12:
			var s string
			status, s = b.postFile("/admin/claves/keyset", form(), "keyset", v2, []byte(v1))
			body = s
		case 13:
			var s string
			status, s = b.postFile("/admin/claves/firma", form("frase", v2), "clave", v3, []byte(v1))
			body = s
		case 14:
			status, body, hdr = b.post("/admin/claves/reemitir/"+url.PathEscape(v1), form())
		case 15:
			status, body, hdr = b.post("/admin/entrar", url.Values{"csrf": {v3}, "usuario": {v1}, "clave": {v2}})
		}
		if status >= 500 {
			t.Fatalf("form %d answered %d", which%16, status)
		}
		if hdr != nil && !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
			return
		}
		if v, ok := reflected(body, v1, v2, v3); ok {
			t.Fatalf("form %d reflected %q unescaped", which%16, v)
		}
	})
}

// csrfForm is a form of key, value pairs with the session's CSRF token.
func csrfForm(tok string, kv ...string) url.Values {
	v := url.Values{"csrf": {tok}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}
