package manage

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/crypto/status"
	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/issuance"
	"github.com/minedu-cla/cla/issuer/keys"
	"github.com/minedu-cla/cla/issuer/keytool"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/synth"
	"github.com/minedu-cla/cla/issuer/revocation"
	"github.com/minedu-cla/cla/issuer/store"

	"github.com/minedu-cla/cla/issuer/constancia"
)

var (
	cheap   = keyfile.Params{Time: 1, MemoryKiB: 64, Threads: 1}
	devPass = []byte("development passphrase")
	admin   = Actor{User: "ana", Role: "admin"}
	clerk   = Actor{User: "luis", Role: "registrar"}
)

type fixture struct {
	m      *Manager
	gen    *synth.Generator
	keyDir string
	dbPath string
	db     *store.Bolt
	clock  *clock
	tmp    string
	// ceremonies counts keyset ceremonies (each writes a new file).
	ceremonies int
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{keyDir: filepath.Join(t.TempDir(), "keys"), dbPath: filepath.Join(t.TempDir(), "db_micertificado"),
		clock: &clock{t: time.Date(2026, 11, 28, 15, 0, 0, 0, time.UTC)}, tmp: t.TempDir()}
	g, err := synth.New(synth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	f.gen = g
	k, err := keys.Open(keys.Options{Dir: f.keyDir, Dev: true, Passphrase: devPass, Now: f.clock.now, Rand: rand.Reader, KDF: cheap})
	if err != nil {
		t.Fatal(err)
	}
	if f.db, err = store.OpenBolt(f.dbPath); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.db.Close() })
	rl := revocation.New(revocation.Options{Store: f.db, Size: status.MinBits, Signer: k.MustSigner, Now: f.clock.now, Rand: rand.Reader})
	if err := rl.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	secret := []byte("issuer secret for tests")
	svc := &issuance.Service{Identity: g, Records: g, Store: f.db, Keys: k, Status: rl, Secret: secret, Issuer: "MINEDU",
		Now: f.clock.now, Rand: rand.Reader,
		Render: func(_ *credential.Record, _ string, doc []byte) ([]byte, error) { return doc, nil }}
	f.m = &Manager{Service: svc, Store: f.db, Keys: k, Status: rl, Secret: secret, Now: f.clock.now}
	svc.Audit = f.m
	return f
}

