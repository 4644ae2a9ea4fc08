package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/minedu-cla/cla/internal/browsertest"
	"github.com/minedu-cla/cla/issuer/registry/synth"
)

// TestBrowserFlows drives the real pages in headless Chromium: the adult
// request from terms to code, a refusal, the verify page, the three
// languages; and keeps a screenshot of each page ($CLA_SHOTS).
func TestBrowserFlows(t *testing.T) {
	ctx := browsertest.Browser(t)
	if err := chromedp.Do(ctx); err != nil { // start the browser outside the timeout below
		t.Fatal(err)
	}
	base, stop := startIssuer(t, t.TempDir())
	defer stop()
	shots := browsertest.ShotDir(t)
	g, _ := synth.New(synth.DefaultConfig())
	c := g.Cases()[0]
	p, _ := g.Person(context.Background(), c.Student)
	// Bound the whole walk (a selector that never appears must fail, not hang).
	ctx, cancel := context.WithTimeout(ctx, 120*time.Second)
	defer cancel()

	id, css := func(s string) chromedp.ID { return chromedp.ID(s) }, func(s string) chromedp.CSS { return chromedp.CSS(s) }
	shot := func(name string) chromedp.Action[chromedp.Void] { return browsertest.Shot(shots, name) }
	text := func(sel string) string {
		s, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	err := chromedp.Do(ctx,
		// Cookies refused first: the request says it needs them, verifying does not.
		chromedp.Navigate(base+"/solicitar?lang=es"), chromedp.WaitVisible(acceptCookiesButton), shot("00-solicitar-sin-cookies"),
		chromedp.Click(css(`.cookie-notice button[value="no"]`)), chromedp.WaitVisible(css(`.cookie-notice p[role="status"]`)),
		shot("00-cookies-rechazadas"),
		chromedp.Click(css(`.cookie-notice a.button`)), chromedp.WaitVisible(css(`p.cookie-declined`)),
		chromedp.Navigate(base+"/?lang=es"), chromedp.WaitVisible(acceptCookiesButton), shot("01-inicio"),
		chromedp.EmulateViewport(390, 844), shot("01-inicio-390"), chromedp.EmulateViewport(1100, 900),
		chromedp.Click(acceptCookiesButton), chromedp.WaitNotPresent(css(".cookie-notice")),
		chromedp.Navigate(base+"/solicitar"), chromedp.WaitVisible(id("accept")), shot("02-terminos"),
		chromedp.Click(id("accept")), chromedp.Submit(id("accept")),
		chromedp.WaitVisible(id("student-doc")), shot("03-formulario"),
		// A wrong district: one message, no detail of what differed.
		chromedp.SendKeys(id("student-doc"), c.Student.Number),
		chromedp.SendKeys(id("student-father"), strings.ToLower(p.Father.Names)),
		chromedp.SendKeys(id("student-mother"), p.Mother.Names),
		chromedp.SetValue(id("email"), "alumna@example.pe"),
		browsertest.Choose("student-dep", "150000"), browsertest.Choose("student-prov", "150100"),
		browsertest.Choose("student-dist", "150101"),
		chromedp.Click(css(`button[name="pick"][value=""]`)),
		chromedp.WaitVisible(css(`div[role="alert"]`)), shot("04-rechazo"),
		// The right district (the script fills the lists in place).
		browsertest.Choose("student-dep", string(p.Ubigeo.Department())),
		browsertest.Choose("student-prov", string(p.Ubigeo.Province())),
		browsertest.Choose("student-dist", string(p.Ubigeo)),
		chromedp.Click(css(`button[name="pick"][value=""]`)),
		chromedp.WaitVisible(css(`table`)), shot("05-vista-previa"),
		chromedp.Click(css(`form[action="/solicitar/emitir"] button`)),
		chromedp.WaitVisible(css(`.code`)), shot("06-listo"),
	)
	if err != nil {
		t.Fatal(err)
	}
	done, code := text("main"), text(".code")
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/verificar"), chromedp.WaitVisible(id("codigo")), shot("07-verificar"),
		chromedp.SendKeys(id("codigo"), strings.ToLower(code)),
		chromedp.Submit(id("codigo")),
		chromedp.WaitVisible(css(`.verdict`)), shot("08-resultado"),
	)
	if err != nil {
		t.Fatal(err)
	}
	result := text("main")
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/verificar?lang=en"), chromedp.WaitVisible(id("codigo")), shot("09-verify-en"),
		chromedp.Navigate(base+"/solicitar?lang=qu"), chromedp.WaitVisible(id("accept")), shot("10-terminos-qu"),
		chromedp.Navigate(base+"/privacidad?lang=es"), shot("11-privacidad"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(done, "Constancia emitida") || len(code) != 16 {
		t.Fatalf("done page: %q code %q", done, code)
	}
	if !strings.Contains(result, "VÁLIDA") || !strings.Contains(result, c.Student.Number) {
		t.Fatalf("result page: %q", result)
	}
	t.Logf("screenshots in %s", shots)
}
