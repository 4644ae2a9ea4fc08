package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/minedu-cla/cla/internal/webtest"
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
		b.T = t
		v1, v2, v3 = webtest.Marked(which, v1, v2, v3)
		var status int
		var body string
		var hdr http.Header
		form := func(kv ...string) url.Values { return webtest.CSRFForm(tok, kv...) }
		id := ids[int(which)%2]
		safeUser := v1 != "admin1"
		switch which % 16 {
		case 0:
			status, body, hdr = b.Post("/admin/constancias/"+id+"/revocar", form("motivo", v1, "confirmado", v2))
		case 1:
			status, body, hdr = b.Post("/admin/constancias/"+id+"/reemitir", form("motivo", v1))
		case 2:
			status, body, hdr = b.Post("/admin/constancias/"+id+"/restaurar", form("motivo", v1))
		case 3:
			status, body, hdr = b.Post("/admin/constancias/"+url.PathEscape(v1)+"/revocar", form("motivo", v2))
		case 4:
			status, body, hdr = b.Post("/admin/usuarios", form("usuario", v1, "rol", v2, "clave", v3))
		case 5:
			if !safeUser {
				return
			}
			status, body, hdr = b.Post("/admin/usuarios/"+url.PathEscape(v1)+"/estado", form("desactivar", v2))
		case 6:
			if !safeUser {
				return
			}
			status, body, hdr = b.Post("/admin/usuarios/"+url.PathEscape(v1)+"/clave", form("clave", v2))
		case 7:
			status, body, hdr = b.Post("/admin/solicitudes", form("tipo", v2, "codigo", v1, "canal", v3, "nota", v1, "identidad", "1"))
		case 8:
			status, body, hdr = b.Post("/admin/solicitudes/"+url.PathEscape(v1)+"/atender", form())
		case 9:
			status, body, hdr = b.Post("/admin/solicitudes/"+url.PathEscape(v1)+"/rechazar", form("motivo", v2))
		case 10:
			status, body, hdr = b.Get("/admin/constancias?q=" + url.QueryEscape(v1))
		case 11:
			status, body, hdr = b.Get("/admin/estadisticas?hasta=" + url.QueryEscape(v1) + "&lang=" + url.QueryEscape(v2))
		case 12:
			var s string
			status, s = b.PostFile("/admin/claves/keyset", form(), "keyset", v2, []byte(v1))
			body = s
		case 13:
			var s string
			status, s = b.PostFile("/admin/claves/rotacion/preparar", form("frase", v2), "clave", v3, []byte(v1))
			body = s
		case 14:
			status, body, hdr = b.Post("/admin/claves/reemitir/"+url.PathEscape(v1), form())
		case 15:
			status, body, hdr = b.Post("/admin/entrar", url.Values{"csrf": {v3}, "usuario": {v1}, "clave": {v2}})
		}
		if status >= 500 {
			t.Fatalf("form %d answered %d", which%16, status)
		}
		if hdr != nil && !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
			return
		}
		if v, ok := webtest.Reflected(body, v1, v2, v3); ok {
			t.Fatalf("form %d reflected %q unescaped", which%16, v)
		}
	})
}

// csrfForm is a form of key, value pairs with the session's CSRF token.
