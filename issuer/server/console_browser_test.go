package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/minedu-cla/cla/internal/browsertest"
	"github.com/minedu-cla/cla/issuer/registry/synth"
	"github.com/minedu-cla/cla/issuer/staff"
	"github.com/minedu-cla/cla/issuer/staff/totp"
	"github.com/minedu-cla/cla/issuer/store"
	"github.com/minedu-cla/cla/issuer/web"
)

// TestBrowserConsole drives the admin console in headless Chromium on the
// real issuer: an admin signs in with password and TOTP, finds a
// constancia, revokes it, records a data-subject request, and looks at
// keys, users, the audit trail and the statistics; a screenshot of each
// page goes to $CLA_SHOTS.
func TestBrowserConsole(t *testing.T) {
	ctx := browsertest.Browser(t)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	// The first admin, made as `cla-issuer admin create` does.
	db, err := store.OpenBolt(filepath.Join(data, "db_micertificado"))
	if err != nil {
		t.Fatal(err)
	}
	acc := &staff.Accounts{Store: db, Params: staff.Params{Time: 1, MemoryKiB: 1024, Threads: 1}, Now: time.Now, Rand: rand.Reader}
	uri, err := acc.Create(context.Background(), "ana.quispe", staff.Admin, "correct horse battery")
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(uri)
	secret := u.Query().Get("secret")

	base, stop := startIssuer(t, data)
	defer stop()
	g, _ := synth.New(synth.DefaultConfig())
	c := g.Cases()[0]
	p, _ := g.Person(context.Background(), c.Student)
	body, _ := json.Marshal(map[string]any{"requester": "adult", "email": "alumna@example.pe", "accept_terms": web.TermsVersion,
		"student": map[string]string{"doc_type": "DNI", "doc_number": c.Student.Number, "father_names": p.Father.Names,
			"mother_names": p.Mother.Names, "ubigeo": string(p.Ubigeo)}})
	resp, err := http.Post(base+"/api/v1/solicitudes", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var issued struct{ Code string }
	json.NewDecoder(resp.Body).Decode(&issued)
	resp.Body.Close()
	if issued.Code == "" {
		t.Fatalf("request: %d", resp.StatusCode)
	}

	shots := browsertest.ShotDir(t)
	ctx, cancel := context.WithTimeout(ctx, 120*time.Second)
	defer cancel()
	id, css := func(s string) chromedp.ID { return chromedp.ID(s) }, func(s string) chromedp.CSS { return chromedp.CSS(s) }
	shot := func(name string) chromedp.Action[chromedp.Void] { return browsertest.Shot(shots, name) }
	code, _ := totp.Code(secret, time.Now())
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/admin/?lang=es"), chromedp.WaitVisible(id("usuario")), shot("c01-ingreso"),
		chromedp.SendKeys(id("usuario"), "ana.quispe"),
		chromedp.SendKeys(id("clave"), "correct horse battery"),
		chromedp.SendKeys(id("codigo"), code),
		chromedp.Submit(id("codigo")),
		chromedp.WaitVisible(css("ul.areas")), shot("c02-inicio"),
		chromedp.Navigate(base+"/admin/constancias"), chromedp.WaitVisible(id("q")),
		chromedp.SendKeys(id("q"), strings.ToLower(issued.Code)), chromedp.Submit(id("q")),
		chromedp.WaitVisible(id("motivo-rev")), shot("c03-constancia"),
		chromedp.SendKeys(id("motivo-rev"), "Documento presentado con adulteraciones"),
		chromedp.Submit(id("motivo-rev")),
		// The confirmation page names the constancia; its button revokes.
		chromedp.WaitVisible(id("confirmar-revocar")), shot("c04a-confirmar-revocacion"),
		chromedp.EmulateViewport(390, 844), shot("c04a-confirmar-revocacion-390"), chromedp.EmulateViewport(1100, 900),
		chromedp.Click(id("confirmar-revocar")),
		chromedp.WaitVisible(css(`div.alert.ok`)), shot("c04-revocada"),
		chromedp.Navigate(base+"/admin/solicitudes"), chromedp.WaitVisible(id("codigo")),
		browsertest.Choose("tipo", "cancelacion"),
		chromedp.SendKeys(id("codigo"), issued.Code),
		chromedp.Click(id("identidad")),
		chromedp.Submit(id("codigo")),
		chromedp.WaitVisible(css(`form[action$="/atender"]`)), shot("c05-solicitud"),
		chromedp.Navigate(base+"/admin/solicitudes"), chromedp.WaitVisible(css("table")), shot("c06-solicitudes"),
		chromedp.Navigate(base+"/admin/claves"), chromedp.WaitVisible(id("keyset")), shot("c07-claves"),
		chromedp.Navigate(base+"/admin/usuarios"), chromedp.WaitVisible(id("nuevo-usuario")), shot("c08-usuarios"),
		chromedp.Navigate(base+"/admin/auditoria?comprobar=1"), chromedp.WaitVisible(css("table")), shot("c09-auditoria"),
		chromedp.Navigate(base+"/admin/estadisticas?hasta=hoy"), chromedp.WaitVisible(css("table")), shot("c10-estadisticas"),
		chromedp.Navigate(base+"/admin/usuarios?lang=qu"), chromedp.WaitVisible(id("nuevo-usuario")), shot("c11-usuarios-qu"),
		chromedp.Navigate(base+"/admin/auditoria?comprobar=1&lang=en"), chromedp.WaitVisible(css("table")), shot("c12-audit-en"),
	)
	if err != nil {
		t.Fatal(err)
	}
	auditText, err := chromedp.Run(ctx, chromedp.Text(css("main")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Chain intact", "revoke", "dsr_open", "login", "constancia_view"} {
		if !strings.Contains(auditText, want) {
			t.Errorf("the audit page lacks %q", want)
		}
	}
	t.Logf("screenshots in %s", shots)
}
