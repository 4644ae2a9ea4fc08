package console

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minedu-cla/cla/assets/demo"
	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/crypto/status"
	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/issuance"
	"github.com/minedu-cla/cla/issuer/keys"
	"github.com/minedu-cla/cla/issuer/keytool"
	"github.com/minedu-cla/cla/issuer/manage"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/synth"
	"github.com/minedu-cla/cla/issuer/revocation"
	"github.com/minedu-cla/cla/issuer/staff"
	"github.com/minedu-cla/cla/issuer/staff/totp"
	"github.com/minedu-cla/cla/issuer/store"
	"github.com/minedu-cla/cla/issuer/ubigeo"
	bolt "go.etcd.io/bbolt"

	"github.com/minedu-cla/cla/issuer/constancia"

	"github.com/minedu-cla/cla/issuer/web"

	"github.com/minedu-cla/cla/internal/webtest"
)

var (
	cheapKDF   = keyfile.Params{Time: 1, MemoryKiB: 64, Threads: 1}
	adminPass  = []byte("dev passphrase for tests")
	staffPass  = "correct horse battery"
	staffRoles = []staff.Role{staff.Admin, staff.Registrar, staff.Auditor}
)

type adminClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *adminClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *adminClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// console is an issuer with the admin console on a real bbolt file, and
// one user of each role.
type console struct {
	srv     *httptest.Server
	gen     *synth.Generator
	svc     *issuance.Service
	mgr     *manage.Manager
	db      *store.Bolt
	dbPath  string
	keyDir  string
	tmp     string
	clock   *adminClock
	secrets map[string]string // admin user → TOTP secret
	n       int
	rec     *audit.Recorder
}

