package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/issuer/keytool"
	"github.com/minedu-cla/cla/issuer/registry/synth"
	"github.com/minedu-cla/cla/issuer/staff"
	"github.com/minedu-cla/cla/issuer/staff/totp"
	"github.com/minedu-cla/cla/issuer/store"
)

// shiftClock is the issuer's clock in TestBrowserKeyRotation: the real
// time moved ahead by off, so the test can pass a not_before and an
// overlap while everything else (sessions, codes) sees a consistent time.
type shiftClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *shiftClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return time.Now().Add(c.off) }
func (c *shiftClock) add(d time.Duration) { c.mu.Lock(); c.off += d; c.mu.Unlock() }

// adminRotationButtons reads the buttons docs/ADMIN.md's rotation steps
// name in bold, in order.
func adminRotationButtons(t *testing.T) []string {
	t.Helper()
	doc, err := os.ReadFile("../../docs/ADMIN.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(doc)
	start := strings.Index(s, "**Rotation**")
	end := strings.Index(s, "Each step is audited")
	if start < 0 || end < start {
		t.Fatal("docs/ADMIN.md has no rotation steps")
	}
	var out []string
	for _, m := range regexp.MustCompile(`\*\*([^*]+)\*\*`).FindAllStringSubmatch(s[start:end], -1) {
		// The step titles are English; the buttons are the Spanish labels.
		if label := strings.Join(strings.Fields(m[1]), " "); !strings.HasSuffix(label, ".") && label != "Rotation" {
			out = append(out, label)
		}
	}
	return out
}

// TestBrowserKeyRotation follows docs/ADMIN.md's rotation in Chromium on
// the real issuer, button by button in the order the page names them:
// prepare the new key, publish both, switch once the new key's not_before
// has passed, retire the old key once the overlap has passed; the
// offline steps run the cla-keys library with the values the page prints.
// The issuer's clock is moved ahead (Config.Now) past the not_before and
// the overlap. A constancia issued before the rotation and one issued
// after it, with the new key, both read valid on /verificar (by code, and
// from the PDF's QR code). Screenshots of each state, at desktop width and
// at 390 px, go to $CLA_SHOTS.
func TestBrowserKeyRotation(t *testing.T) {
	b := newFlowTab(t)
	data := t.TempDir()
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
	clock := &shiftClock{}
	base, stop := startIssuerWith(t, Config{Addr: "127.0.0.1:0", DataDir: data, DevKeys: true, Now: clock.now})
	stop = sync.OnceFunc(stop)
	t.Cleanup(stop)
	b.base = base

	g, _ := synth.New(synth.DefaultConfig())
	cases := g.Cases()
	before := issueByAPI(t, base, g, cases[0])

	// The offline machine: the root key and its passphrase (development
	// keys keep both in the key folder; production keeps them offline).
	offline := t.TempDir()
	keyDir := filepath.Join(data, "keys")
	devPass, err := os.ReadFile(filepath.Join(keyDir, "dev-passphrase"))
	if err != nil {
		t.Fatal(err)
	}
	root, _, err := keyfile.ReadFile(filepath.Join(keyDir, "root.key"), devPass)
	if err != nil {
		t.Fatal(err)
	}
	ceremony := func(command string, add []ed25519.PublicKey) string {
		t.Helper()
		flag := func(name string) string {
			m := regexp.MustCompile(`-` + name + ` (\S+)`).FindStringSubmatch(command)
			if m == nil {
				t.Fatalf("the page's command %q has no -%s", command, name)
			}
			return m[1]
		}
		// The previous keyset, as the page says, from /trust/keyset.
		prev := filepath.Join(offline, flag("prev"))
		if err := os.WriteFile(prev, httpGet(t, base+"/trust/keyset"), 0o644); err != nil {
			t.Fatal(err)
		}
		o := keytool.KeysetOptions{Root: root, Prev: prev, Add: add, Now: clock.now(), Validity: 365 * 24 * time.Hour,
			Out: filepath.Join(offline, flag("out"))}
		if len(add) > 0 {
			if o.NotBefore, err = time.Parse("2006-01-02", flag("not-before")); err != nil {
				t.Fatal(err)
			}
			o.NotAfter = o.NotBefore.AddDate(1, 0, 0)
		} else {
			kid, err := keytool.ParseKid(flag("retire"))
			if err != nil {
				t.Fatal(err)
			}
			o.Retire = [][]byte{kid}
			if o.RetireAt, err = time.Parse(time.RFC3339, flag("retire-at")); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := keytool.BuildKeyset(o); err != nil {
			t.Fatal(err)
		}
		return o.Out
	}

	shots := func(name string) {
		t.Helper()
		b.shot(name)
		b.do(chromedp.EmulateViewport(390, 844))
		b.shot(name + "-390")
		b.do(chromedp.EmulateViewport(1100, 900))
	}
	var pressed []string
	signIn := func() {
		t.Helper()
		clock.add(totp.Period * time.Second) // a fresh code: each is accepted once
		code, _ := totp.Code(secret, clock.now())
		b.do(chromedp.Navigate(base+"/admin/?lang=es"), chromedp.WaitVisible(chromedp.ID("usuario")),
			chromedp.SendKeys(chromedp.ID("usuario"), "ana.quispe"), chromedp.SendKeys(chromedp.ID("clave"), "correct horse battery"),
			chromedp.SendKeys(chromedp.ID("codigo"), code))
		b.submitForm("#codigo")
		b.do(chromedp.Navigate(base+"/admin/claves"), chromedp.WaitVisible(chromedp.ID("rotacion")))
	}
	// press clicks the button labelled label, as a person does, and
	// answers the step-up with the password and a fresh code.
	press := func(label string) {
		t.Helper()
		found := b.js(`(function(){var b=Array.from(document.querySelectorAll("main button")).find(function(e){` +
			`return e.textContent.trim()===` + jsString(label) + `});if(!b)return "";window.claOld=true;b.click();return "ok"})()`)
		if found == "" {
			t.Fatalf("no button %q on %s: %s", label, b.path(), b.js(`document.querySelector("main").innerText`))
		}
		b.do(flowNewPage())
		if len(pressed) == 0 {
			shots("r01-confirmar")
		}
		pressed = append(pressed, label)
		clock.add(totp.Period * time.Second)
		code, _ := totp.Code(secret, clock.now())
		b.do(chromedp.WaitVisible(chromedp.ID("mi_clave")), chromedp.SendKeys(chromedp.ID("mi_clave"), "correct horse battery"),
			chromedp.SendKeys(chromedp.ID("mi_codigo"), code))
		b.follow(`form.narrow button[type="submit"]`)
		pressed = append(pressed, "Confirmar")
		if b.path() != "/admin/claves" {
			t.Fatalf("after %s: %s %v", label, b.path(), b.alerts())
		}
	}
	expect := func(next, when string) {
		t.Helper()
		text := b.js(`document.getElementById("rotacion").closest("section").innerText`)
		if !strings.Contains(text, next) || !strings.Contains(text, when) {
			t.Fatalf("the rotation panel does not say %q and %q:\n%s", next, when, text)
		}
	}
	done := func(msg string) {
		t.Helper()
		if got := b.js(`(document.querySelector('div.alert.ok')||{}).textContent||""`); !strings.Contains(got, msg) {
			t.Fatalf("after the step: %q, want %q (errors %v)", got, msg, b.alerts())
		}
	}
	command := func() string { return b.js(`document.querySelector("pre.command").textContent`) }

	// 1. Prepare the new key.
	signIn()
	shots("r01-paso1")
	expect("Paso siguiente: 1. Preparar la clave nueva", "Posible ahora.")
	newKey := filepath.Join(offline, "signing-2027.key")
	pub2, err := keytool.NewKey(newKey, keyfile.RoleSigning, []byte("frase de la ceremonia"), keyfile.Params{Time: 1, MemoryKiB: 1024, Threads: 1}, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.SetUploadFiles(chromedp.ID("clave"), []string{newKey}), chromedp.SendKeys(chromedp.ID("frase"), "frase de la ceremonia"))
	press("Preparar la clave nueva")
	done("Paso 1 hecho")

	// 2. Publish both keys.
	expect("Paso siguiente: 2. Publicar ambas claves", "Posible ahora.")
	shots("r02-paso2")
	cmd := command()
	if !strings.Contains(cmd, "-prev keyset-000001.cose") || !strings.Contains(cmd, "-out keyset-000002.cose") {
		t.Fatalf("step 2's command: %s", cmd)
	}
	b.do(chromedp.SetUploadFiles(chromedp.ID("keyset-nuevo"), []string{ceremony(cmd, []ed25519.PublicKey{pub2})}))
	press("Publicar ambas claves")
	done("Paso 2 hecho")

	// 3. Switch to the new key, possible from its not_before only.
	expect("Paso siguiente: 3. Cambiar a la clave nueva", "Posible desde el ")
	if b.js(`String(!!document.querySelector('form[action$="/cambiar"]'))`) != "false" {
		t.Fatal("the switch is offered before the new key's not_before")
	}
	shots("r03-espera")
	clock.add(8 * 24 * time.Hour)
	signIn() // the session ended while the days passed
	expect("Paso siguiente: 3. Cambiar a la clave nueva", "Posible ahora.")
	press("Cambiar a la clave nueva")
	done("Paso 3 hecho")
	after := issueByAPI(t, base, g, cases[12])

	// 4. Retire the old key, once the overlap has passed.
	expect("Paso siguiente: 4. Retirar la clave anterior", "Posible desde el ")
	shots("r04-solapamiento")
	cmd = command()
	clock.add(8 * 24 * time.Hour)
	signIn()
	expect("Paso siguiente: 4. Retirar la clave anterior", "Posible ahora.")
	b.do(chromedp.SetUploadFiles(chromedp.ID("keyset-retiro"), []string{ceremony(cmd, nil)}))
	press("Retirar la clave anterior")
	done("Paso 4 hecho")
	shots("r05-terminada")
	for _, lang := range []string{"en", "qu"} {
		b.do(chromedp.Navigate(base+"/admin/claves?lang="+lang), chromedp.WaitVisible(chromedp.ID("rotacion")))
		b.shot("r05-terminada-" + lang)
	}
	b.do(chromedp.Navigate(base + "/admin/claves?lang=es"))

	if want := adminRotationButtons(t); !slices.Equal(pressed, want) {
		t.Errorf("pressed %q,\ndocs/ADMIN.md says %q", pressed, want)
	}
	// The JWKS lists both keys; after the retirement the old one is retired.
	list, err := keyset.ParseJWKS(httpGet(t, base+"/.well-known/jwks.json"))
	if err != nil || len(list) != 2 {
		t.Fatalf("JWKS after the rotation: %d keys, %v", len(list), err)
	}
	var statuses []string
	for _, k := range list {
		statuses = append(statuses, k.Status.String())
	}
	if slices.Sort(statuses); !slices.Equal(statuses, []string{"active", "retired"}) {
		t.Errorf("key states after the rotation: %v", statuses)
	}

	// Both constancias verify: by code, and from the PDF's QR code.
	for i, code := range []string{before, after} {
		b.do(chromedp.Navigate(base+"/verificar?lang=es"), chromedp.WaitVisible(chromedp.ID("codigo")),
			chromedp.SendKeys(chromedp.ID("codigo"), code))
		b.submitForm("#codigo")
		if v := b.js(`document.querySelector(".verdict").textContent`); !strings.Contains(v, "VÁLIDA") {
			t.Errorf("constancia %d (%s) by code: %q", i, code, v)
		}
		pdf := filepath.Join(offline, code+".pdf")
		os.WriteFile(pdf, httpGet(t, base+"/verificar/"+code+"/pdf"), 0o644)
		b.do(chromedp.Navigate(base+"/verificar?lang=es"), chromedp.WaitVisible(chromedp.ID("archivo")),
			chromedp.SetUploadFiles(chromedp.ID("archivo"), []string{pdf}))
		b.submitForm("#archivo")
		if v := b.js(`document.querySelector(".verdict").textContent`); !strings.Contains(v, "VÁLIDA") {
			t.Errorf("constancia %d (%s) from its PDF: %q", i, code, v)
		}
	}
	b.shot("r06-verificada")

	// The one after was signed with the new key, the one before with the old.
	stop()
	db, err = store.OpenBolt(filepath.Join(data, "db_micertificado"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tc := range []struct {
		code  string
		isNew bool
	}{{before, false}, {after, true}} {
		err := db.View(context.Background(), func(tx store.Tx) error {
			c, err := tx.ByCode(strings.ReplaceAll(tc.code, "-", ""))
			if err == nil && bytes.Equal(c.KeyID, cose.KeyID(pub2)) != tc.isNew {
				t.Errorf("%s signed by %x; the new key is %x", tc.code, c.KeyID, cose.KeyID(pub2))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("screenshots in %s", b.shots)
}

// httpGet returns the body of a 200 answer to GET u.
func httpGet(t *testing.T, u string) []byte {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	return body
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
