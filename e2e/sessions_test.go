package e2e

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/minedu-cla/cla/internal/pgtest"
	"github.com/minedu-cla/cla/issuer/staff/totp"
)

// TestSessionsAcrossReplicas: two replicas on one PostgreSQL database
// and no load balancer keeping anyone on one of them. A family walks the
// request form with every step on the other replica than the last, and
// one replica is killed before the last step; an admin's console pages
// alternate too, a change asked on one replica is confirmed (step-up) on
// the other, and the account it disables is signed out on both. The
// database holds the sessions sealed: no DNI, name or address in it.
func TestSessionsAcrossReplicas(t *testing.T) {
	skipShort(t)
	pg := pgtest.Start(t)
	dbURL := pg.NewDatabase(t)
	data := []string{t.TempDir(), t.TempDir()}
	env := []string{"CLA_DATABASE_URL=" + dbURL, "CLA_RATE_LIMITS=off"}
	a := StartIssuer(t, data[0], "", env...)
	if out, err := exec.Command("cp", "-a", filepath.Join(data[0], "keys"), filepath.Join(data[0], "secret"), data[1]).CombinedOutput(); err != nil {
		t.Fatalf("copying keys: %v %s", err, out)
	}
	b := StartIssuer(t, data[1], "", env...)

	// The family: terms on a, form on b, preview on a, issue on b — then
	// b dies and the confirmation page is read on a.
	// One cookie jar: cookies do not tell ports apart, so what a set is
	// sent to b, as one site name behind a balancer would have it.
	jar, _ := cookiejar.New(nil)
	jar.SetCookies(mustURL(t, a.URL), []*http.Cookie{{Name: "cla_cookies", Value: "si", Path: "/"}})
	client := &http.Client{Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(base, method, path string, form url.Values) (int, string) {
		t.Helper()
		var resp *http.Response
		var err error
		if method == http.MethodGet {
			resp, err = client.Get(base + path)
		} else {
			resp, err = client.PostForm(base+path, form)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	st, page := do(a.URL, "GET", "/solicitar", nil)
	m := csrfRE.FindStringSubmatch(page)
	if st != 200 || m == nil {
		t.Fatalf("GET /solicitar on a: %d, token found %t", st, m != nil)
	}
	csrf := m[1]
	if st, body := do(b.URL, "POST", "/solicitar/terminos", url.Values{"csrf": {csrf}, "accept": {termsVersion}}); st != http.StatusSeeOther {
		t.Fatalf("terms on b with a's page: %d %s", st, body)
	}
	g := Population(t)
	c := faultAdults(t, g, 1)[0]
	p, err := g.Person(context.Background(), c.Student)
	if err != nil {
		t.Fatal(err)
	}
	const email = "sesiones@example.pe"
	st, body := do(a.URL, "POST", "/solicitar/datos", url.Values{"csrf": {csrf}, "who": {"adult"},
		"student_doctype": {c.Student.Kind.String()}, "student_doc": {c.Student.Number},
		"student_father": {p.Father.Names}, "student_mother": {p.Mother.Names},
		"student_dist": {string(p.Ubigeo)}, "email": {email}})
	if st != http.StatusSeeOther {
		t.Fatalf("form on a, terms accepted on b: %d %s", st, body)
	}
	if st, body := do(b.URL, "GET", "/solicitar/vista-previa", nil); st != 200 || !strings.Contains(body, c.Student.Number) {
		t.Fatalf("preview on b of what a checked: %d", st)
	}
	// What the database holds while the form is half done: sealed.
	var rows int
	err = queryPG(dbURL, func(conn *pgx.Conn) error {
		r, err := conn.Query(context.Background(), `SELECT value FROM web_sessions`)
		if err != nil {
			return err
		}
		defer r.Close()
		for r.Next() {
			var v []byte
			r.Scan(&v)
			rows++
			for _, secret := range []string{c.Student.Number, email, p.Father.Names, p.Surname1} {
				if strings.Contains(string(v), secret) {
					t.Errorf("a session row holds %q in clear", secret)
				}
			}
		}
		return r.Err()
	})
	if err != nil || rows != 1 {
		t.Fatalf("session rows: %d, %v (want the one family's)", rows, err)
	}
	if st, body := do(b.URL, "POST", "/solicitar/emitir", url.Values{"csrf": {csrf}}); st != http.StatusSeeOther {
		t.Fatalf("issue on b: %d %s", st, body)
	}
	b.Kill(t)
	st, body = do(a.URL, "GET", "/solicitar/listo", nil)
	code := regexp.MustCompile(`[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]`).FindString(body)
	if st != 200 || code == "" {
		t.Fatalf("confirmation on a after b died: %d, code found %q", st, code)
	}
	if st, status, err := faultLookup(a.URL, code); st != 200 || status != "valid" {
		t.Errorf("code %s: %d %q %v", code, st, status, err)
	}
	b = StartIssuer(t, data[1], "", env...)

	// The console: two admins' accounts made in the database; jefe signs
	// in on a and works on b.
	secrets := map[string]string{}
	for _, u := range []string{"jefe", "rosa"} {
		code, out, stderr := Run(t, []string{"CLA_ADMIN_PASSWORD=" + StaffPassword}, "cla-issuer", "admin", "create",
			"-database", dbURL, "-user", u, "-role", "admin")
		if code != 0 {
			t.Fatalf("admin create %s: %s", u, stderr)
		}
		u2, _ := url.Parse(otpRE.FindString(out))
		secrets[u] = u2.Query().Get("secret")
	}
	jefe := SignIn(t, a.URL, "jefe", secrets["jefe"])
	rosa := SignIn(t, b.URL, "rosa", secrets["rosa"])
	jefe.base = b.URL
	if st, page, _ := jefe.Get("/admin/usuarios"); st != 200 || !strings.Contains(page, "rosa") {
		t.Fatalf("jefe's session on b: %d", st)
	}
	// Disabling rosa needs a step-up: asked on b, confirmed on a.
	st, page, _ = jefe.Post("/admin/usuarios/rosa/estado", url.Values{"desactivar": {"1"}})
	id := regexp.MustCompile(`name="confirmar" value="([^"]+)"`).FindStringSubmatch(page)
	if st != 200 || id == nil {
		t.Fatalf("step-up page on b: %d", st)
	}
	jefe.base = a.URL
	// A TOTP code is good once: the step-up needs the next one.
	time.Sleep(time.Until(time.Now().Truncate(30 * time.Second).Add(30*time.Second + 100*time.Millisecond)))
	otp, _ := totp.Code(secrets["jefe"], time.Now())
	if st, _, _ := jefe.Get("/admin/"); st != 200 {
		t.Fatalf("jefe on a: %d", st)
	}
	if st, body, loc := jefe.Post("/admin/usuarios/rosa/estado", url.Values{"confirmar": {id[1]}, "mi_clave": {StaffPassword}, "mi_codigo": {otp}}); st != http.StatusSeeOther || loc != "/admin/usuarios" {
		t.Fatalf("step-up confirmed on a: %d %s", st, body)
	}
	// rosa, signed in on b, is out on both.
	for _, base := range []string{b.URL, a.URL} {
		rosa.base = base
		if st, _, loc := rosa.Get("/admin/"); st != http.StatusSeeOther || loc != "/admin/entrar" {
			t.Errorf("the disabled rosa on %s: %d → %q, want the sign-in page", base, st, loc)
		}
	}
	// Signing out on a ends the session on b.
	jefe.Post("/admin/salir", url.Values{})
	jefe.base = b.URL
	if st, _, loc := jefe.Get("/admin/"); st != http.StatusSeeOther || loc != "/admin/entrar" {
		t.Errorf("jefe after signing out on a, on b: %d → %q", st, loc)
	}
}

func mustURL(t testing.TB, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func queryPG(dbURL string, f func(*pgx.Conn) error) error {
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	return f(conn)
}