func newConsole(t testing.TB) *console {
	t.Helper()
	c := &console{clock: &adminClock{t: time.Date(2026, 11, 28, 15, 0, 0, 0, time.UTC)}, secrets: map[string]string{},
		keyDir: filepath.Join(t.TempDir(), "keys"), dbPath: filepath.Join(t.TempDir(), "db_micertificado"), tmp: t.TempDir()}
	g, err := synth.New(synth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	c.gen = g
	c.start(t)
	t.Cleanup(c.stop)
	return c
}

// start opens the store and serves the console (making the users on the
// first start).
func (c *console) start(t testing.TB) {
	t.Helper()
	k, err := keys.Open(keys.Options{Dir: c.keyDir, Dev: true, Passphrase: adminPass, Now: c.clock.now, Rand: rand.Reader, KDF: cheapKDF})
	if err != nil {
		t.Fatal(err)
	}
	if c.db, err = store.OpenBolt(c.dbPath); err != nil {
		t.Fatal(err)
	}
	rl := revocation.New(revocation.Options{Store: c.db, Size: status.MinBits, Signer: k.MustSigner, Now: c.clock.now, Rand: rand.Reader})
	if err := rl.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	secret := []byte("issuer secret")
	c.svc = &issuance.Service{Identity: c.gen, Records: c.gen, Store: c.db, Keys: k, Status: rl, Secret: secret, Issuer: "MINEDU",
		Now: c.clock.now, Rand: rand.Reader,
		Render: func(_ *credential.Record, qr string, _ []byte) ([]byte, error) {
			return append([]byte("%PDF-"), qr...), nil
		}}
	c.mgr = &manage.Manager{Service: c.svc, Store: c.db, Keys: k, Status: rl, Secret: secret, Now: c.clock.now}
	c.svc.Audit = c.mgr
	c.rec = audit.NewRecorder(c.db, audit.RecorderOptions{Now: c.clock.now, Interval: 10 * time.Millisecond})
	acc := &staff.Accounts{Store: c.db, Params: staff.Params{Time: 1, MemoryKiB: 64, Threads: 1}, Now: c.clock.now, Rand: rand.Reader}
	if n, _ := acc.Count(context.Background()); n == 0 {
		for _, r := range staffRoles {
			uri, err := acc.Create(context.Background(), string(r)+"1", r, staffPass)
			if err != nil {
				t.Fatal(err)
			}
			if uri != "" {
				u, _ := url.Parse(uri)
				c.secrets[string(r)+"1"] = u.Query().Get("secret")
			}
		}
	}
	cat, err := ubigeo.LoadFS(demo.Ubigeo())
	if err != nil {
		t.Fatal(err)
	}
	handler, err := web.New(web.Deps{Service: c.svc, Keys: k, Status: rl, Catalogue: cat, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: c.clock.now, Accounts: acc, Manage: c.mgr, Audit: c.rec, Areas: []web.Area{Mount},
		TrustedProxies: web.Loopback}) // tests name client addresses with X-Forwarded-For
	if err != nil {
		t.Fatal(err)
	}
	c.srv = httptest.NewServer(handler)
}

func (c *console) stop() {
	if c.srv == nil {
		return
	}
	c.srv.Close()
	c.mgr.Close()
	c.rec.Close()
	c.db.Close()
	c.srv = nil
}

// issue issues demo case i's constancia (a new version each call).
func (c *console) issue(t testing.TB, i int) *constancia.Issued {
	t.Helper()
	ctx := context.Background()
	cs := c.gen.Cases()[i]
	claim := func(doc registry.Person) registry.Claim {
		return registry.Claim{FatherNames: doc.Father.Names, MotherNames: doc.Mother.Names, Ubigeo: doc.Ubigeo}
	}
	p, _ := c.gen.Person(ctx, cs.Student)
	req := issuance.Request{Requester: constancia.Adult, Student: issuance.Person{Doc: cs.Student, Claim: claim(*p)},
		Email: "familia@example.pe", TermsVersion: web.TermsVersion, Regenerate: true}
	if !cs.Guardian.IsZero() {
		gp, _ := c.gen.Person(ctx, cs.Guardian)
		req.Requester, req.Guardian = constancia.Guardian, &issuance.Person{Doc: cs.Guardian, Claim: claim(*gp)}
	}
	checked, err := c.svc.Check(ctx, req)
	if err != nil {
		t.Fatalf("case %d: %v", i, err)
	}
	out, err := c.svc.Issue(ctx, checked)
	if err != nil {
		t.Fatal(err)
	}
	return out.Constancia
}

// issuable are demo cases that issue, one per student.
func (c *console) issuable() []int {
	var out []int
	seen := map[string]bool{}
	for i, cs := range c.gen.Cases() {
		if (cs.Want == synth.WantIssue || cs.Want == synth.WantForeignIssue) && !seen[cs.Student.Number] {
			seen[cs.Student.Number] = true
			out = append(out, i)
		}
	}
	return out
}

// login signs a user in and returns their browser and CSRF token.
func (c *console) login(t testing.TB, user string) (*webtest.Browser, string) {
	t.Helper()
	b := webtest.NewBrowser(t, c.srv.URL)
	_, page, _ := b.Get("/admin/entrar")
	code := ""
	if s, ok := c.secrets[user]; ok {
		c.clock.add(totp.Period * time.Second) // a fresh step: codes are single-use
		code, _ = totp.Code(s, c.clock.now())
	}
	st, body, hdr := b.Post("/admin/entrar", url.Values{"csrf": {webtest.CSRF(t, page)}, "usuario": {user}, "clave": {staffPass}, "codigo": {code}})
	if st != http.StatusSeeOther || hdr.Get("Location") != "/admin/" {
		t.Fatalf("login %s: %d %s", user, st, webtest.AlertText(body))
	}
	_, home, _ := b.Get("/admin/")
	return b, webtest.CSRF(t, home)
}

// wrongCode returns a six-digit code that secret's TOTP does not accept
// at now (in no step of the window). A fixed "000000" was the right code
// of the random secret about once in 330,000 runs (3 steps, 10^6 codes).
func wrongCode(secret string, now time.Time) string {
	for n := 0; ; n++ {
		code := fmt.Sprintf("%06d", n)
		if _, ok := totp.Verify(secret, code, now, 0); !ok {
			return code
		}
	}
}

// postFile posts a multipart form with one file.
// ceremony makes the next keyset on the "offline machine".
func (c *console) ceremony(t testing.TB, o keytool.KeysetOptions) []byte {
	t.Helper()
	ks, docs := c.mgr.Keys.Keyset()
	c.n++
	prev := filepath.Join(c.tmp, fmt.Sprintf("prev-%d.cose", c.n))
	os.WriteFile(prev, docs[len(docs)-1], 0o644)
	root, _, err := keyfile.ReadFile(filepath.Join(c.keyDir, "root.key"), adminPass)
	if err != nil {
		t.Fatal(err)
	}
	o.Root, o.Prev, o.Now, o.Validity = root, prev, c.clock.now(), 365*24*time.Hour
	o.Out = filepath.Join(c.tmp, fmt.Sprintf("%d-%s", c.n, keys.KeysetFile(ks.Seq+1)))
	if _, err := keytool.BuildKeyset(o); err != nil {
		t.Fatal(err)
	}
	doc, _ := os.ReadFile(o.Out)
	return doc
}

// TestRolesAndEndpoints: each role tries each admin endpoint; the allowed
// ones work (200 or a redirect after the action), the others get 403.
func TestRolesAndEndpoints(t *testing.T) {
	c := newConsole(t)
	ctx := context.Background()
	cases := c.issuable()
	if len(cases) < 6 {
		t.Fatalf("only %d issuable demo cases", len(cases))
	}
	// Per role: constancias to reissue, revoke and restore, two requests.
	fx := map[staff.Role]*fixture{}
	clerk := manage.Actor{User: "fixture", Role: "registrar"}
	// Distinct students for the two roles whose actions work; the auditor
	// shares the registrar's (its every action is refused anyway).
	for i, r := range []staff.Role{staff.Registrar, staff.Admin} {
		f := &fixture{reissue: c.issue(t, cases[3*i]), revoke: c.issue(t, cases[3*i+1]), restore: c.issue(t, cases[3*i+2])}
		if _, err := c.mgr.Revoke(ctx, clerk, f.restore.ID, "fixture"); err != nil {
			t.Fatal(err)
		}
		var err error
		if f.answer, err = c.mgr.OpenRequest(ctx, clerk, manage.Opposition, f.revoke.Code, "presencial", ""); err != nil {
			t.Fatal(err)
		}
		if f.reject, err = c.mgr.OpenRequest(ctx, clerk, manage.Rectification, f.revoke.Code, "correo", ""); err != nil {
			t.Fatal(err)
		}
		fx[r] = f
	}
	fx[staff.Auditor] = fx[staff.Registrar]
	_, key1, _ := c.mgr.Keys.Signer()
	kid1 := hexOf(key1.ID)
	key2Path := filepath.Join(c.tmp, "signing-2.key")
	pub2, err := keytool.NewKey(key2Path, keyfile.RoleSigning, []byte("ceremony pass 2"), cheapKDF, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	key2File, _ := os.ReadFile(key2Path)
	c.clock.add(time.Minute)
	keyset2 := c.ceremony(t, keytool.KeysetOptions{Add: []ed25519.PublicKey{pub2}, NotBefore: c.clock.now(),
		NotAfter: c.clock.now().AddDate(2, 0, 0)})
	var keyset3 []byte // made once key 2 is installed (it chains on keyset 2)

	post := func(path func(*fixture) string, form url.Values) func(*webtest.Browser, string, *fixture) (int, string) {
		return func(b *webtest.Browser, tok string, f *fixture) (int, string) {
			v := url.Values{"csrf": {tok}}
			for k, vs := range form {
				v[k] = vs
			}
			st, body, _ := b.Post(path(f), v)
			return st, body
		}
	}
	id := func(c *constancia.Issued) string { return strconv.FormatUint(c.ID, 10) }
	all := []staff.Role{staff.Admin, staff.Registrar, staff.Auditor}
	regs := []staff.Role{staff.Admin, staff.Registrar}
	auds := []staff.Role{staff.Admin, staff.Auditor}
	admins := []staff.Role{staff.Admin}
	steps := []step{
		{"home", all, get("/admin/")},
		{"constancias", regs, get("/admin/constancias")},
		{"find", regs, func(b *webtest.Browser, _ string, f *fixture) (int, string) {
			st, body, _ := b.Get("/admin/constancias?q=" + url.QueryEscape(web.FormatCode(f.reissue.Code)))
			return st, body
		}},
		{"constancia", regs, func(b *webtest.Browser, tok string, f *fixture) (int, string) {
			return get("/admin/constancias/"+id(f.reissue))(b, tok, f)
		}},
		{"constancia pdf", regs, func(b *webtest.Browser, tok string, f *fixture) (int, string) {
			return get("/admin/constancias/"+id(f.reissue)+"/pdf")(b, tok, f)
		}},
		{"reissue", regs, post(func(f *fixture) string { return "/admin/constancias/" + id(f.reissue) + "/reemitir" }, url.Values{"motivo": {"extravío"}})},
		{"revoke", regs, func(b *webtest.Browser, tok string, f *fixture) (int, string) {
			path := "/admin/constancias/" + id(f.revoke) + "/revocar"
			st, page, _ := b.Post(path, url.Values{"csrf": {tok}, "motivo": {"fraude"}})
			if st != http.StatusOK || !strings.Contains(page, `name="confirmado"`) {
				return st, page
			}
			st, page, _ = b.Post(path, url.Values{"csrf": {tok}, "motivo": {"fraude"}, "confirmado": {"1"}})
			return st, page
		}},
		{"restore", admins, post(func(f *fixture) string { return "/admin/constancias/" + id(f.restore) + "/restaurar" }, url.Values{"motivo": {"error"}})},
		{"requests", regs, get("/admin/solicitudes")},
		{"open request", regs, func(b *webtest.Browser, tok string, f *fixture) (int, string) {
			st, body, _ := b.Post("/admin/solicitudes", url.Values{"csrf": {tok}, "tipo": {"oposicion"}, "canal": {"presencial"},
				"codigo": {f.reissue.Code}, "identidad": {"1"}})
			return st, body
		}},
		{"request", regs, func(b *webtest.Browser, tok string, f *fixture) (int, string) {
			return get("/admin/solicitudes/"+f.answer.ID)(b, tok, f)
		}},
		{"answer", regs, post(func(f *fixture) string { return "/admin/solicitudes/" + f.answer.ID + "/atender" }, nil)},
		{"reject", regs, post(func(f *fixture) string { return "/admin/solicitudes/" + f.reject.ID + "/rechazar" }, url.Values{"motivo": {"SIAGIE sin cambios"}})},
		{"keys", admins, get("/admin/claves")},
		{"prepare key", admins, func(b *webtest.Browser, tok string, _ *fixture) (int, string) {
			st, page := b.PostFile("/admin/claves/rotacion/preparar", url.Values{"csrf": {tok}, "frase": {"ceremony pass 2"}}, "clave", "signing-2.key", key2File)
			return c.confirm(t, b, tok, "admin1", st, page)
		}},
		{"publish keys", admins, func(b *webtest.Browser, tok string, _ *fixture) (int, string) {
			st, page := b.PostFile("/admin/claves/rotacion/publicar", url.Values{"csrf": {tok}}, "keyset", "keyset-000002.cose", keyset2)
			return c.confirm(t, b, tok, "admin1", st, page)
		}},
		{"compromise", admins, func(b *webtest.Browser, tok string, _ *fixture) (int, string) {
			if keyset3 == nil && c.mgr.Keys.Held(cose.KeyID(pub2)) {
				keyset3 = c.ceremony(t, keytool.KeysetOptions{Compromise: [][]byte{key1.ID}})
			}
			st, page := b.PostFile("/admin/claves/keyset", url.Values{"csrf": {tok}}, "keyset", "keyset-000003.cose", keyset3)
			return c.confirm(t, b, tok, "admin1", st, page)
		}},
		{"signed list", admins, get("/admin/claves/firmadas/" + kid1)},
		{"mass reissue", admins, post(func(*fixture) string { return "/admin/claves/reemitir/" + kid1 }, nil)},
		{"job", admins, get("/admin/claves/reemision/" + kid1)},
		{"users", admins, get("/admin/usuarios")},
		{"create user", admins, post(func(*fixture) string { return "/admin/usuarios" }, url.Values{"usuario": {"nuevo"}, "rol": {"auditor"}, "clave": {staffPass}})},
		{"disable user", admins, post(func(*fixture) string { return "/admin/usuarios/nuevo/estado" }, url.Values{"desactivar": {"1"}})},
		{"second factor", admins, post(func(*fixture) string { return "/admin/usuarios/admin1/segundo-factor" }, nil)},
		{"reset password", admins, post(func(*fixture) string { return "/admin/usuarios/nuevo/clave" }, url.Values{"clave": {"another long password"}})},
		{"audit", auds, get("/admin/auditoria")},
		{"audit check", auds, get("/admin/auditoria?comprobar=1")},
		{"audit export", auds, get("/admin/auditoria/export.jsonl")},
	}
	steps = append(steps, statsSteps(auds)...)
	// The admin goes last, so the other roles' refusals are tried while
	// every fixture is still untouched.
	for _, role := range []staff.Role{staff.Registrar, staff.Auditor, staff.Admin} {
		b, tok := c.login(t, string(role)+"1")
		for _, s := range steps {
			st, body := s.do(b, tok, fx[role])
			allowed := false
			for _, a := range s.allowed {
				allowed = allowed || a == role
			}
			switch {
			case allowed && st != http.StatusOK && st != http.StatusSeeOther:
				t.Errorf("%s → %s: %d, want it to work; %s", role, s.name, st, webtest.AlertText(body))
			case allowed && st == http.StatusSeeOther:
			case !allowed && st != http.StatusForbidden:
				t.Errorf("%s → %s: %d, want 403", role, s.name, st)
			}
		}
		if st, _, hdr := b.Post("/admin/salir", url.Values{"csrf": {tok}}); st != http.StatusSeeOther || hdr.Get("Location") != "/admin/entrar" {
			t.Errorf("%s: logout %d", role, st)
		}
		if st, _, hdr := b.Get("/admin/"); st != http.StatusSeeOther || hdr.Get("Location") != "/admin/entrar" {
			t.Errorf("%s: after logout the console answers %d", role, st)
		}
	}
	c.mgr.Wait()
	// What the admin did took effect.
	if _, st, _ := c.svc.Lookup(ctx, fx[staff.Admin].restore.Code); st != credential.KeyCompromised {
		t.Errorf("the admin's restored constancia (key 1, compromised) reads %s", st)
	}
	if _, st, _ := c.svc.Lookup(ctx, fx[staff.Registrar].revoke.Code); st != credential.KeyCompromised {
		t.Errorf("the registrar's revoked constancia reads %s", st)
	}
	j, err := c.mgr.GetJob(ctx, kid1)
	if err != nil || j.Finished.IsZero() || j.Failed != 0 || j.Done == 0 {
		t.Errorf("mass reissue job: %+v %v", j, err)
	}
	// The refusals are in the trail, and it is whole.
	rep, err := audit.Check(ctx, c.db)
	if err != nil || !rep.OK() {
		t.Fatalf("audit: %+v %v", rep, err)
	}
	var buf bytes.Buffer
	audit.Export(ctx, c.db, &buf)
	for _, want := range []string{`"action":"forbidden"`, `"action":"login"`, `"action":"logout"`, `"action":"revoke"`,
		`"action":"unrevoke"`, `"action":"key_upload"`, `"action":"key_compromised"`, `"action":"dsr_close"`, `"action":"constancia_view"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the trail lacks %s", want)
		}
	}
}

// fixture is what one role's steps act on.
type fixture struct {
	reissue, revoke, restore *constancia.Issued
	answer, reject           *manage.Request
}

// step is one admin endpoint tried by every role.
type step struct {
	name    string
	allowed []staff.Role
	do      func(b *webtest.Browser, tok string, f *fixture) (int, string)
}

func get(path string) func(*webtest.Browser, string, *fixture) (int, string) {
	return func(b *webtest.Browser, _ string, _ *fixture) (int, string) {
		st, body, _ := b.Get(path)
		return st, body
	}
}

func TestConsoleSignInAndSessions(t *testing.T) {
	c := newConsole(t)
	b := webtest.NewBrowser(t, c.srv.URL)
	// Not signed in: pages send to the sign-in page, actions are refused.
	if st, _, hdr := b.Get("/admin/usuarios"); st != http.StatusSeeOther || hdr.Get("Location") != "/admin/entrar" {
		t.Fatalf("anonymous GET: %d %s", st, hdr.Get("Location"))
	}
	if st, _, _ := b.Post("/admin/usuarios", url.Values{"usuario": {"x"}}); st != http.StatusUnauthorized {
		t.Fatalf("anonymous POST: %d", st)
	}
	_, page, hdr := b.Get("/admin/entrar")
	if !strings.Contains(hdr.Get("Cache-Control"), "no-store") || !strings.Contains(page, `autocomplete="current-password"`) {
		t.Fatal("the sign-in page is cacheable or lacks the password field")
	}
	tok := webtest.CSRF(t, page)
	// Without the sign-in page's token: refused.
	if st, _, _ := webtest.NewBrowser(t, c.srv.URL).Post("/admin/entrar", url.Values{"csrf": {tok}, "usuario": {"registrar1"}, "clave": {staffPass}}); st != http.StatusForbidden {
		t.Fatalf("login without the token cookie: %d", st)
	}
	// An admin needs the TOTP code; a wrong one counts as a failure.
	wrong := wrongCode(c.secrets["admin1"], c.clock.now())
	if st, body, _ := b.Post("/admin/entrar", url.Values{"csrf": {tok}, "usuario": {"admin1"}, "clave": {staffPass}, "codigo": {wrong}}); st != http.StatusUnauthorized ||
		!strings.Contains(body, "Usuario, contraseña o código incorrectos") {
		t.Fatalf("admin with a wrong code: %d", st)
	}
	// Typed markup comes back escaped, never as markup.
	_, body, _ := b.Post("/admin/entrar", url.Values{"csrf": {tok}, "usuario": {`<script>x</script>`}, "clave": {"x"}})
	if strings.Contains(body, "<script>x") {
		t.Fatal("the typed user name is reflected unescaped")
	}
	// A session ends after 15 idle minutes, and the trail says when.
	rb, rtok := c.login(t, "registrar1")
	if st, _, _ := rb.Post("/admin/solicitudes", url.Values{"tipo": {"oposicion"}}); st != http.StatusForbidden {
		t.Fatalf("POST without the CSRF token: %d", st)
	}
	c.clock.add(staffIdle + time.Second)
	if st, _, hdr := rb.Get("/admin/constancias"); st != http.StatusSeeOther || hdr.Get("Location") != "/admin/entrar" {
		t.Fatalf("after 15 idle minutes: %d", st)
	}
	if st, _, _ := rb.Post("/admin/salir", url.Values{"csrf": {rtok}}); st != http.StatusUnauthorized {
		t.Fatalf("logout of an expired session: %d", st)
	}
	var buf bytes.Buffer
	audit.Export(context.Background(), c.db, &buf)
	for _, want := range []string{`"action":"session_expired"`, `"reason":"bad_login"`, `"actor":"(invalid)"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the trail lacks %s", want)
		}
	}
	if strings.Contains(buf.String(), "wrong password") || strings.Contains(buf.String(), staffPass) {
		t.Fatal("a password reached the audit trail")
	}
}

// TestAuditPageDetectsEdits: an entry edited in the bbolt file is named
// by the console's chain check.
func TestAuditPageDetectsEdits(t *testing.T) {
	c := newConsole(t)
	b, _ := c.login(t, "auditor1")
	_, page, _ := b.Get("/admin/auditoria?comprobar=1")
	if !strings.Contains(page, "Cadena íntegra") {
		t.Fatalf("fresh trail not intact: %s", webtest.AlertText(page))
	}
	// Someone with disk access edits the first entry (the auditor's
	// login) in the file while the issuer is stopped.
	c.stop()
	bdb, err := bolt.Open(c.dbPath, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bolt.Tx) error {
		lb := tx.Bucket([]byte("log"))
		k, v := lb.Cursor().First()
		edited := bytes.Replace(v, []byte("auditor1"), []byte("auditor2"), 1)
		if bytes.Equal(edited, v) {
			return fmt.Errorf("the first entry does not name auditor1: %q", v)
		}
		return lb.Put(k, edited)
	})
	bdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	c.start(t)
	b, _ = c.login(t, "auditor1")
	_, page, _ = b.Get("/admin/auditoria?comprobar=1")
	if !strings.Contains(page, "LA CADENA FUE ALTERADA") || !strings.Contains(page, "La entrada 1 fue modificada") {
		t.Fatalf("the edit went unnoticed: %s", webtest.AlertText(page))
	}
}