// mailed returns the addresses the outbox holds e-mails to, by code.
func (f *fixture) mailed(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := f.db.View(context.Background(), func(tx store.Tx) error {
		return tx.Mails(func(m *store.Mail) error {
			c, err := tx.Constancia(m.Constancia)
			if err != nil {
				return err
			}
			out[c.Code] = m.To
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// issue issues the constancia of demo case i, as a family would.
func (f *fixture) issue(t *testing.T, i int, regenerate bool) *constancia.Issued {
	t.Helper()
	ctx := context.Background()
	c := f.gen.Cases()[i]
	p, err := f.gen.Person(ctx, c.Student)
	if err != nil {
		t.Fatal(err)
	}
	req := issuance.Request{Requester: constancia.Adult, Email: "familia@example.pe", TermsVersion: "2026-11", Regenerate: regenerate,
		Student: issuance.Person{Doc: c.Student, Claim: registry.Claim{FatherNames: p.Father.Names, MotherNames: p.Mother.Names, Ubigeo: p.Ubigeo}}}
	if !c.Guardian.IsZero() {
		g, _ := f.gen.Person(ctx, c.Guardian)
		req.Requester = constancia.Guardian
		req.Guardian = &issuance.Person{Doc: c.Guardian, Claim: registry.Claim{FatherNames: g.Father.Names, MotherNames: g.Mother.Names, Ubigeo: g.Ubigeo}}
	}
	checked, err := f.m.Service.Check(ctx, req)
	if err != nil {
		t.Fatalf("case %s: %v", c.Path, err)
	}
	out, err := f.m.Service.Issue(ctx, checked)
	if err != nil {
		t.Fatal(err)
	}
	return out.Constancia
}

func (f *fixture) lookup(t *testing.T, code string) credential.Status {
	t.Helper()
	_, st, err := f.m.Service.Lookup(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// offline verifies a QR text as a verifier holding only the issuer's
// published keyset and status list would.
func (f *fixture) offline(t *testing.T, qr string) credential.Status {
	t.Helper()
	ks, _ := f.m.Keys.Keyset()
	c, _, err := credential.Open(qr, ks)
	if err != nil {
		return credential.StatusOf(err)
	}
	doc, _, err := f.m.Status.Current(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	l, err := status.Open(doc, ks)
	if err != nil {
		t.Fatalf("the published status list does not verify: %v", err)
	}
	if r, _ := l.Revoked(c.StatusIndex); r {
		return credential.Revoked
	}
	return credential.Valid
}

func (f *fixture) rootKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	root, _, err := keyfile.ReadFile(filepath.Join(f.keyDir, "root.key"), devPass)
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// ceremony runs a cla-keys keyset ceremony on the offline machine and
// returns the document.
func (f *fixture) ceremony(t *testing.T, o keytool.KeysetOptions) []byte {
	t.Helper()
	ks, docs := f.m.Keys.Keyset()
	prev := filepath.Join(f.tmp, keys.KeysetFile(ks.Seq))
	if err := os.WriteFile(prev, docs[len(docs)-1], 0o644); err != nil {
		t.Fatal(err)
	}
	o.Root, o.Prev, o.Now, o.Validity = f.rootKey(t), prev, f.clock.now(), 365*24*time.Hour
	f.ceremonies++
	o.Out = filepath.Join(f.tmp, strconv.Itoa(f.ceremonies)+"-"+keys.KeysetFile(ks.Seq+1))
	if _, err := keytool.BuildKeyset(o); err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(o.Out)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestRotationAndCompromise is issue 7's rotation scenario: issue with key
// 1, rotate, issue with key 2, both verify; declare key 1 compromised,
// reissue; the old codes report key_compromised and the new ones valid.
func TestRotationAndCompromise(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	first := f.issue(t, 0, false)
	_, key1, _ := f.m.Keys.Signer()

	// Declaring the only key compromised would leave the issuer unable to
	// sign anything, even the status list: refused, nothing installed.
	if _, err := f.m.InstallKeyset(ctx, admin, f.ceremony(t, keytool.KeysetOptions{Compromise: [][]byte{key1.ID}})); !errors.Is(err, keys.ErrNoSignerAfter) {
		t.Fatalf("compromising the only key: %v", err)
	}

	// Rotation: key 2 made on the offline machine, keyset 2 adds it with
	// a window from now; key 1 keeps its window (the overlap).
	key2Path := filepath.Join(f.tmp, "signing-2.key")
	pub2, err := keytool.NewKey(key2Path, keyfile.RoleSigning, []byte("ceremony passphrase 2"), cheap, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.add(time.Minute)
	res, err := f.m.InstallKeyset(ctx, admin, f.ceremony(t, keytool.KeysetOptions{Add: []ed25519.PublicKey{pub2},
		NotBefore: f.clock.now(), NotAfter: f.clock.now().AddDate(2, 0, 0)}))
	if err != nil {
		t.Fatal(err)
	}
	if res.Switched || len(res.Compromised) != 0 {
		t.Fatalf("a keyset whose new key the issuer does not hold yet switched: %+v", res)
	}
	file, _ := os.ReadFile(key2Path)
	if _, _, err := f.m.InstallSigner(ctx, admin, file, []byte("wrong passphrase")); err == nil {
		t.Fatal("a signing key opened with a wrong passphrase")
	}
	k2, switched, err := f.m.InstallSigner(ctx, admin, file, []byte("ceremony passphrase 2"))
	if err != nil || !switched || !bytes.Equal(k2.Public, pub2) {
		t.Fatalf("install key 2: switched=%v %v", switched, err)
	}
	f.clock.add(time.Minute)
	second := f.issue(t, 2, false)
	if !bytes.Equal(second.KeyID, k2.ID) || bytes.Equal(first.KeyID, second.KeyID) {
		t.Fatalf("after rotation the constancia is signed by %x, want key 2 %x", second.KeyID, k2.ID)
	}
	for _, c := range []*constancia.Issued{first, second} {
		if st := f.lookup(t, c.Code); st != credential.Valid {
			t.Fatalf("%s online: %s", c.Code, st)
		}
		if st := f.offline(t, c.QRText); st != credential.Valid {
			t.Fatalf("%s offline: %s", c.Code, st)
		}
	}

	// The keys survive a restart: keyset 2 and key 2 were saved.
	k, err := keys.Open(keys.Options{Dir: f.keyDir, Dev: true, Passphrase: devPass, Now: f.clock.now, Rand: rand.Reader, KDF: cheap})
	if err != nil {
		t.Fatal(err)
	}
	if _, cur, _ := k.Signer(); !bytes.Equal(cur.ID, k2.ID) {
		t.Fatal("after a restart the issuer signs with key 1 again")
	}

	// Key 1 is declared compromised in keyset 3.
	f.clock.add(time.Minute)
	res, err = f.m.InstallKeyset(ctx, admin, f.ceremony(t, keytool.KeysetOptions{Compromise: [][]byte{key1.ID}}))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Compromised) != 1 || res.Compromised[0].Active != 1 || f.m.Keys.Held(key1.ID) {
		t.Fatalf("compromise: %+v, key 1 still held: %v", res.Compromised, f.m.Keys.Held(key1.ID))
	}
	affected, _ := f.m.SignedBy(ctx, res.Compromised[0].Kid)
	if len(affected) != 1 || affected[0].Code != first.Code {
		t.Fatalf("constancias signed by key 1: %v", affected)
	}
	job, err := f.m.StartReissue(ctx, admin, res.Compromised[0].Kid)
	if err != nil {
		t.Fatal(err)
	}
	f.m.Wait()
	j, err := f.m.GetJob(ctx, job)
	if err != nil || j.Done != 1 || j.Failed != 0 || j.Finished.IsZero() {
		t.Fatalf("job: %+v %v", j, err)
	}
	var reissued *constancia.Issued
	f.db.View(ctx, func(tx store.Tx) (err error) { reissued, err = tx.ByStudent(first.StudentKey); return err })
	if reissued.Code == first.Code || !bytes.Equal(reissued.KeyID, k2.ID) || f.mailed(t)[reissued.Code] != "familia@example.pe" {
		t.Fatalf("reissued %s with key %x, mailed to %q", reissued.Code, reissued.KeyID, f.mailed(t)[reissued.Code])
	}
	for _, tt := range []struct {
		c    *constancia.Issued
		want credential.Status
	}{{first, credential.KeyCompromised}, {second, credential.Valid}, {reissued, credential.Valid}} {
		if st := f.lookup(t, tt.c.Code); st != tt.want {
			t.Errorf("%s online: %s, want %s", tt.c.Code, st, tt.want)
		}
		if st := f.offline(t, tt.c.QRText); st != tt.want {
			t.Errorf("%s offline: %s, want %s", tt.c.Code, st, tt.want)
		}
	}
	// A key that is not compromised has no mass reissue.
	if _, err := f.m.StartReissue(ctx, admin, hexKid(k2.ID)); !errors.Is(err, ErrNotCompromised) {
		t.Fatalf("mass reissue of a good key: %v", err)
	}
	// Every step is in the trail, and the trail is whole.
	want := map[audit.Action]bool{audit.KeyUpload: false, audit.KeySwitch: false, audit.KeyCompromised: false,
		audit.Reissue: false, audit.Issue: false}
	actions := trail(t, f)
	for _, a := range actions {
		if _, ok := want[a]; ok {
			want[a] = true
		}
	}
	for a, seen := range want {
		if !seen {
			t.Errorf("no %s entry in the trail %v", a, actions)
		}
	}
}

func trail(t *testing.T, f *fixture) []audit.Action {
	t.Helper()
	rep, err := audit.Check(context.Background(), f.db)
	if err != nil || !rep.OK() {
		t.Fatalf("audit check: %+v %v", rep, err)
	}
	var out []audit.Action
	var buf bytes.Buffer
	if err := audit.Export(context.Background(), f.db, &buf); err != nil {
		t.Fatal(err)
	}
	for _, line := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		i := bytes.Index(line, []byte(`"action":"`))
		if i < 0 {
			t.Fatalf("export line without an action: %s", line)
		}
		rest := line[i+10:]
		out = append(out, audit.Action(rest[:bytes.IndexByte(rest, '"')]))
	}
	return out
}

func TestRevokeRestore(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.issue(t, 0, false)
	_, seq0, _ := f.m.Status.Current(ctx)
	if _, err := f.m.Revoke(ctx, clerk, c.ID, "  "); !errors.Is(err, ErrReason) {
		t.Fatalf("revoke without a reason: %v", err)
	}
	seq, err := f.m.Revoke(ctx, clerk, c.ID, "fraude documentario")
	if err != nil || seq != seq0+1 {
		t.Fatalf("revoke: seq %d (was %d) %v", seq, seq0, err)
	}
	if st := f.offline(t, c.QRText); st != credential.Revoked {
		t.Fatalf("offline after revoke: %s", st)
	}
	// A delta from the old seq carries the revocation.
	if d, err := f.m.Status.Delta(ctx, seq0); err != nil || len(d) == 0 {
		t.Fatalf("no delta published: %v", err)
	}
	if _, err := f.m.Revoke(ctx, clerk, c.ID, "again"); !errors.Is(err, ErrState) {
		t.Fatalf("revoking twice: %v", err)
	}
	if _, err := f.m.Restore(ctx, admin, c.ID, "error del registrador"); err != nil {
		t.Fatal(err)
	}
	if st := f.offline(t, c.QRText); st != credential.Valid {
		t.Fatalf("offline after restore: %s", st)
	}
	// A superseded version cannot be restored (there would be two).
	newer, err := f.m.Reissue(ctx, clerk, c.ID, "holder lost it")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.m.Restore(ctx, admin, c.ID, "x"); !errors.Is(err, ErrState) {
		t.Fatalf("restoring a superseded one: %v", err)
	}
	if f.lookup(t, newer.Code) != credential.Valid || f.lookup(t, c.Code) != credential.Revoked {
		t.Fatal("after a reissue: the new code is not valid or the old one not revoked")
	}
	found, err := f.m.Find(ctx, c.Student.DocNumber)
	if err != nil || found.ID != newer.ID {
		t.Fatalf("find by DNI: %v %v", found, err)
	}
	trail(t, f)
}

// TestCancellationLeavesNoTrace: after a cancellation the student's DNI
// and names appear nowhere in the bbolt file; the status bits stay set.
func TestCancellationLeavesNoTrace(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.issue(t, 0, false)
	v2 := f.issue(t, 0, true) // a second version (regenerated code)
	st := c.Student
	// The e-mails still in the outbox (never sent here) hold the address.
	secrets := [][]byte{[]byte(st.DocNumber), []byte(st.GivenNames), []byte(st.FirstSurname), []byte(st.SecondSurname),
		[]byte(st.FirstSurname + " " + st.SecondSurname), []byte("familia@example.pe")}
	if b, _ := os.ReadFile(f.dbPath); !bytes.Contains(b, []byte(st.DocNumber)) || !bytes.Contains(b, []byte(st.FirstSurname)) ||
		!bytes.Contains(b, []byte("familia@example.pe")) {
		t.Fatal("the test scans for the wrong bytes: the DNI, surname or address is not in the file before cancellation")
	}
	r, err := f.m.OpenRequest(ctx, clerk, Cancellation, formatCode(v2.Code), "presencial", "")
	if err != nil {
		t.Fatal(err)
	}
	if !r.Due.Equal(DueFor(r.Received)) || r.State != Open {
		t.Fatalf("request: %+v", r)
	}
	if _, err := f.m.Answer(ctx, clerk, r.ID); err != nil {
		t.Fatal(err)
	}
	f.m.Wait() // the compaction runs in the background
	b, err := os.ReadFile(f.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if bytes.Contains(b, s) {
			t.Errorf("%q is still in the bbolt file after cancellation", s)
		}
	}
	f.db.View(ctx, func(tx store.Tx) error {
		if _, err := tx.Meta(compactPending); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the compaction's mark is left after it: %v", err)
		}
		return nil
	})
	// The codes read revoked offline (their bits stay set) and not found
	// online; the request is closed and the trail is whole.
	for _, v := range []*constancia.Issued{c, v2} {
		if st := f.offline(t, v.QRText); st != credential.Revoked {
			t.Errorf("offline after cancellation: %s", st)
		}
		if st := f.lookup(t, v.Code); st != credential.NotFound {
			t.Errorf("online after cancellation: %s", st)
		}
	}
	got, _ := f.m.GetRequest(ctx, r.ID)
	if got.State != Done || got.Subject != "" {
		t.Fatalf("request after cancellation: %+v", got)
	}
	trail(t, f)
	// The student may ask again later: a fresh constancia.
	again := f.issue(t, 0, false)
	if again.StatusIndex == c.StatusIndex || again.StatusIndex == v2.StatusIndex {
		t.Fatal("a cancelled constancia's status index was handed out again")
	}
}

func TestRequestsKindsAndDeadlines(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.issue(t, 0, false)
	if _, err := f.m.OpenRequest(ctx, clerk, "borrar_todo", c.Code, "presencial", ""); !errors.Is(err, ErrKind) {
		t.Fatalf("unknown kind: %v", err)
	}
	if _, err := f.m.OpenRequest(ctx, clerk, Opposition, "0000-0000-0000-0", "presencial", ""); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown code: %v", err)
	}
	opp, err := f.m.OpenRequest(ctx, clerk, Opposition, c.Code, "correo", "pide no recibir correos")
	if err != nil {
		t.Fatal(err)
	}
	rect, _ := f.m.OpenRequest(ctx, clerk, Rectification, c.Code, "presencial", "")
	f.clock.add(9 * 24 * time.Hour)
	if !rect.Overdue(f.clock.now()) || rect.DaysLeft(f.clock.now()) != -1 {
		t.Fatalf("after 9 days: overdue %v, days left %d", rect.Overdue(f.clock.now()), rect.DaysLeft(f.clock.now()))
	}
	list, _ := f.m.Requests(ctx)
	if len(list) != 2 || list[0].ID != opp.ID {
		t.Fatalf("open requests not by deadline: %v", list)
	}
	if _, err := f.m.Answer(ctx, clerk, opp.ID); err != nil {
		t.Fatal(err)
	}
	got, _ := f.m.Get(ctx, c.ID)
	if got.Email != "" || got.Department != "" || !got.Opposed || got.State != constancia.Active {
		t.Fatalf("after opposition: %+v", got)
	}
	if to, ok := f.mailed(t)[c.Code]; ok {
		t.Errorf("after opposition the outbox still holds an e-mail to %q", to)
	}
	// Rectification with the registries unchanged: stays open.
	if _, err := f.m.Answer(ctx, clerk, rect.ID); !errors.Is(err, issuance.ErrUnchanged) {
		t.Fatalf("rectification without changes: %v", err)
	}
	if _, err := f.m.Reject(ctx, clerk, rect.ID, "SIAGIE no fue corregido por la IE"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.m.Answer(ctx, clerk, rect.ID); !errors.Is(err, ErrClosed) {
		t.Fatalf("answering a closed request: %v", err)
	}
	w, _ := f.m.OpenRequest(ctx, clerk, Withdrawal, c.Code, "presencial", "")
	if _, err := f.m.Answer(ctx, clerk, w.ID); err != nil {
		t.Fatal(err)
	}
	if st := f.lookup(t, c.Code); st != credential.Revoked {
		t.Fatalf("after consent withdrawal: %s", st)
	}
	trail(t, f)
}

func formatCode(c string) string { return c[:4] + "-" + c[4:8] + "-" + c[8:12] + "-" + c[12:] }

// TestDueFor: eight days counted from the day after receipt, in Peru, due
// by the end of the eighth (it was receipt + 192 h, the same hour).
func TestDueFor(t *testing.T) {
	for _, tc := range []struct{ received, due string }{
		{"2026-11-27T15:00:00-05:00", "2026-12-05T23:59:59.999999999-05:00"},
		{"2026-11-27T23:30:00-05:00", "2026-12-05T23:59:59.999999999-05:00"},
		{"2026-11-28T03:30:00Z", "2026-12-05T23:59:59.999999999-05:00"}, // still the 27th in Lima
		{"2026-12-31T09:00:00-05:00", "2027-01-08T23:59:59.999999999-05:00"},
	} {
		r, _ := time.Parse(time.RFC3339Nano, tc.received)
		want, _ := time.Parse(time.RFC3339Nano, tc.due)
		if got := DueFor(r); !got.Equal(want) {
			t.Errorf("received %s: due %s, want %s", tc.received, got, want)
		}
	}
}

// TestCompactionResumesAtStart: a cancellation whose compaction a crash
// interrupted (its mark committed with the cancellation, the file not yet
// rewritten) is compacted by ResumeJobs at the next start: the deleted
// bytes go, the mark goes.
func TestCompactionResumesAtStart(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.issue(t, 0, false)
	secret := []byte(c.Student.DocNumber)
	if b, _ := os.ReadFile(f.dbPath); !bytes.Contains(b, secret) {
		t.Fatal("the test scans for the wrong bytes: the DNI is not in the file")
	}
	err := f.db.Update(ctx, func(tx store.Tx) error {
		if err := tx.DeleteConstancia(c.ID); err != nil {
			return err
		}
		return tx.PutMeta(compactPending, []byte("request-before-the-crash"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(f.dbPath); !bytes.Contains(b, secret) {
		t.Fatal("the deletion alone erased the DNI: the test shows nothing")
	}
	if _, err := f.m.ResumeJobs(ctx); err != nil {
		t.Fatal(err)
	}
	f.m.Wait()
	if b, _ := os.ReadFile(f.dbPath); bytes.Contains(b, secret) {
		t.Errorf("%q is still in the file after the resumed compaction", secret)
	}
	f.db.View(ctx, func(tx store.Tx) error {
		if _, err := tx.Meta(compactPending); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the mark is left: %v", err)
		}
		return nil
	})
}
