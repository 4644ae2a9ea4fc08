package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestWholeStory follows one constancia from its request to its
// revocation as the people of docs/DESIGN.md see it (issue 8, item 2), with the
// real binaries, real HTTP and real files:
//
//  1. the issuer starts with an admin account;
//  2. a family requests a constancia over the JSON API and downloads the
//     PDF (a second student's constancia is the control: it stays valid);
//  3. verifier storyOffice A syncs, calls the PDF valid offline and exports a
//     bundle (the old one);
//  4. the admin revokes it in the console;
//  5. A, not yet synced, still says valid; after a sync, revoked;
//  6. A exports a new bundle; storyOffice B, never online, imports it and says
//     revoked;
//  7. B refuses the old bundle as a rollback and still says revoked;
//  8. B with its clock wound back a day says stale (clock_behind), never
//     valid.
//
// Along the way: the issuer's storyLookup API says revoked, and the revocation
// is in an intact audit trail.
func TestWholeStory(t *testing.T) {
	skipShort(t)
	data, work := t.TempDir(), t.TempDir()
	g := Population(t)
	cases := storyCases(t, g, 2)

	// 1–2. The issuer, a request, the PDF in a file. The staff account
	// needs the database the first start makes, and the issuer stopped.
	iss := StartIssuer(t, data, "")
	st, doc := RequestCode(t, iss.URL, RequestBody(t, g, cases[0], "titular@example.pe"))
	if st != http.StatusCreated || doc.Code == "" || doc.Status != "valid" || doc.Existing || doc.PDF == "" {
		t.Fatalf("request: %d %+v", st, doc)
	}
	st, ctl := RequestCode(t, iss.URL, RequestBody(t, g, cases[1], "control@example.pe"))
	if st != http.StatusCreated || ctl.Code == "" || ctl.Status != "valid" || storyCode(ctl.Code) == storyCode(doc.Code) {
		t.Fatalf("control request: %d %+v (first %s)", st, ctl, doc.Code)
	}
	pdf := storyDownload(t, iss.URL+doc.PDF, work, "constancia.pdf")
	ctlPDF := storyDownload(t, iss.URL+ctl.PDF, work, "control.pdf")
	iss.Stop(t)
	secret := CreateStaff(t, data, "ana.quispe", "admin")
	if secret == "" {
		t.Fatal("no TOTP secret for an admin")
	}
	iss = StartIssuer(t, data, iss.Addr)
	root := RootKey(t, data)

	// 3. Office A syncs, verifies offline, exports the old bundle.
	a := newStoryOffice(t, root)
	syncA := func(step string) string {
		t.Helper()
		code, out, stderr := a.run("sync", "--issuer", iss.URL)
		if code != 0 || !strings.Contains(out, "Synced with "+iss.URL) {
			t.Fatalf("%s: sync: exit %d\n%s%s", step, code, out, stderr)
		}
		return out
	}
	syncA("first sync")
	code, out, stderr := a.run("verify", pdf)
	if code != 0 || !strings.Contains(out, "✔ VALID") || !strings.Contains(out, "Virtual code: "+doc.Code) {
		t.Fatalf("A verify before revocation: exit %d\n%s%s", code, out, stderr)
	}
	v := a.expect("A before revocation", pdf, doc.Code, "valid", 0)
	if len(v.Warnings) != 0 || v.Constancia.Record == nil || len(v.Constancia.Record.Years) == 0 {
		// The attached signed record must match the QR: no record_mismatch.
		t.Fatalf("A before revocation: warnings %v, record %+v", v.Warnings, v.Constancia.Record)
	}
	listBefore := v.Trust.StatusSeq
	a.expect("A control", ctlPDF, ctl.Code, "valid", 0)
	oldBundle := filepath.Join(work, "old.cla")
	if code, out, stderr := a.run("export", "-o", oldBundle); code != 0 || !strings.Contains(out, "Bundle exported") {
		t.Fatalf("export old bundle: exit %d\n%s%s", code, out, stderr)
	}

	// 4. The admin revokes it in the console.
	c := SignIn(t, iss.URL, "ana.quispe", secret)
	st, page, loc := c.Get("/admin/constancias?q=" + url.QueryEscape(doc.Code))
	m := regexp.MustCompile(`^/admin/constancias/(\d+)$`).FindStringSubmatch(loc)
	if st != http.StatusSeeOther || m == nil {
		t.Fatalf("find %s: %d Location %q\n%s", doc.Code, st, loc, page)
	}
	const motivo = "Prueba de extremo a extremo: constancia revocada"
	// The first post asks for confirmation, naming the constancia; the
	// confirmation revokes.
	st, page, _ = c.Post(loc+"/revocar", url.Values{"motivo": {motivo}})
	if st != http.StatusOK || !strings.Contains(page, "Va a revocar la constancia") || !strings.Contains(page, `name="confirmado"`) {
		t.Fatalf("revoke without a confirmation page: %d\n%s", st, page)
	}
	st, page, loc = c.Post(loc+"/revocar", url.Values{"motivo": {motivo}, "confirmado": {"1"}})
	done := regexp.MustCompile(`^/admin/constancias/` + m[1] + `\?hecho=revoked&seq=(\d+)$`).FindStringSubmatch(loc)
	if st != http.StatusSeeOther || done == nil {
		t.Fatalf("revoke: %d Location %q\n%s", st, loc, page)
	}
	published := done[1]
	if st, page, _ = c.Get(loc); st != http.StatusOK ||
		!strings.Contains(page, "Constancia revocada. Se publicó la lista de estado n.° "+published+".") ||
		!strings.Contains(page, "Revocada") {
		t.Fatalf("revocation page: %d, no confirmation of list %s:\n%s", st, published, page)
	}
	if published == fmt.Sprint(listBefore) {
		t.Fatalf("the revocation published list %s, the one A already holds", published)
	}

	// 5. A has not seen it: still valid offline. After a sync: revoked.
	a.expect("A after revocation, not synced", pdf, doc.Code, "valid", 0)
	// The sync learns it by a delta from the list A holds (docs/API.md).
	if out := syncA("second sync"); !strings.Contains(out, fmt.Sprintf("list %d → %s (by delta", listBefore, published)) {
		t.Fatalf("second sync: not a delta from list %d to %s:\n%s", listBefore, published, out)
	}
	v = a.expect("A after sync", pdf, doc.Code, "revoked", 10)
	if fmt.Sprint(v.Trust.StatusSeq) != published {
		t.Fatalf("A after sync holds list %d, the console published %s", v.Trust.StatusSeq, published)
	}
	code, out, _ = a.run("verify", pdf)
	if code != 10 || !strings.Contains(out, "✘ REVOKED") {
		t.Fatalf("A after sync, text: exit %d\n%s", code, out)
	}
	a.expect("A control after sync", ctlPDF, ctl.Code, "valid", 0)
	// The issuer says the same online.
	if s := storyLookup(t, iss.URL, doc.Code); s != "revoked" {
		t.Fatalf("lookup API: %s %q, want revoked", doc.Code, s)
	}
	if s := storyLookup(t, iss.URL, ctl.Code); s != "valid" {
		t.Fatalf("lookup API: control %s %q, want valid", ctl.Code, s)
	}

	// The public PDF link serves valid constancias only.
	if resp, err := http.Get(iss.URL + doc.PDF); err != nil {
		t.Fatal(err)
	} else if resp.Body.Close(); resp.StatusCode == http.StatusOK {
		t.Fatalf("GET %s of a revoked constancia: 200", doc.PDF)
	}

	// 6. The new bundle; from here on nobody is online.
	newBundle := filepath.Join(work, "new.cla")
	if code, out, stderr := a.run("export", "-o", newBundle); code != 0 || !strings.Contains(out, "list "+published) {
		t.Fatalf("export new bundle: exit %d\n%s%s", code, out, stderr)
	}
	iss.Stop(t)

	// The revocation is in the trail, which is intact; so is the API's
	// answer (the Recorder's batch, written at the graceful stop at the
	// latest: docs/AUDIT.md).
	var revokes []storyAuditEntry
	lookedUp := false
	for _, e := range storyAuditTrail(t, data) {
		if storyCode(e.Target) != storyCode(doc.Code) {
			continue
		}
		switch {
		case e.Action == "revoke":
			revokes = append(revokes, e)
		case e.Action == "verify_code" && e.Details["via"] == "api":
			lookedUp = lookedUp || e.Details["result"] == "revoked"
		}
	}
	if !lookedUp {
		t.Errorf("audit trail: no verify_code entry via the API with result revoked for %s", doc.Code)
	}
	if len(revokes) != 1 || revokes[0].Actor != "ana.quispe" || revokes[0].Role != "admin" ||
		revokes[0].Details["reason"] != motivo || revokes[0].Details["seq"] != published {
		t.Fatalf("audit trail: revoke entries for %s: %+v", doc.Code, revokes)
	}

	b := newStoryOffice(t, root)
	// B knows nothing yet: it cannot confirm anything.
	if code, v := b.verify(ctlPDF); code != 16 || v.Status != "stale" || v.Reason != "no_trust_data" {
		t.Fatalf("B empty: exit %d status %q reason %q, want stale for no_trust_data", code, v.Status, v.Reason)
	}
	code, out, stderr = b.run("import", newBundle)
	if code != 0 || !regexp.MustCompile(`Bundle imported: keyset \d+, list `+published+`\.`).MatchString(out) {
		t.Fatalf("B import new bundle: exit %d\n%s%s", code, out, stderr)
	}
	b.expect("B after import", pdf, doc.Code, "revoked", 10)
	b.expect("B control after import", ctlPDF, ctl.Code, "valid", 0)

	// 7. The old bundle is a rollback: refused, nothing changes.
	code, out, stderr = b.run("import", oldBundle)
	if code != 5 || !strings.Contains(stderr, "Bundle refused; nothing changed. Reason: its data is older than the data stored.") {
		t.Fatalf("B import old bundle: exit %d, want a refusal as a rollback\n%s%s", code, out, stderr)
	}
	b.expect("B after the old bundle", pdf, doc.Code, "revoked", 10)
	b.expect("B control after the old bundle", ctlPDF, ctl.Code, "valid", 0)
	// The old bundle itself is sound: a fresh office takes it (and, not
	// knowing better, calls the PDF valid). B refused it for its age only.
	fresh := newStoryOffice(t, root)
	if code, out, stderr := fresh.run("import", oldBundle); code != 0 || !strings.Contains(out, "Bundle imported") {
		t.Fatalf("fresh office, old bundle: exit %d\n%s%s", code, out, stderr)
	}
	fresh.expect("fresh office, old bundle", pdf, doc.Code, "valid", 0)

	// 8. A clock wound back a day, behind the newest signed time B has
	// seen (the revocation's list): the control is not called valid; the
	// revoked one stays revoked (a revocation, once seen, wins).
	dayBack := "--now=" + time.Now().Add(-24*time.Hour).UTC().Format(time.RFC3339)
	if v := b.expect("B clock back", ctlPDF, ctl.Code, "stale", 16, dayBack); v.Reason != "clock_behind" {
		t.Fatalf("B clock back: reason %q, want clock_behind", v.Reason)
	}
	code, out, _ = b.run("verify", dayBack, ctlPDF)
	if code != 16 || !strings.Contains(out, "CANNOT CONFIRM") || !strings.Contains(out, "clock is behind") ||
		!strings.Contains(out, "Syncing does not help") || strings.Contains(out, "Sync or import") {
		t.Fatalf("B clock back, text: exit %d\n%s", code, out)
	}
	b.expect("B clock back, revoked", pdf, doc.Code, "revoked", 10, dayBack)
	// The same with a right clock: it was the clock, not the data.
	b.expect("B clock right", ctlPDF, ctl.Code, "valid", 0, "--now="+time.Now().UTC().Format(time.RFC3339))
}
