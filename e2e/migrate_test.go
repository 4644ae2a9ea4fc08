package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/minedu-cla/cla/internal/pgtest"
)

// TestMigrateToPostgres: an issuer that outgrew one machine moves from its
// bbolt file to PostgreSQL with `cla-issuer database migrate`: the
// constancias issued on bbolt verify by code on the issuer restarted on
// the database, their students asking again get the same code, new
// students get new ones, and the audit chain is intact. A second
// migration into the now-used database is refused, as is one without
// -database.
func TestMigrateToPostgres(t *testing.T) {
	skipShort(t)
	data := t.TempDir()
	iss := StartIssuer(t, data, "", "CLA_RATE_LIMITS=off")
	g := Population(t)
	students := faultAdults(t, g, 6)
	codes := map[int]string{}
	for i, c := range students[:4] {
		st, out := RequestCode(t, iss.URL, RequestBody(t, g, c, fmt.Sprintf("m%d@example.pe", i)))
		if st != 201 || out.Code == "" {
			t.Fatalf("request %d on bbolt: %d %+v", i, st, out)
		}
		codes[i] = out.Code
	}
	iss.Stop(t)

	url := pgtest.Start(t).NewDatabase(t)
	if code, _, stderr := Run(t, nil, "cla-issuer", "database", "migrate", "-data", data); code != 1 || !strings.Contains(stderr, "-database") {
		t.Errorf("migrate without -database: exit %d %s", code, stderr)
	}
	code, out, stderr := Run(t, nil, "cla-issuer", "database", "migrate", "-data", data, "-database", url)
	if code != 0 || !strings.Contains(out, "done") {
		t.Fatalf("migrate: exit %d\n%s%s", code, out, stderr)
	}
	if code, _, stderr := Run(t, nil, "cla-issuer", "database", "migrate", "-data", data, "-database", url); code != 1 || !strings.Contains(stderr, "already holds") {
		t.Errorf("a second migrate: exit %d %s", code, stderr)
	}

	pg := StartIssuer(t, data, "", "CLA_DATABASE_URL="+url, "CLA_RATE_LIMITS=off")
	for i, c := range codes {
		if st, status, err := faultLookup(pg.URL, c); st != 200 || status != "valid" {
			t.Errorf("code %s (student %d) on PostgreSQL: %d %q %v", c, i, st, status, err)
		}
		st, again := RequestCode(t, pg.URL, RequestBody(t, g, students[i], fmt.Sprintf("m%d@example.pe", i)))
		if (st != 200 && st != 201) || !again.Existing || again.Code != c {
			t.Errorf("student %d asked again on PostgreSQL: %d %+v, want the existing %s", i, st, again, c)
		}
	}
	for i, c := range students[4:] {
		st, out := RequestCode(t, pg.URL, RequestBody(t, g, c, fmt.Sprintf("n%d@example.pe", i)))
		if st != 201 || out.Existing || out.Code == "" {
			t.Errorf("a new student on PostgreSQL: %d %+v", st, out)
		}
		for _, old := range codes {
			if out.Code == old {
				t.Errorf("a new student got an old code %s", old)
			}
		}
	}
	if code, out, stderr := Run(t, nil, "cla-issuer", "audit", "check", "-database", url); code != 0 || !strings.Contains(out, "audit trail intact") {
		t.Errorf("audit check on PostgreSQL: exit %d\n%s%s", code, out, stderr)
	}
}