// TestSearchAudited: a search that finds nothing is in the trail (that a
// person has no constancia is a fact about them), named by the hashed
// subject of the DNI searched, never by the number; a search that finds
// one is recorded as the view it leads to, with the same subject.
func TestSearchAudited(t *testing.T) {
	c := newConsole(t)
	found := c.issue(t, c.issuable()[0])
	b, _ := c.login(t, "registrar1")
	const absent = "10117410" // a well-formed DNI nobody asked for
	if st, page, _ := b.Get("/admin/constancias?q=" + absent); st != http.StatusNotFound {
		t.Fatalf("search for an absent DNI: %d %s", st, webtest.AlertText(page))
	}
	if st, _, hdr := b.Get("/admin/constancias?q=" + found.Student.DocNumber); st != http.StatusSeeOther {
		t.Fatalf("search for a holder's DNI: %d", st)
	} else if st, _, _ := b.Get(hdr.Get("Location")); st != http.StatusOK {
		t.Fatalf("the constancia found: %d", st)
	}
	ctx := context.Background()
	var buf bytes.Buffer
	if err := audit.Export(ctx, c.db, &buf); err != nil {
		t.Fatal(err)
	}
	trail := buf.String()
	for _, want := range []string{
		`"action":"constancia_search"`, `"result":"not_found"`,
		`"subject":"` + audit.Subject([]byte("issuer secret"), "DNI", absent) + `"`,
		`"action":"constancia_view"`, `"subject":"` + c.mgr.SubjectOf(found) + `"`,
	} {
		if !strings.Contains(trail, want) {
			t.Errorf("the trail lacks %s", want)
		}
	}
	if _, sub := c.mgr.QuerySubject(found.Student.DocNumber); sub != c.mgr.SubjectOf(found) {
		t.Errorf("QuerySubject of the holder's DNI %s, SubjectOf %s", sub, c.mgr.SubjectOf(found))
	}
	for _, number := range []string{absent, found.Student.DocNumber} {
		if strings.Contains(trail, number) {
			t.Errorf("the trail holds the DNI %s in clear", number)
		}
	}
}

