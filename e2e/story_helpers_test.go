package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minedu-cla/cla/issuer/registry/synth"
)

// Helpers of TestWholeStory: a verifier office (a cla-verify trust store
// with a pinned root), the JSON the CLI prints, and the issuer's audit
// export.

// storyOffice is one verifier office's trust store, used only through cla-verify.
type storyOffice struct {
	t     *testing.T
	store string // the bbolt trust store file
	root  string // the pinned root public key (base64url)
}

// newStoryOffice makes an empty trust store in a fresh folder (no roots file
// beside it: the root comes from --root only).
func newStoryOffice(t *testing.T, root string) *storyOffice {
	return &storyOffice{t: t, store: filepath.Join(t.TempDir(), "trust.db"), root: root}
}

// storyEnv keeps the caller's environment from adding trust: no other
// roots, no other store, no reachable default issuer.
var storyEnv = []string{"CLA_ROOTS=", "CLA_STORE=", "CLA_ISSUER_URL=http://127.0.0.1:1", "CLA_LANG=en"}

// run runs `cla-verify cmd` on this store, in English, with extra args.
func (o *storyOffice) run(cmd string, args ...string) (int, string, string) {
	o.t.Helper()
	all := append([]string{cmd, "--store", o.store, "--root", o.root, "--lang", "en"}, args...)
	return Run(o.t, storyEnv, "cla-verify", all...)
}

// storyVerdict is the part of verifier.Result the story checks, as cla-verify
// --json prints it (decoded here independently of package verifier: the
// JSON is the contract).
type storyVerdict struct {
	Status     string   `json:"status"`
	Reason     string   `json:"reason"`
	Detail     string   `json:"detail"`
	Warnings   []string `json:"warnings"`
	Constancia *struct {
		Code   string `json:"code"`
		Record *struct {
			Years []json.RawMessage `json:"years"`
		} `json:"record"`
	} `json:"constancia"`
	Trust struct {
		KeysetSeq uint64 `json:"keyset_seq"`
		StatusSeq uint64 `json:"status_seq"`
	} `json:"trust"`
}

// verify runs `cla-verify verify --json pdf` (plus extra flags, e.g.
// --now) and returns the exit code and the one result a CLA PDF gives.
func (o *storyOffice) verify(pdf string, extra ...string) (int, storyVerdict) {
	o.t.Helper()
	code, out, stderr := o.run("verify", append(append([]string{"--json"}, extra...), pdf)...)
	var rs []storyVerdict
	if err := json.Unmarshal([]byte(out), &rs); err != nil {
		o.t.Fatalf("verify %s: exit %d, output not JSON (%v):\n%s\n%s", filepath.Base(pdf), code, err, out, stderr)
	}
	if len(rs) != 1 {
		o.t.Fatalf("verify %s: %d results, want 1:\n%s", filepath.Base(pdf), len(rs), out)
	}
	return code, rs[0]
}

// expect verifies pdf and fails unless the result is status with exit
// code exit, about the constancia code (when the code was read).
func (o *storyOffice) expect(step, pdf, code, status string, exit int, extra ...string) storyVerdict {
	o.t.Helper()
	got, v := o.verify(pdf, extra...)
	if got != exit || v.Status != status {
		o.t.Fatalf("%s: verify %s: exit %d status %q reason %q (%s), want exit %d status %q",
			step, filepath.Base(pdf), got, v.Status, v.Reason, v.Detail, exit, status)
	}
	if v.Constancia == nil || storyCode(v.Constancia.Code) != storyCode(code) {
		o.t.Fatalf("%s: verify %s: the result is not about %s: %+v", step, filepath.Base(pdf), code, v.Constancia)
	}
	return v
}

// storyCode is a virtual code without its dashes and spaces, in capitals:
// the API prints it grouped, the audit trail may not.
func storyCode(s string) string {
	return strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(s))
}

// storyCases returns n showcase cases the issuer must issue, each for a
// different student.
func storyCases(t *testing.T, g *synth.Generator, n int) []synth.Case {
	t.Helper()
	var out []synth.Case
	seen := map[string]bool{}
	for _, c := range g.Cases() {
		if c.Want != synth.WantIssue || seen[c.Student.String()] {
			continue
		}
		seen[c.Student.String()] = true
		if out = append(out, c); len(out) == n {
			return out
		}
	}
	t.Fatalf("the population has fewer than %d issuable showcase students", n)
	return nil
}

// storyDownload saves the GET of url into a file in dir and returns its path.
func storyDownload(t *testing.T, url, dir, name string) string {
	t.Helper()
	b := Fetch(t, url)
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("GET %s: not a PDF (%d bytes starting %q)", url, len(b), b[:min(len(b), 16)])
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// storyLookup asks the issuer's JSON API for a code's status.
func storyLookup(t *testing.T, base, code string) string {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/constancias/" + code)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Status string `json:"status"`
		Code   string `json:"code"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("storyLookup %s: %d, not JSON: %v", code, resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK || storyCode(out.Code) != storyCode(code) {
		t.Fatalf("storyLookup %s: %d %+v", code, resp.StatusCode, out)
	}
	return out.Status
}

// storyAuditEntry is one line of `cla-issuer audit export` (docs/AUDIT.md).
type storyAuditEntry struct {
	Seq     uint64            `json:"seq"`
	Actor   string            `json:"actor"`
	Role    string            `json:"role"`
	Action  string            `json:"action"`
	Target  string            `json:"target"`
	Details map[string]string `json:"details"`
	Error   string            `json:"error"`
}

// storyAuditTrail checks the issuer's trail with the CLI (issuer stopped) and
// returns its export.
func storyAuditTrail(t *testing.T, data string) []storyAuditEntry {
	t.Helper()
	code, out, stderr := Run(t, nil, "cla-issuer", "audit", "check", "-data", data)
	if code != 0 || !strings.Contains(out, "audit trail intact") {
		t.Fatalf("audit check: exit %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = Run(t, nil, "cla-issuer", "audit", "export", "-data", data)
	if code != 0 {
		t.Fatalf("audit export: exit %d\n%s", code, stderr)
	}
	var entries []storyAuditEntry
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var e storyAuditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("audit export line %q: %v", sc.Text(), err)
		}
		if e.Error != "" {
			t.Fatalf("audit export: entry %d: %s", e.Seq, e.Error)
		}
		entries = append(entries, e)
	}
	if len(entries) == 0 {
		t.Fatal("audit export: no entries")
	}
	return entries
}
