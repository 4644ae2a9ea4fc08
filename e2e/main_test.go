package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/synth"
	"github.com/minedu-cla/cla/issuer/staff/totp"
	"github.com/minedu-cla/cla/issuer/web"
)

// termsVersion is the terms version requests must accept.
const termsVersion = web.TermsVersion

// bins are the binaries under test, built once by TestMain.
var bins = map[string]string{}

// commands built for the tests, by name, with their package folder.
var commands = map[string]string{
	"cla-issuer":       "cmd/cla-issuer",
	"cla-verify":       "cmd/cla-verify",
	"cla-keys":         "cmd/cla-keys",
	"cla-registry-sim": "tools/cla-registry-sim",
}

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		// The fast loop (make check): no binaries built, every test skips.
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "cla-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// The browser verifier's WebAssembly first: cla-issuer embeds it.
	wasm := exec.Command("make", "-C", "..", "--no-print-directory", "wasm")
	wasm.Stdout, wasm.Stderr = os.Stderr, os.Stderr
	if err := wasm.Run(); err != nil {
		fmt.Fprintf(os.Stderr, "make wasm: %v\n", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	for c, pkg := range commands {
		out := filepath.Join(dir, c)
		// -race where the tests run with it: the binaries are tested too.
		args := []string{"build", "-o", out}
		if raceEnabled {
			args = append(args, "-race")
		}
		cmd := exec.Command("go", append(args, "github.com/minedu-cla/cla/"+pkg)...)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "building %s: %v\n", c, err)
			os.RemoveAll(dir)
			os.Exit(1)
		}
		bins[c] = out
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// freeAddr returns a loopback address nobody listens on (a moment ago).
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// syncBuffer is a bytes.Buffer safe for a process's output goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// process is one of the built commands running in the background, its
// stdout and stderr gathered in Out.
type process struct {
	name string
	cmd  *exec.Cmd
	Out  *syncBuffer
	done chan error
}

// startProcess starts the built command name with args and extra
// environment, and waits until a line of its standard output holds ready
// (the wait only bounds a broken run). The test's cleanup kills it.
func startProcess(t testing.TB, name, ready string, env []string, args ...string) *process {
	t.Helper()
	p := &process{name: name, Out: &syncBuffer{}, done: make(chan error, 1)}
	p.cmd = exec.Command(bins[name], args...)
	p.cmd.Env = append(os.Environ(), env...)
	seen := make(chan struct{})
	pr, pw := io.Pipe()
	p.cmd.Stdout, p.cmd.Stderr = pw, p.Out
	go func() {
		sc := bufio.NewScanner(pr)
		once := sync.Once{}
		for sc.Scan() {
			p.Out.Write(append(sc.Bytes(), '\n'))
			if strings.Contains(sc.Text(), ready) {
				once.Do(func() { close(seen) })
			}
		}
	}()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait(); pw.Close() }()
	t.Cleanup(func() { p.Kill(t) })
	select {
	case <-seen:
	case err := <-p.done:
		p.done <- err
		t.Fatalf("%s exited before it was ready: %v\n%s", name, err, p.Out)
	case <-time.After(90 * time.Second):
		t.Fatalf("%s not ready in 90 s:\n%s", name, p.Out)
	}
	return p
}

// exited reports whether the process has ended (without reading
// cmd.ProcessState, which the waiting goroutine writes).
func (p *process) exited() bool {
	select {
	case err := <-p.done:
		p.done <- err
		return true
	default:
		return false
	}
}

// Stop ends the process gracefully (SIGTERM) and waits; an exit status
// other than 0 is a test error.
func (p *process) Stop(t testing.TB) {
	t.Helper()
	if p.exited() {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		p.done <- err
		if err != nil {
			t.Errorf("%s stopped with %v\n%s", p.name, err, p.Out)
		}
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		t.Fatalf("%s did not stop in 30 s", p.name)
	}
}

// Kill ends the process at once (SIGKILL: no shutdown code runs) and waits.
func (p *process) Kill(testing.TB) {
	if p.exited() {
		return
	}
	p.cmd.Process.Kill()
	err := <-p.done
	p.done <- err
}

// Issuer is a running cla-issuer process.
type Issuer struct {
	URL, Data string
	Addr      string
	*process
}

// StartIssuer starts cla-issuer on the development defaults with its data
// in data (kept across restarts), on addr ("" picks a free port), with
// extra environment (e.g. CLA_RENIEC_URL=…), and waits until it listens.
func StartIssuer(t testing.TB, data, addr string, env ...string) *Issuer {
	t.Helper()
	if addr == "" {
		addr = freeAddr(t)
	}
	p := startProcess(t, "cla-issuer", "CLA issuer ready at", env, "-addr", addr, "-data", data)
	return &Issuer{URL: "http://" + addr, Addr: addr, Data: data, process: p}
}

