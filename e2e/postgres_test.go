package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/minedu-cla/cla/internal/pgtest"
	"github.com/minedu-cla/cla/issuer/registry/synth"
)

// TestIssuerReplicasOnPostgres: two cla-issuer processes on one
// PostgreSQL database (a throwaway cluster), sharing keys and the
// student-index secret as docs/DEPLOY.md says. Requests to both at once
// each get a code; every code verifies on the other replica; asking the
// other replica again for a student returns the same constancia, not a
// second one.
func TestIssuerReplicasOnPostgres(t *testing.T) {
	skipShort(t)
	pg := pgtest.Start(t)
	url := pg.NewDatabase(t)
	dataA, dataB := t.TempDir(), t.TempDir()
	a := StartIssuer(t, dataA, "", "CLA_DATABASE_URL="+url)
	// The second replica gets the first's keys and secret (a deployment
	// copies them to every replica, or mounts them).
	if out, err := exec.Command("cp", "-a", filepath.Join(dataA, "keys"), filepath.Join(dataA, "secret"), dataB).CombinedOutput(); err != nil {
		t.Fatalf("copying keys: %v %s", err, out)
	}
	b := StartIssuer(t, dataB, "", "CLA_DATABASE_URL="+url)
	if _, err := os.Stat(filepath.Join(dataA, "db_micertificado")); err == nil {
		t.Error("the issuer made a bbolt file although it was given a database")
	}
	g, err := synth.New(synth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	adults := faultAdults(t, g, 8)
	codes := make([]string, len(adults))
	var wg sync.WaitGroup
	for i, c := range adults {
		base := []string{a.URL, b.URL}[i%2]
		wg.Go(func() {
			st, out := RequestCode(t, base, RequestBody(t, g, c, fmt.Sprintf("r%d@example.pe", i)))
			if (st != 200 && st != 201) || out.Code == "" {
				t.Errorf("request %d to %s: %d %+v", i, base, st, out)
			}
			codes[i] = out.Code
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, code := range codes {
		if code == "" {
			continue
		}
		if seen[code] {
			t.Errorf("code %s handed out twice", code)
		}
		seen[code] = true
		other := []string{b.URL, a.URL}[i%2]
		if st, status, err := faultLookup(other, code); st != 200 || status != "valid" {
			t.Errorf("code %s (issued by one replica) on the other: %d %q %v", code, st, status, err)
		}
	}
	// The same student asked again, of the other replica: the same code.
	st, again := RequestCode(t, b.URL, RequestBody(t, g, adults[0], "r0@example.pe"))
	if (st != 200 && st != 201) || again.Code != codes[0] || !again.Existing {
		t.Errorf("asked again of the other replica: %d %+v, want the existing %s", st, again, codes[0])
	}
}
