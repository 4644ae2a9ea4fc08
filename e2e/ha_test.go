package e2e

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minedu-cla/cla/internal/pgtest"
)

// issueSome requests a constancia for each of students[from:to] on base
// and returns their codes by student index.
func issueSome(t *testing.T, base string, from, to int, codes map[int]string) {
	t.Helper()
	g := Population(t)
	students := faultAdults(t, g, to)
	for i := from; i < to; i++ {
		st, out := RequestCode(t, base, RequestBody(t, g, students[i], fmt.Sprintf("ha%d@example.pe", i)))
		if st != 201 || out.Code == "" {
			t.Fatalf("request for student %d: %d %+v", i, st, out)
		}
		codes[i] = out.Code
	}
}

// checkServes says every code verifies on base, each student asking again
// gets the code they had, and the audit chain on dbURL is intact.
func checkServes(t *testing.T, base, dbURL string, codes map[int]string) {
	t.Helper()
	g := Population(t)
	students := faultAdults(t, g, len(codes))
	for i, c := range codes {
		if st, status, err := faultLookup(base, c); st != 200 || status != "valid" {
			t.Errorf("code %s: %d %q %v", c, st, status, err)
		}
		st, again := RequestCode(t, base, RequestBody(t, g, students[i], fmt.Sprintf("ha%d@example.pe", i)))
		if (st != 200 && st != 201) || !again.Existing || again.Code != c {
			t.Errorf("student %d asked again: %d %+v, want the existing %s", i, st, again, c)
		}
	}
	if code, out, stderr := Run(t, nil, "cla-issuer", "audit", "check", "-database", dbURL); code != 0 || !strings.Contains(out, "audit trail intact") {
		t.Errorf("audit check: exit %d\n%s%s", code, out, stderr)
	}
}

// TestStandbyFailover is docs/DEPLOY.md's failover drill: the issuer on a
// primary with a streaming standby; constancias issued; the standby has
// them (read-only: a write is refused); the primary's machine dies
// (immediate stop), the standby is promoted, the issuer is started on it
// with the same keys: every code issued before verifies, each student
// gets their own code again, a new student gets a new one, and the
// audit chain is intact.
func TestStandbyFailover(t *testing.T) {
	skipShort(t)
	primary := pgtest.Start(t)
	url := primary.NewDatabase(t)
	standby := primary.Standby(t)
	data := t.TempDir()
	iss := StartIssuer(t, data, "", "CLA_DATABASE_URL="+url, "CLA_RATE_LIMITS=off")
	codes := map[int]string{}
	issueSome(t, iss.URL, 0, 3, codes)
	primary.CaughtUp(t, standby)
	onStandby := standby.URLOn(t, url)
	var n int
	pgtest.Query(t, onStandby, `SELECT count(*) FROM kv WHERE bucket = 'by_code'`, &n)
	if n != 3 {
		t.Fatalf("the standby has %d codes, want 3", n)
	}
	if code, _, stderr := Run(t, nil, "cla-issuer", "admin", "list", "-database", onStandby); code == 0 || !strings.Contains(stderr, "standby") {
		t.Errorf("the issuer's tools on a standby: exit %d %s, want a clear refusal", code, stderr)
	}

	iss.Kill(t)
	primary.Stop()
	standby.Promote(t)
	iss2 := StartIssuer(t, data, "", "CLA_DATABASE_URL="+onStandby, "CLA_RATE_LIMITS=off")
	issueSome(t, iss2.URL, 3, 4, codes)
	checkServes(t, iss2.URL, onStandby, codes)
}

// TestRestoreDrill is docs/DEPLOY.md's restore drill: constancias issued,
// a backup taken with pg_dump while the issuer runs, the original
// destroyed (its whole cluster), the backup restored on another cluster
// (another machine), the issuer started there with the same keys folder:
// every code verifies, every student gets their own code again, the audit
// chain is intact. The embedded default is drilled too: the bbolt file
// copied while the issuer is stopped, the data folder lost, the copy put
// back.
func TestRestoreDrill(t *testing.T) {
	skipShort(t)
	t.Run("postgres", func(t *testing.T) {
		old := pgtest.Start(t)
		url := old.NewDatabase(t)
		data := t.TempDir()
		iss := StartIssuer(t, data, "", "CLA_DATABASE_URL="+url, "CLA_RATE_LIMITS=off")
		codes := map[int]string{}
		issueSome(t, iss.URL, 0, 3, codes)
		dump := old.Dump(t, url) // online
		keep := filepath.Join(t.TempDir(), "backup.dump")
		if out, err := exec.Command("cp", dump, keep).CombinedOutput(); err != nil {
			t.Fatalf("%v %s", err, out)
		}
		iss.Kill(t)
		old.Stop()

		fresh := pgtest.Start(t)
		restored := fresh.Restore(t, keep)
		iss2 := StartIssuer(t, data, "", "CLA_DATABASE_URL="+restored, "CLA_RATE_LIMITS=off")
		checkServes(t, iss2.URL, restored, codes)
	})
	t.Run("bbolt", func(t *testing.T) {
		data := t.TempDir()
		iss := StartIssuer(t, data, "", "CLA_RATE_LIMITS=off")
		codes := map[int]string{}
		issueSome(t, iss.URL, 0, 3, codes)
		iss.Stop(t)
		backup := t.TempDir()
		if out, err := exec.Command("cp", "-a", data+"/.", backup).CombinedOutput(); err != nil {
			t.Fatalf("%v %s", err, out)
		}
		restored := t.TempDir()
		if out, err := exec.Command("cp", "-a", backup+"/.", restored).CombinedOutput(); err != nil {
			t.Fatalf("%v %s", err, out)
		}
		iss2 := StartIssuer(t, restored, "", "CLA_RATE_LIMITS=off")
		g := Population(t)
		students := faultAdults(t, g, 3)
		for i, c := range codes {
			if st, status, err := faultLookup(iss2.URL, c); st != 200 || status != "valid" {
				t.Errorf("code %s after the restore: %d %q %v", c, st, status, err)
			}
			st, again := RequestCode(t, iss2.URL, RequestBody(t, g, students[i], fmt.Sprintf("ha%d@example.pe", i)))
			if !again.Existing || again.Code != c {
				t.Errorf("student %d after the restore: %d %+v", i, st, again)
			}
		}
		iss2.Stop(t)
		if code, out, stderr := Run(t, nil, "cla-issuer", "audit", "check", "-data", restored); code != 0 || !strings.Contains(out, "audit trail intact") {
			t.Errorf("audit check: exit %d\n%s%s", code, out, stderr)
		}
	})
}