// Run runs one of the built commands with args and extra environment,
// and returns its exit code and output.
func Run(t testing.TB, env []string, name string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bins[name], args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return code, out.String(), errb.String()
}

// StaffPassword is every test account's password.
const StaffPassword = "correct horse battery staple"

var otpRE = regexp.MustCompile(`otpauth://\S+`)

// CreateStaff makes a staff account with `cla-issuer admin create` (the
// issuer must be stopped) and returns the TOTP secret ("" for non-admins).
func CreateStaff(t testing.TB, data, user, role string) string {
	t.Helper()
	code, out, stderr := Run(t, []string{"CLA_ADMIN_PASSWORD=" + StaffPassword}, "cla-issuer",
		"admin", "create", "-data", data, "-user", user, "-role", role)
	if code != 0 {
		t.Fatalf("admin create: %d %s", code, stderr)
	}
	m := otpRE.FindString(out)
	if m == "" {
		return ""
	}
	u, err := url.Parse(m)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("secret")
}

// Console is a signed-in staff member's browser-like HTTP client.
type Console struct {
	t    testing.TB
	c    *http.Client
	base string
	CSRF string
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// SignIn signs user in on the issuer at base (with a TOTP code when
// secret is set).
func SignIn(t testing.TB, base, user, secret string) *Console {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &Console{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	_, page, _ := c.Get("/admin/entrar")
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token on the sign-in page")
	}
	code := ""
	if secret != "" {
		code, _ = totp.Code(secret, time.Now())
	}
	st, body, loc := c.Post("/admin/entrar", url.Values{"csrf": {m[1]}, "usuario": {user}, "clave": {StaffPassword}, "codigo": {code}})
	if st != http.StatusSeeOther || loc != "/admin/" {
		t.Fatalf("sign-in as %s: %d %s", user, st, body)
	}
	_, home, _ := c.Get("/admin/")
	if m = csrfRE.FindStringSubmatch(home); m == nil {
		t.Fatal("no CSRF token on the console")
	}
	c.CSRF = m[1]
	return c
}

// Get fetches path; it returns the status, body and Location.
func (c *Console) Get(path string) (int, string, string) {
	c.t.Helper()
	resp, err := c.c.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

// Post posts a form (the CSRF token is added).
func (c *Console) Post(path string, form url.Values) (int, string, string) {
	c.t.Helper()
	if c.CSRF != "" && form.Get("csrf") == "" {
		form.Set("csrf", c.CSRF)
	}
	resp, err := c.c.PostForm(c.base+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header.Get("Location")
}

// Population is the embedded synthetic population the issuer uses by
// default (the same seed as assets/demo).
func Population(t testing.TB) *synth.Generator {
	t.Helper()
	g, err := synth.New(synth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// RequestBody is the JSON API request a careful family sends for c.
func RequestBody(t testing.TB, g *synth.Generator, c synth.Case, email string) []byte {
	t.Helper()
	person := func(doc string, p *registry.Person) map[string]string {
		return map[string]string{"doc_type": "DNI", "doc_number": doc, "father_names": p.Father.Names,
			"mother_names": p.Mother.Names, "ubigeo": string(p.Ubigeo)}
	}
	p, err := g.Person(context.Background(), c.Student)
	if err != nil {
		t.Fatal(err)
	}
	body := map[string]any{"requester": "adult", "email": email, "accept_terms": termsVersion,
		"student": person(c.Student.Number, p)}
	body["student"].(map[string]string)["doc_type"] = c.Student.Kind.String()
	if !c.Guardian.IsZero() {
		gp, err := g.Person(context.Background(), c.Guardian)
		if err != nil {
			t.Fatal(err)
		}
		body["requester"], body["guardian"] = "guardian", person(c.Guardian.Number, gp)
	}
	b, _ := json.Marshal(body)
	return b
}

// Issued is the API's answer to a request.
type Issued struct {
	Code     string `json:"code"`
	Existing bool   `json:"existing"`
	Status   string `json:"status"`
	PDF      string `json:"pdf"`
}

// RequestCode requests a constancia over the JSON API; it returns the
// HTTP status and the answer.
func RequestCode(t testing.TB, base string, body []byte) (int, Issued) {
	t.Helper()
	resp, err := http.Post(base+"/api/v1/solicitudes", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out Issued
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// Fetch GETs base+path and returns the body (failing on a non-200).
func Fetch(t testing.TB, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	return b
}

// RootKey returns the issuer's root public key (base64url), as verifiers
// pin it.
func RootKey(t testing.TB, data string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(data, "keys", "root.pub"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// skipShort skips an end-to-end test under -short (make check): each one
// builds and starts real processes. make test runs them all.
func skipShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end: skipped under -short; make test runs it")
	}
}