// signIn posts the sign-in form from address from (X-Forwarded-For: the
// test server trusts loopback as its proxy) and returns the status, the
// page and the headers.
func (c *console) signIn(t testing.TB, b *webtest.Browser, from, user, pass, code string) (int, string, http.Header) {
	t.Helper()
	_, page, _ := b.Get("/admin/entrar")
	form := url.Values{"csrf": {webtest.CSRF(t, page)}, "usuario": {user}, "clave": {pass}, "codigo": {code}}
	req, _ := http.NewRequest(http.MethodPost, c.srv.URL+"/admin/entrar", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", from)
	resp, err := b.C.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

// TestSignInFailures is the attack: five wrong passwords for an admin
// from one address. Before, the sixth try answered "cuenta bloqueada"
// (403) for a real account and "incorrectos" for an unknown one (names
// could be discovered), and the admin was locked out for 15 minutes
// wherever they signed in from. Now a real name and an unknown one get the
// same answers, the address is stopped (429, the real wait), and the
// admin signs in from their own address.
func TestSignInFailures(t *testing.T) {
	c := newConsole(t)
	attacker, office := "203.0.113.66", "198.51.100.20"
	answers := func(user string) []string {
		b := webtest.NewBrowser(t, c.srv.URL)
		var out []string
		for range FailsPerAccount + 1 {
			c.clock.add(7 * time.Second) // under the per-address pace
			st, body, hdr := c.signIn(t, b, attacker, user, "wrong password!!", "123456")
			out = append(out, fmt.Sprintf("%d %s %s", st, hdr.Get("Retry-After"), webtest.AlertText(body)))
		}
		return out
	}
	real, unknown := answers("admin1"), answers("nadie.existe")
	if fmt.Sprint(real) != fmt.Sprint(unknown) {
		t.Fatalf("a real and an unknown name answer differently:\n%q\n%q", real, unknown)
	}
	// One try back every 3 minutes (5 in 15), 35 s of which have passed.
	if !strings.HasPrefix(real[0], "401  ") || !strings.HasPrefix(real[FailsPerAccount], "429 145 ") {
		t.Fatalf("answers: %q", real)
	}
	for _, a := range real {
		if strings.Contains(a, "bloquead") {
			t.Fatalf("an answer says locked: %q", a)
		}
	}
	// The admin, from the office: the right password and code work.
	b := webtest.NewBrowser(t, c.srv.URL)
	c.clock.add(totp.Period * time.Second)
	code, _ := totp.Code(c.secrets["admin1"], c.clock.now())
	if st, body, hdr := c.signIn(t, b, office, "admin1", staffPass, code); st != http.StatusSeeOther || hdr.Get("Location") != "/admin/" {
		t.Fatalf("the admin from the office: %d %s", st, webtest.AlertText(body))
	}
	// The attacker's address moves from account to account: stopped at
	// twenty failures an hour.
	b = webtest.NewBrowser(t, c.srv.URL)
	c.clock.add(time.Hour)
	fails := 0
	for i := range 30 {
		c.clock.add(7 * time.Second)
		if st, _, _ := c.signIn(t, b, attacker, fmt.Sprintf("usuario%d", i), "wrong password!!", ""); st == http.StatusUnauthorized {
			fails++
		}
	}
	if want := FailsPerClient + 1; fails != want { // 210 s: one more refilled (20 an hour)
		t.Fatalf("%d failed sign-ins in 210 s from one address, want %d", fails, want)
	}
}

// TestStepUp is the attack: a stolen session (the cookie alone) tries to
// make itself permanent: a new password for its user, a new second
// factor, a new admin account. Before, each worked at once and the
// session was kept. Now each asks for the user's password and a code
// again; without them nothing changes, a wrong password counts as a
// failed sign-in, and after a confirmed change of one's own credentials
// the old session id is worth nothing.
func TestStepUp(t *testing.T) {
	c := newConsole(t)
	ctx := context.Background()
	b, tok := c.login(t, "admin1")
	var old *http.Cookie
	for _, ck := range b.C.Jar.Cookies(mustURL(t, c.srv.URL+"/admin/")) {
		if ck.Name == staffCookie {
			old = ck
		}
	}
	if old == nil {
		t.Fatal("no staff session cookie")
	}
	stolen := webtest.NewBrowser(t, c.srv.URL)
	stolen.C.Jar.SetCookies(mustURL(t, c.srv.URL+"/admin/"), []*http.Cookie{old})

	pending := func(page string) string {
		m := regexp.MustCompile(`name="confirmar" value="([^"]+)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no confirmation asked: %s", webtest.AlertText(page))
		}
		return m[1]
	}
	// The stolen session asks; each change waits for a confirmation.
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{"/admin/usuarios/admin1/clave", url.Values{"clave": {"the thief's password"}}},
		{"/admin/usuarios/admin1/segundo-factor", nil},
		{"/admin/usuarios", url.Values{"usuario": {"ladron"}, "rol": {"admin"}, "clave": {"the thief's password"}}},
	} {
		form := url.Values{"csrf": {tok}}
		for k, v := range tc.form {
			form[k] = v
		}
		st, page, _ := stolen.Post(tc.path, form)
		id := pending(page)
		if st != http.StatusOK || strings.Contains(page, "the thief") {
			t.Fatalf("%s: %d, or the typed password came back in the page", tc.path, st)
		}
		// A guessed password: refused, nothing done.
		c.clock.add(totp.Period * time.Second)
		code, _ := totp.Code(c.secrets["admin1"], c.clock.now()) // even with a code
		if st, _, _ := stolen.Post(tc.path, url.Values{"csrf": {tok}, "confirmar": {id}, "mi_clave": {"guess guess guess"}, "mi_codigo": {code}}); st != http.StatusUnauthorized {
			t.Fatalf("%s with a wrong password: %d", tc.path, st)
		}
		// Another action's confirmation id: refused.
		if st, _, _ := stolen.Post("/admin/usuarios/registrar1/clave", url.Values{"csrf": {tok}, "confirmar": {id}, "mi_clave": {staffPass}, "mi_codigo": {code}}); st != http.StatusForbidden {
			t.Fatalf("a confirmation replayed on another action: %d", st)
		}
	}
	c.clock.add(totp.Period * time.Second)
	code, _ := totp.Code(c.secrets["admin1"], c.clock.now())
	if _, err := (&staff.Accounts{Store: c.db, Params: staff.Params{Time: 1, MemoryKiB: 64, Threads: 1}, Now: c.clock.now, Rand: rand.Reader}).
		Authenticate(ctx, "admin1", staffPass, code); err != nil {
		t.Fatalf("the admin's own password or factor changed without confirmation: %v", err)
	}
	if _, err := (&staff.Accounts{Store: c.db, Now: c.clock.now}).Get(ctx, "ladron"); err == nil {
		t.Fatal("an account was made without confirmation")
	}

	// The admin changes their own password, confirming: done, and the
	// session id from before no longer works; the browser has a new one.
	_, page, _ := b.Post("/admin/usuarios/admin1/clave", url.Values{"csrf": {tok}, "clave": {"a brand new password"}})
	id := pending(page)
	c.clock.add(totp.Period * time.Second)
	code, _ = totp.Code(c.secrets["admin1"], c.clock.now())
	st, body, hdr := b.Post("/admin/usuarios/admin1/clave", url.Values{"csrf": {tok}, "confirmar": {id}, "mi_clave": {staffPass}, "mi_codigo": {code}})
	if st != http.StatusSeeOther || hdr.Get("Location") != "/admin/usuarios" {
		t.Fatalf("confirmed change: %d %s", st, webtest.AlertText(body))
	}
	if st, _, _ := stolen.Get("/admin/usuarios"); st != http.StatusSeeOther {
		t.Fatalf("the session id from before the change still works: %d", st)
	}
	if st, _, _ := b.Get("/admin/usuarios"); st != http.StatusOK {
		t.Fatalf("the browser that made the change was signed out: %d", st)
	}
}

func mustURL(t testing.TB, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestAccessRequest: an access request is answered with everything stored
// about the holder — every version of their constancia (name, document,
// marks, the e-mail kept, the terms accepted) and their requests — as a
// page to print and as a JSON file, for registrars, audited. (The console
// had no access kind.)
func TestAccessRequest(t *testing.T) {
	c := newConsole(t)
	i := c.issuable()[0]
	v1 := c.issue(t, i)
	v2 := c.issue(t, i) // a regenerated code: a second version
	b, tok := c.login(t, "registrar1")
	st, body, hdr := b.Post("/admin/solicitudes", url.Values{"csrf": {tok}, "tipo": {"acceso"}, "canal": {"presencial"},
		"codigo": {v2.Code}, "identidad": {"1"}})
	loc := hdr.Get("Location")
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/solicitudes/S-") {
		t.Fatalf("open an access request: %d %s", st, webtest.AlertText(body))
	}
	id := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/admin/solicitudes/")
	if st, _, _ := b.Get("/admin/solicitudes/" + id + "/acceso"); st != http.StatusNotFound {
		t.Fatalf("the report before the answer: %d", st)
	}
	if st, body, _ := b.Post("/admin/solicitudes/"+id+"/atender", url.Values{"csrf": {tok}}); st != http.StatusSeeOther {
		t.Fatalf("answer: %d %s", st, webtest.AlertText(body))
	}
	st, page, _ := b.Get("/admin/solicitudes/" + id + "/acceso")
	if st != http.StatusOK {
		t.Fatalf("the report: %d", st)
	}
	for _, want := range []string{html.EscapeString(v2.Student.FullName()), v2.Student.DocNumber, "familia@example.pe",
		web.FormatCode(v1.Code), web.FormatCode(v2.Code), id, "<table>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	st, file, hdr := b.Get("/admin/solicitudes/" + id + "/acceso.json")
	var rep manage.AccessReport
	if st != http.StatusOK || !strings.Contains(hdr.Get("Content-Disposition"), "acceso-"+id+".json") || json.Unmarshal([]byte(file), &rep) != nil {
		t.Fatalf("the file: %d %q", st, hdr.Get("Content-Disposition"))
	}
	if len(rep.Constancias) != 2 || len(rep.Requests) != 1 || rep.Constancias[0].Student.DocNumber != v1.Student.DocNumber {
		t.Errorf("the file holds %d versions and %d requests", len(rep.Constancias), len(rep.Requests))
	}
	// Auditors do not see personal data; the views are in the trail.
	ab, _ := c.login(t, "auditor1")
	if st, _, _ := ab.Get("/admin/solicitudes/" + id + "/acceso.json"); st != http.StatusForbidden {
		t.Errorf("an auditor got the report: %d", st)
	}
	var trail bytes.Buffer
	audit.Export(context.Background(), c.db, &trail)
	if strings.Count(trail.String(), `"access_report"`) != 2 {
		t.Error("the two views of the report are not in the trail")
	}
}
