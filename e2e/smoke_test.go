package e2e

import (
	"net/http"
	"strings"
	"testing"
)

// TestSmoke checks the harness itself: the issuer starts, issues over the
// API, stops gracefully, takes a staff account from the CLI, and a staff
// member signs in to the console.
func TestSmoke(t *testing.T) {
	skipShort(t)
	data := t.TempDir()
	g := Population(t)
	iss := StartIssuer(t, data, "")
	st, out := RequestCode(t, iss.URL, RequestBody(t, g, g.Cases()[0], "alumna@example.pe"))
	if st != http.StatusCreated || out.Code == "" || out.Status != "valid" {
		t.Fatalf("request: %d %+v", st, out)
	}
	iss.Stop(t)
	secret := CreateStaff(t, data, "ana.quispe", "admin")
	if secret == "" {
		t.Fatal("no TOTP secret for an admin")
	}
	iss = StartIssuer(t, data, iss.Addr)
	c := SignIn(t, iss.URL, "ana.quispe", secret)
	if st, page, _ := c.Get("/admin/constancias?q=" + out.Code); st != http.StatusSeeOther {
		t.Fatalf("find: %d %s", st, page)
	}
	if !strings.Contains(iss.Out.String(), "issuer listening") {
		t.Fatal("no log captured")
	}
}
