package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/vcode"
	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/synth"
	"github.com/minedu-cla/cla/issuer/store"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// Helpers of the fault tests (faults_test.go): what the harness in
// main_test.go does not give, written so that they can be called from the
// goroutines of a burst (errors, not t.Fatal).

// faultLima is the issuer's time zone for ages (UTC-5, no daylight saving).
var faultLima = time.FixedZone("PET", -5*3600)

// faultAdults returns up to n showcase-free cases of the demo
// population that the issuer must issue: adult students (by the issuer's
// clock, a day either side so a birthday at midnight cannot flip one),
// alive, with a DNI or CE that RENIEC or Migraciones knows, at least one
// school year and no acta under review.
func faultAdults(t testing.TB, g *synth.Generator, n int) []synth.Case {
	t.Helper()
	ctx := context.Background()
	now := time.Now().In(faultLima)
	before, after := registry.DateOf(now.AddDate(0, 0, -1)), registry.DateOf(now.AddDate(0, 0, 1))
	var out []synth.Case
	for f := 0; f < g.Families() && len(out) < n; f++ {
		_, students := g.Family(f)
		for _, s := range students {
			if s.Doc.IsZero() || s.Doc.Kind == idnum.KindStudentCode || len(s.Years) == 0 {
				continue
			}
			if _, blocked := s.Blocking(); blocked {
				continue
			}
			p, err := g.Person(ctx, s.Doc)
			if err != nil || p.Deceased() || !p.IsAdult(before) || !p.IsAdult(after) {
				continue
			}
			out = append(out, synth.Case{Path: "adult student", Student: s.Doc, Want: synth.WantIssue})
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// faultClient is the HTTP client of the fault tests: its timeout only keeps
// a broken run from hanging, it is no performance threshold.
var faultClient = &http.Client{Timeout: 2 * time.Minute}

// faultAPIError is the documented JSON error body (docs/openapi.yaml,
// Error: the error object, and year for a blocked year).
type faultAPIError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"error"`
	Year int `json:"year"`
}

// faultPost is RequestCode without t: it returns transport errors, so a
// goroutine of a burst can call it while the issuer is being killed.
func faultPost(base string, body []byte) (int, Issued, []byte, error) {
	resp, err := faultClient.Post(base+"/api/v1/solicitudes", "application/json", bytes.NewReader(body))
	if err != nil {
		return 0, Issued{}, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, Issued{}, raw, err
	}
	var out Issued
	if resp.StatusCode == http.StatusCreated {
		if err := json.Unmarshal(raw, &out); err != nil {
			return resp.StatusCode, out, raw, fmt.Errorf("decoding a 201: %w", err)
		}
	}
	return resp.StatusCode, out, raw, nil
}

// faultCanonical returns the faultCanonical form of a code as the API prints it.
func faultCanonical(t testing.TB, code string) string {
	t.Helper()
	c, err := vcode.Normalize(code)
	if err != nil {
		t.Fatalf("code %q from the issuer does not parse: %v", code, err)
	}
	return c
}

// faultWait polls cond every 200 ms until it holds or timeout passes (a
// bound against hangs only), and reports whether it held.
func faultWait(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// faultMail is one .eml file of the outbox, as a reader sees it.
type faultMail struct {
	File, To, Subject, Code string // Code: faultCanonical, from the subject
	MessageID               string
}

// faultReadOutbox parses every .eml file in dir (missing dir: none).
func faultReadOutbox(t testing.TB, dir string) []faultMail {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	var out []faultMail
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := faultParseMail(b)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(f), err)
		}
		m.File = filepath.Base(f)
		out = append(out, m)
	}
	return out
}

// faultParseMail reads the recipient, the decoded subject and the code in it.
func faultParseMail(b []byte) (faultMail, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		return faultMail{}, err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return faultMail{}, err
	}
	to, err := mail.ParseAddress(msg.Header.Get("To"))
	if err != nil {
		return faultMail{}, err
	}
	m := faultMail{To: to.Address, Subject: subject, MessageID: msg.Header.Get("Message-ID")}
	// "… — código XXXX-XXXX-XXXX-X": the code is the subject's last word.
	if f := strings.Fields(subject); len(f) > 0 {
		if c, err := vcode.Normalize(f[len(f)-1]); err == nil {
			m.Code = c
		}
	}
	return m, nil
}

// faultCountFiles counts the files in dir matching pattern (missing dir: 0).
func faultCountFiles(t testing.TB, dir, pattern string) int {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	return len(m)
}

// faultStore is what db_micertificado holds, read with the issuer
// stopped (bbolt lets one process open the file).
type faultStore struct {
	Constancias []*constancia.Issued
	Mails       int // e-mails left in the outbox
}

func faultReadStore(t testing.TB, data string) faultStore {
	t.Helper()
	path := filepath.Join(data, "db_micertificado")
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenBolt(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out faultStore
	err = db.View(context.Background(), func(tx store.Tx) error {
		if err := tx.ForEach(func(c *constancia.Issued) error {
			out.Constancias = append(out.Constancias, c)
			return nil
		}); err != nil {
			return err
		}
		return tx.Mails(func(*store.Mail) error {
			out.Mails++
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// faultOutboxEmpty reports whether the issuer's /healthz counts no
// e-mail waiting in the outbox.
func faultOutboxEmpty(base string) bool {
	resp, err := faultClient.Get(base + "/healthz")
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var h struct {
		Mail *struct {
			Queued int `json:"queued"`
		} `json:"mail"`
	}
	return json.NewDecoder(resp.Body).Decode(&h) == nil && h.Mail != nil && h.Mail.Queued == 0
}

// faultLookup asks the issuer's verify-by-code API about code.
func faultLookup(base, code string) (int, string, error) {
	resp, err := faultClient.Get(base + "/api/v1/constancias/" + code)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var out struct {
		Status string `json:"status"`
		Code   string `json:"code"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return resp.StatusCode, "", err
	}
	return resp.StatusCode, out.Status, nil
}

// faultVerifyResult is the part of `cla-verify verify --json` the tests read.
type faultVerifyResult struct {
	Status     string `json:"status"`
	Source     string `json:"source"`
	Constancia *struct {
		Code string `json:"code"`
	} `json:"constancia"`
}

// faultVerifyPDFs downloads the PDF of each code from the issuer, syncs a fresh
// trust store that pins the issuer's root, and runs `cla-verify verify`
// on every PDF in one call. It returns, per faultCanonical code, the statuses
// the verifier gave (a PDF yields one result per code it carries).
func faultVerifyPDFs(t testing.TB, base, data string, codes []string) map[string][]string {
	t.Helper()
	dir := t.TempDir()
	trustDB := filepath.Join(dir, "trust.db")
	root := RootKey(t, data)
	if code, out, errOut := Run(t, nil, "cla-verify", "sync", "--issuer", base, "--store", trustDB, "--root", root); code != 0 {
		t.Fatalf("cla-verify sync: exit %d\n%s%s", code, out, errOut)
	}
	args := []string{"verify", "--json", "--store", trustDB, "--root", root}
	for _, c := range codes {
		f := filepath.Join(dir, c+".pdf")
		if err := os.WriteFile(f, Fetch(t, base+"/verificar/"+vcode.Format(c)+"/pdf"), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, f)
	}
	code, out, errOut := Run(t, nil, "cla-verify", args...)
	var results []faultVerifyResult
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		t.Fatalf("cla-verify verify: exit %d, output not JSON: %v\n%s%s", code, err, out, errOut)
	}
	got := map[string][]string{}
	for _, r := range results {
		c := ""
		if r.Constancia != nil {
			c, _ = vcode.Normalize(r.Constancia.Code)
		}
		got[c] = append(got[c], r.Status)
	}
	if code != 0 {
		t.Errorf("cla-verify verify exited %d (0 means every result valid)\n%s", code, errOut)
	}
	return got
}

// faultSim is a running cla-registry-sim.
type faultSim struct {
	URL string
	*process
}

// faultStartSim starts cla-registry-sim on addr with extra flags and waits
// until it listens.
func faultStartSim(t testing.TB, addr string, args ...string) *faultSim {
	t.Helper()
	p := startProcess(t, "cla-registry-sim", "on http://", nil, append([]string{"-addr", addr}, args...)...)
	return &faultSim{URL: "http://" + addr, process: p}
}

// stop ends the simulator (SIGTERM) and waits; how it exits is no concern
// of the fault tests.
func (s *faultSim) stop() {
	if s.exited() {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		s.done <- err
	case <-time.After(20 * time.Second):
		s.Kill(nil)
	}
}

// setOutage switches the simulator's outage on or off.
func (s *faultSim) setOutage(t testing.TB, on bool) {
	t.Helper()
	resp, err := faultClient.Post(fmt.Sprintf("%s/_sim/outage?on=%t", s.URL, on), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("simulator outage=%t: %d", on, resp.StatusCode)
	}
}
