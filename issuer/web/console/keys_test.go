package console

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/internal/webtest"
	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/constancia"
	"github.com/minedu-cla/cla/issuer/keytool"
	"github.com/minedu-cla/cla/issuer/staff/totp"
	"github.com/minedu-cla/cla/issuer/store"
	"github.com/minedu-cla/cla/issuer/web"
)

// state reads a constancia's state from the store.
func (c *console) state(t testing.TB, id uint64) constancia.State {
	t.Helper()
	var got constancia.State
	err := c.db.View(context.Background(), func(tx store.Tx) error {
		ci, err := tx.Constancia(id)
		if err == nil {
			got = ci.State
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// confirm answers the step-up page, if page is one, as user with the
// right password and a fresh code, and returns what the action answered.
func (c *console) confirm(t testing.TB, b *webtest.Browser, tok, user string, st int, page string) (int, string) {
	t.Helper()
	id := regexp.MustCompile(`name="confirmar" value="([^"]+)"`).FindStringSubmatch(page)
	action := regexp.MustCompile(`<form method="post" action="([^"]+)" class="narrow">`).FindStringSubmatch(page)
	if id == nil || action == nil {
		return st, page
	}
	c.clock.add(totp.Period * time.Second)
	code, _ := totp.Code(c.secrets[user], c.clock.now())
	st, page, _ = b.Post(html.UnescapeString(action[1]), url.Values{"csrf": {tok}, "confirmar": {id[1]}, "mi_clave": {staffPass}, "mi_codigo": {code}})
	return st, page
}

// trail is the whole audit trail as JSON Lines.
func (c *console) trail(t testing.TB) string {
	t.Helper()
	var buf bytes.Buffer
	if err := audit.Export(context.Background(), c.db, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestKeyUploadErrors is the attacks on the keys page: a garbled file,
// a keyset not signed by our root, a keyset under which the server could
// not sign, an old keyset again, a wrong passphrase, the root key as a
// signing key, the key in use as a new one, the one-keyset rotation, a rotation step out of turn or
// too early. Each, after the step-up, is refused with its message in the
// user's language (Spanish, and English with ?lang=en), audited as
// key_refused with its reason and without the file or the passphrase,
// and changes nothing.
func TestKeyUploadErrors(t *testing.T) {
	c := newConsole(t)
	b, tok := c.login(t, "admin1")
	_, docs := c.mgr.Keys.Keyset()
	_, key1, _ := c.mgr.Keys.Signer()
	keyPath := filepath.Join(c.tmp, "signing-x.key")
	pubX, err := keytool.NewKey(keyPath, keyfile.RoleSigning, []byte("right pass"), cheapKDF, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	keyFile, _ := os.ReadFile(keyPath)
	rootFile, _ := os.ReadFile(filepath.Join(c.keyDir, "root.key"))
	// A keyset that follows ours, signed by another root.
	_, otherRoot, _ := ed25519.GenerateKey(rand.Reader)
	prev, _ := keyset.Open(docs[len(docs)-1], []ed25519.PublicKey{c.mgr.Keys.Root()})
	forged := prev.Next(docs[len(docs)-1], c.clock.now(), 365*24*time.Hour)
	forged.Add(keyset.NewKey(pubX, c.clock.now(), c.clock.now().AddDate(1, 0, 0)))
	forgedDoc, err := forged.Sign(otherRoot)
	if err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte{'x'}, maxKeyUpload+1)
	const (
		anyKeyset = "/admin/claves/keyset"
		prepare   = "/admin/claves/rotacion/preparar"
		publish   = "/admin/claves/rotacion/publicar"
		switchTo  = "/admin/claves/rotacion/cambiar"
	)
	type attack struct {
		name, path, field, frase string
		data                     func() []byte
		key, reason              string
	}
	run := func(tc attack, lang i18n.Lang) {
		t.Helper()
		form := url.Values{"csrf": {tok}, "frase": {tc.frase}}
		path := tc.path + "?lang=" + string(lang)
		var st int
		var page string
		if tc.field == "" {
			st, page, _ = b.Post(path, form)
		} else {
			st, page = b.PostFile(path, form, tc.field, "archivo", tc.data())
		}
		st, page = c.confirm(t, b, tok, "admin1", st, page)
		want := html.EscapeString(i18n.T(lang, tc.key))
		if i := strings.Index(want, "%"); i >= 0 {
			want = want[:i] // the rest names a time
		}
		if st != http.StatusUnprocessableEntity || !strings.Contains(page, want) {
			t.Errorf("%s (%s): %d, want 422 with %q: %s", tc.name, lang, st, want, webtest.AlertText(page))
		}
		entry := `"action":"key_refused"`
		last := c.trail(t)
		last = last[strings.LastIndex(strings.TrimSuffix(last, "\n"), "\n")+1:]
		if !strings.Contains(last, entry) || !strings.Contains(last, `"reason":"`+tc.reason+`"`) {
			t.Errorf("%s: the trail's last entry is %s, want key_refused with reason %s", tc.name, last, tc.reason)
		}
	}
	for _, tc := range []attack{
		{"a garbled keyset", anyKeyset, "keyset", "", func() []byte { return []byte("\xd2\x84garbled") }, "admin.keys.err.keyset", "not_a_keyset"},
		{"a file over the cap", anyKeyset, "keyset", "", func() []byte { return big }, "admin.keys.err.file", "no_file"},
		{"a keyset not signed by the root", anyKeyset, "keyset", "", func() []byte { return forgedDoc }, "admin.keys.err.root", "not_signed_by_root"},
		{"the keyset in force again", anyKeyset, "keyset", "", func() []byte { return docs[len(docs)-1] }, "admin.keys.err.rollback", "rollback"},
		{"a keyset that leaves no key", anyKeyset, "keyset", "", func() []byte {
			return c.ceremony(t, keytool.KeysetOptions{Compromise: [][]byte{key1.ID}})
		}, "admin.keys.err.nosigner", "no_signer_after"},
		{"publish before prepare", publish, "keyset", "", func() []byte { return docs[len(docs)-1] }, "admin.rot.err.step", "wrong_step"},
		{"a garbled key", prepare, "clave", "x", func() []byte { return []byte("junk") }, "admin.keys.err.keyfile", "not_a_key_file"},
		{"the root key", prepare, "clave", string(adminPass), func() []byte { return rootFile }, "admin.keys.err.notsigning", "not_a_signing_key"},
		{"a wrong passphrase", prepare, "clave", "wrong pass", func() []byte { return keyFile }, "admin.keys.err.passphrase", "wrong_passphrase"},
		{"the key in use as the new one", prepare, "clave", string(adminPass), func() []byte {
			names, _ := filepath.Glob(filepath.Join(c.keyDir, "signing-*.key"))
			b, _ := os.ReadFile(names[0])
			return b
		}, "admin.rot.err.listed", "key_already_listed"},
	} {
		run(tc, i18n.ES)
	}
	run(attack{"a garbled keyset", anyKeyset, "keyset", "", func() []byte { return []byte("junk") }, "admin.keys.err.keyset", "not_a_keyset"}, i18n.EN)
	if _, after := c.mgr.Keys.Keyset(); len(after) != len(docs) || c.mgr.Keys.Held(keyset.NewKey(pubX, time.Now(), time.Now().Add(time.Hour)).ID) {
		t.Fatalf("refused uploads changed the keys: %d documents, were %d", len(after), len(docs))
	}

	// Step 1 done; the rotation's own refusals.
	st, page := b.PostFile(prepare, url.Values{"csrf": {tok}, "frase": {"right pass"}}, "clave", "signing-x.key", keyFile)
	if st, page = c.confirm(t, b, tok, "admin1", st, page); st != http.StatusSeeOther {
		t.Fatalf("prepare: %d %s", st, webtest.AlertText(page))
	}
	nb := c.clock.now().Add(7 * 24 * time.Hour)
	for _, tc := range []attack{
		{"the one-keyset rotation", publish, "keyset", "", func() []byte {
			return c.ceremony(t, keytool.KeysetOptions{Add: []ed25519.PublicKey{pubX}, NotBefore: nb, NotAfter: nb.AddDate(1, 0, 0),
				Retire: [][]byte{key1.ID}, RetireAt: nb})
		}, "admin.rot.err.oneshot", "retires_key_in_use"},
		{"a keyset without the new key", publish, "keyset", "", func() []byte {
			return c.ceremony(t, keytool.KeysetOptions{})
		}, "admin.rot.err.newkey", "new_key_missing"},
		{"switch before publishing", switchTo, "", "", nil, "admin.rot.err.step", "wrong_step"},
	} {
		run(tc, i18n.ES)
	}
	st, page = b.PostFile(publish, url.Values{"csrf": {tok}}, "keyset", "k.cose",
		c.ceremony(t, keytool.KeysetOptions{Add: []ed25519.PublicKey{pubX}, NotBefore: nb, NotAfter: nb.AddDate(1, 0, 0)}))
	if st, page = c.confirm(t, b, tok, "admin1", st, page); st != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", st, webtest.AlertText(page))
	}
	run(attack{"switch before not_before", switchTo, "", "", nil, "admin.rot.err.early", "too_early"}, i18n.ES)
	if _, cur, _ := c.mgr.Keys.Signer(); !bytes.Equal(cur.ID, key1.ID) {
		t.Fatal("the refused switch switched")
	}
	trail := c.trail(t)
	for _, secret := range []string{"right pass", "wrong pass", string(adminPass), "junk", "garbled"} {
		if strings.Contains(trail, secret) {
			t.Errorf("the trail holds %q", secret)
		}
	}
	if n := strings.Count(trail, `"action":"key_refused"`); n != 15 {
		t.Errorf("%d refusals audited, want 15", n)
	}
}

// TestRevokeConfirmation: revoking first shows a page naming the
// constancia and saying it cannot be undone, with a form that needs no
// script; nothing is revoked until it is confirmed.
func TestRevokeConfirmation(t *testing.T) {
	c := newConsole(t)
	ci := c.issue(t, c.issuable()[0])
	b, tok := c.login(t, "registrar1")
	path := "/admin/constancias/" + strconv.FormatUint(ci.ID, 10) + "/revocar"
	st, page, _ := b.Post(path, url.Values{"csrf": {tok}, "motivo": {"fraude"}})
	for _, want := range []string{html.EscapeString(i18n.T(i18n.ES, "admin.revoke.which", web.FormatCode(ci.Code))),
		html.EscapeString(i18n.T(i18n.ES, "admin.revoke.final")), `name="confirmado" value="1"`, `name="motivo" value="fraude"`} {
		if st != http.StatusOK || !strings.Contains(page, want) {
			t.Fatalf("confirmation page %d lacks %q", st, want)
		}
	}
	if strings.Contains(page, "<script") {
		t.Error("the confirmation page needs a script")
	}
	if got := c.state(t, ci.ID); got != constancia.Active {
		t.Fatalf("revoked before the confirmation: %s", got)
	}
	if st, _, _ := b.Post(path, url.Values{"csrf": {tok}, "motivo": {""}}); st != http.StatusUnprocessableEntity {
		t.Errorf("no reason: %d", st)
	}
	st, _, hdr := b.Post(path, url.Values{"csrf": {tok}, "motivo": {"fraude"}, "confirmado": {"1"}})
	if st != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "hecho=revoked") || c.state(t, ci.ID) != constancia.Revoked {
		t.Fatalf("confirmed revocation: %d %s", st, hdr.Get("Location"))
	}
	// Asking again for a revoked one: refused, not a second confirmation.
	if st, _, _ := b.Post(path, url.Values{"csrf": {tok}, "motivo": {"fraude"}}); st != http.StatusConflict {
		t.Errorf("revoking a revoked constancia: %d", st)
	}
}
