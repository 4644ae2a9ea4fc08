package app

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/minedu-cla/cla/app/camera"
	"github.com/minedu-cla/cla/app/config"
	"github.com/minedu-cla/cla/app/cue"
	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/internal/testissuer"
	"github.com/minedu-cla/cla/internal/testpdf"
	"github.com/minedu-cla/cla/verifier"
)

func textOf(o fyne.CanvasObject) string {
	if t, ok := o.(*canvas.Text); ok {
		return t.Text
	}
	return ""
}

func (e *env) has(t *testing.T, want string) {
	t.Helper()
	for _, s := range e.texts() {
		if strings.Contains(s, want) {
			return
		}
	}
	t.Errorf("%q is not on screen; the screen shows %q", want, e.texts())
}

// TestScreens: every tab, as a person first sees it, in Spanish.
func TestScreens(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Cameras = idleCamera{} })
	for i, name := range []string{"scan", "files", "code", "trust", "history", "settings"} {
		e.ui.selectTab(i)
		e.golden(t, "screen_"+name+".xml")
	}
}

// TestEveryStringTranslated: every screen in every language shows no
// message key (a missing translation falls back to Spanish, then to the
// key itself) and the tabs change language.
func TestEveryStringTranslated(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Cameras = idleCamera{} })
	tabs := map[i18n.Lang]string{}
	for _, l := range i18n.Langs {
		e.ui.setLang(l)
		for i := range e.ui.tabs.Items {
			e.ui.tabs.SelectIndex(i)
			for _, s := range e.texts() {
				if strings.Contains(s, "app.") || strings.Contains(s, "status.") || strings.Contains(s, "reason.") {
					t.Errorf("%s, tab %d: untranslated %q", l, i, s)
				}
			}
		}
		tabs[l] = e.ui.tabs.Items[tabFiles].Text
		e.ui.showResult(shown{Result: e.engine.VerifyText(e.is.Issue(13).Text), At: e.now})
		for _, s := range e.texts() {
			if strings.Contains(s, "app.") || strings.Contains(s, "level.") || strings.Contains(s, "result.") {
				t.Errorf("%s, result: untranslated %q", l, s)
			}
		}
		e.ui.back()
	}
	if tabs[i18n.ES] == tabs[i18n.EN] || tabs[i18n.ES] == tabs[i18n.QU] {
		t.Errorf("the tabs did not change language: %v", tabs)
	}
	if got := e.ui.app.Preferences().String(prefLang); got != "qu" {
		t.Errorf("saved language %q", got)
	}
}

// results returns a result of every status, as the engine gives them.
func results(t *testing.T, e *env) map[credential.Status]verifier.Result {
	ctx := context.Background()
	out := map[credential.Status]verifier.Result{}
	valid := e.is.Issue(13)
	revoked := e.is.Issue(2)
	e.is.Revoke(revoked)
	if err := e.engine.Import(ctx, e.is.Bundle(), "usb"); err != nil {
		t.Fatal(err)
	}
	out[credential.Valid] = e.engine.VerifyText(valid.Text)
	out[credential.Revoked] = e.engine.VerifyText(revoked.Text)

	forged := []byte(valid.Text)
	forged[len(forged)-5] ^= 1 // still base45, another signature
	if forged[len(forged)-5] == ' ' || forged[len(forged)-5] == '%' {
		forged[len(forged)-5] = 'A'
	}
	r := e.engine.VerifyText(string(forged))
	if r.Status != credential.InvalidSignature {
		t.Fatalf("forged code: %s", r.Status)
	}
	out[credential.InvalidSignature] = r

	other := testissuer.New("someone else", issuedAt).Issue(4)
	out[credential.UnknownKey] = e.engine.VerifyText(other.Text)
	out[credential.Malformed] = e.engine.VerifyText("https://example.com/no-es-una-constancia")

	// The engine's own tests make these from compromised and rotated
	// keys; here only their faces matter. (Results as loaded from the
	// history file: nothing to judge again.)
	faceOf := func(r verifier.Result) verifier.Result {
		var out verifier.Result
		b, _ := json.Marshal(r)
		json.Unmarshal(b, &out)
		return out
	}
	comp := faceOf(out[credential.Valid])
	comp.Status = credential.KeyCompromised
	out[credential.KeyCompromised] = comp
	early := faceOf(out[credential.Valid])
	early.Status, early.Detail = credential.KeyNotValid, "issued before the key's not_before"
	out[credential.KeyNotValid] = early
	out[credential.NotFound] = verifier.Result{Status: credential.NotFound, Source: "7K3M-9QXT-2HBN-M"}

	saved := e.now
	e.now = e.now.Add(40 * 24 * time.Hour)
	out[credential.Stale] = e.engine.VerifyText(valid.Text)
	e.now = saved
	for s, r := range out {
		if r.Status != s {
			t.Fatalf("wanted %s, the engine said %s", s, r.Status)
		}
	}
	return out
}

// TestResultStatuses: the result page of every status. The verdict is in
// words and an icon, never in colour alone.
func TestResultStatuses(t *testing.T) {
	e := newEnv(t)
	for s, r := range results(t, e) {
		t.Run(string(s), func(t *testing.T) {
			sh := shown{Result: r, At: e.now}
			if s == credential.NotFound {
				sh.Online = "https://cla.example"
			}
			e.ui.showResult(sh)
			e.has(t, i18n.T(i18n.ES, "status."+string(s)))
			e.has(t, i18n.T(i18n.ES, "status."+string(s)+".help"))
			e.has(t, i18n.T(i18n.ES, "app.result.again"))
			e.golden(t, "result_"+string(s)+".xml")
			if got, want := e.ui.Window().Title(), i18n.T(i18n.ES, "status."+string(s))+" — "+i18n.T(i18n.ES, "app.title"); got != want {
				t.Errorf("window title %q, want %q", got, want)
			}
			e.ui.back()
			if got := e.ui.Window().Title(); got != i18n.T(i18n.ES, "app.title") {
				t.Errorf("window title after back: %q", got)
			}
		})
	}
}

// samplePDF writes a constancia PDF as the issuer makes it: the QR code
// on the page and the full signed record attached.
func samplePDF(t *testing.T, dir, name string, c testissuer.Code) string {
	t.Helper()
	pdf, err := testpdf.Make([]testpdf.Page{{QR: c.Text, Text: "CONSTANCIA DE LOGROS DE APRENDIZAJE"}},
		map[string][]byte{"constancia.cla": c.Record})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOpenPDFShowsGrades: one PDF opens straight into its result, with
// the full grades table from the attached record.
func TestOpenPDFShowsGrades(t *testing.T) {
	e := newEnv(t)
	c := e.is.Issue(9)
	path := samplePDF(t, t.TempDir(), "constancia.pdf", c)
	e.ui.dropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(path)})
	if e.ui.showing == nil {
		t.Fatal("no result shown")
	}
	r := e.ui.showing.Result
	if r.Status != credential.Valid || r.Constancia == nil || r.Constancia.Record == nil {
		t.Fatalf("status %s, record %v", r.Status, r.Constancia != nil && r.Constancia.Record != nil)
	}
	e.has(t, i18n.T(i18n.ES, "app.result.record", 9))
	e.has(t, r.Constancia.Record.Years[0].Areas[0].Area)
	e.has(t, r.Constancia.Student.FullName)
	e.ui.showing.Result.Source = "constancia.pdf" // the temp path differs each run
	e.ui.showResult(*e.ui.showing)
	e.golden(t, "result_valid_record.xml")
	if len(e.ui.history.entries) != 1 {
		t.Errorf("history has %d entries", len(e.ui.history.entries))
	}
	e.shortcut(fyne.KeyEscape) // not a shortcut: Escape is a typed key
	e.ui.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if e.ui.showing != nil {
		t.Error("Escape did not leave the result")
	}
}

// TestBatch: several files make a list with a status per file; a row
// opens its result, and "back" returns to the list.
func TestBatch(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	good := e.is.Issue(6)
	bad := e.is.Issue(3)
	e.is.Revoke(bad)
	if err := e.engine.Import(context.Background(), e.is.Bundle(), "usb"); err != nil {
		t.Fatal(err)
	}
	samplePDF(t, dir, "a-ana.pdf", good)
	samplePDF(t, dir, "b-revocada.pdf", bad)
	if err := os.WriteFile(filepath.Join(dir, "c-foto.png"), []byte("\x89PNG\r\n\x1a\nbroken"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notas.txt"), []byte("not opened"), 0o644); err != nil {
		t.Fatal(err)
	}
	e.ui.openPaths([]string{dir})
	f := e.ui.files
	if len(f.items) != 3 {
		t.Fatalf("%d rows, want 3 (the .txt is skipped)", len(f.items))
	}
	want := []credential.Status{credential.Valid, credential.Revoked, credential.Malformed}
	for i, it := range f.items {
		if it.Result == nil || it.Result.Status != want[i] {
			t.Errorf("row %d (%s): %v, want %s", i, filepath.Base(it.Path), it.Result, want[i])
		}
	}
	e.has(t, i18n.T(i18n.ES, "app.files.summary", 1, 3))
	e.golden(t, "batch.xml")
	f.list.Select(1)
	if e.ui.showing == nil || e.ui.showing.Result.Status != credential.Revoked || !e.ui.showing.fromBatch {
		t.Fatal("the row did not open its result")
	}
	e.has(t, i18n.T(i18n.ES, "app.result.backlist"))
	e.ui.back()
	if len(f.items) != 3 || e.ui.tabs.Selected().Text != i18n.T(i18n.ES, "app.tab.files") {
		t.Errorf("back did not return to the list")
	}
}

// TestTypedCode: a typo is caught offline, before asking; offline is
// said plainly; an answer shows the result page.
func TestTypedCode(t *testing.T) {
	asked := 0
	var answer verifier.Result
	var answerErr error
	e := newEnv(t, func(o *Options) {
		o.Lookup = func(_ context.Context, issuer, code string) (verifier.Result, error) {
			asked++
			return answer, answerErr
		}
	})
	e.shortcut(fyne.KeyL)
	c := e.ui.code
	if e.ui.win.Canvas().Focused() != c.entry {
		t.Error("Ctrl+L did not focus the code entry")
	}
	good := e.is.Issue(5).Claims.Code
	typo := []byte(good)
	typo[3] = map[bool]byte{true: 'A', false: 'B'}[typo[3] != 'A']
	test.Type(c.entry, string(typo))
	c.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if asked != 0 || c.message.Text != i18n.T(i18n.ES, "app.code.typo") {
		t.Errorf("typo: asked %d, said %q", asked, c.message.Text)
	}
	e.golden(t, "code_typo.xml")

	c.entry.SetText(good)
	answerErr = verifier.ErrOffline
	test.Tap(c.button)
	if asked != 1 || c.message.Text != i18n.T(i18n.ES, "app.code.offline", "https://cla.example") {
		t.Errorf("offline: said %q", c.message.Text)
	}
	e.golden(t, "code_offline.xml")

	answerErr = nil
	answer = verifier.Result{Status: credential.Revoked, Constancia: &verifier.Constancia{Code: good, IssuedAt: issuedAt,
		Student: verifier.Student{DocType: "DNI", DocNumber: "10117410", FullName: "ANA RUIZ PAZ"}}}
	test.Tap(c.button)
	if e.ui.showing == nil || e.ui.showing.Online == "" {
		t.Fatal("the answer was not shown")
	}
	e.has(t, i18n.T(i18n.ES, "status.revoked"))
	e.has(t, "ANA RUIZ PAZ")
}

// TestScanDetection: a code read by the camera opens its result at once,
// with the chime for valid and the buzz for anything else.
func TestScanDetection(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Cameras = idleCamera{} })
	e.ui.selectTab(tabScan)
	if e.ui.scan.cancel == nil {
		t.Fatal("the camera did not start on the scan tab")
	}
	// Two cameras: a picker on the scan screen, on the first one.
	if got := e.ui.scan.pick.Objects[0].(*fyne.Container).Objects[0].(*widget.Select); got.Selected != "HD Webcam C270" || len(got.Options) != 2 {
		t.Errorf("picker shows %q of %q", got.Selected, got.Options)
	}
	e.ui.scan.pick.Objects[0].(*fyne.Container).Objects[0].(*widget.Select).SetSelected("Integrated Camera")
	if e.ui.app.Preferences().String(prefCamera) != "/dev/video2" || e.ui.scan.cancel == nil {
		t.Error("choosing a camera did not save it and restart")
	}
	ctx := context.Background()
	e.ui.scan.found(ctx, e.is.Issue(13).Text)
	if e.ui.showing == nil || e.ui.showing.Result.Status != credential.Valid {
		t.Fatal("no valid result after a read")
	}
	if e.ui.scan.cancel != nil {
		t.Error("the camera still runs behind the result")
	}
	e.ui.scan.found(ctx, "CLA1:garbage") // a second read while the result shows: ignored
	e.ui.back()
	if e.ui.scan.cancel == nil {
		t.Error("back to the scan tab did not restart the camera")
	}
	e.ui.scan.found(ctx, e.ui.scan.last) // the same paper still in view
	if e.ui.showing != nil {
		t.Error("the code just shown was read again at once")
	}
	e.ui.scan.found(ctx, "CLA1:garbage")
	if e.ui.showing == nil || e.ui.showing.Result.Status != credential.Malformed {
		t.Fatal("no result for a bad code")
	}
	if !slices.Equal(e.cues.played, []cue.Kind{cue.Good, cue.Bad}) {
		t.Errorf("cues %v, want good then bad", e.cues.played)
	}
	e.ui.back()
	e.ui.selectTab(tabFiles)
	if e.ui.scan.cancel != nil {
		t.Error("the camera runs on another tab")
	}
}

// TestCameraMessages: no camera, and a camera in use, each said in words
// with a way forward.
func TestCameraMessages(t *testing.T) {
	for name, sys := range map[string]camera.System{"nocamera": noCamera{}, "busy": busyCamera{}} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, func(o *Options) { o.Cameras = sys })
			e.ui.selectTab(tabScan)
			e.has(t, i18n.T(i18n.ES, "app.scan."+name)[:30])
			if !e.ui.scan.retry.Visible() {
				t.Error("no retry button")
			}
			e.golden(t, "scan_"+name+".xml")
		})
	}
}

// TestSync: Sync now against a test issuer; the trust screen shows the
// new seqs and revoked count; offline is said and changes nothing.
func TestSync(t *testing.T) {
	e := newEnv(t)
	h := testissuer.NewServer(e.is)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e.ui.opts.Issuer = srv.URL
	h.Mu.Lock()
	e.is.Revoke(e.is.Issue(2))
	h.Mu.Unlock()
	e.shortcut(fyne.KeyR)
	st := e.engine.State()
	if st.List.Seq != e.is.ListSeq() || st.List.Count() != 1 {
		t.Fatalf("after sync: list %d with %d revoked, issuer at %d", st.List.Seq, st.List.Count(), e.is.ListSeq())
	}
	e.ui.selectTab(tabTrust)
	e.has(t, i18n.T(i18n.ES, "app.trust.revokedv", 1, st.List.Size()))
	if e.ui.sync.bad {
		t.Errorf("sync note: %s", e.ui.sync.note)
	}

	e.ui.opts.Issuer = "http://127.0.0.1:1" // nothing listens on port 1: refused at once
	e.ui.syncNow()
	if !e.ui.sync.bad || e.ui.sync.note != i18n.T(i18n.ES, "sync.offline", e.ui.opts.Issuer) {
		t.Errorf("offline note: %q", e.ui.sync.note)
	}
	if e.engine.State().List.Seq != st.List.Seq {
		t.Error("an offline sync changed the trust data")
	}
	e.golden(t, "trust_offline.xml")
}

// TestImportBundle: a bundle file from a USB stick, with the checks of a
// sync: new data taken, an old bundle refused as a rollback.
func TestImportBundle(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	old := filepath.Join(dir, "old.cla")
	if err := os.WriteFile(old, e.is.Bundle(), 0o644); err != nil {
		t.Fatal(err)
	}
	e.is.Revoke(e.is.Issue(1))
	fresh := filepath.Join(dir, "fresh.cla")
	if err := os.WriteFile(fresh, e.is.Bundle(), 0o644); err != nil {
		t.Fatal(err)
	}
	e.ui.importBundle(fresh)
	if e.ui.sync.bad || e.engine.State().List.Count() != 1 {
		t.Errorf("import: %q", e.ui.sync.note)
	}
	e.ui.importBundle(old)
	if !e.ui.sync.bad || e.ui.sync.note != i18n.T(i18n.ES, "import.refused", i18n.T(i18n.ES, "import.reason.rollback")) {
		t.Errorf("rollback: %q", e.ui.sync.note)
	}
	e.ui.importBundle(filepath.Join(dir, "missing.cla"))
	if !e.ui.sync.bad {
		t.Error("a missing file was not reported")
	}
	// Another issuer's bundle: refused, said so, nothing changed.
	forged := filepath.Join(dir, "forged.cla")
	if err := os.WriteFile(forged, testissuer.New("forger", e.is.Now).Bundle(), 0o644); err != nil {
		t.Fatal(err)
	}
	e.ui.importBundle(forged)
	want := i18n.T(i18n.ES, "import.refused", i18n.T(i18n.ES, "import.reason.untrusted_root"))
	if !e.ui.sync.bad || e.ui.sync.note != want || e.engine.State().List.Count() != 1 {
		t.Errorf("another issuer's bundle: %q", e.ui.sync.note)
	}
}

// TestKeyboard: the tabs by Ctrl+number; Tab walks a screen's controls in
// reading order.
func TestKeyboard(t *testing.T) {
	e := newEnv(t)
	e.shortcut(fyne.Key3)
	if got := e.ui.tabs.Selected().Text; got != i18n.T(i18n.ES, "app.tab.code") {
		t.Errorf("Ctrl+3 selected %q", got)
	}
	e.shortcut(fyne.Key1) // no camera screen in this build of the test: files
	if got := e.ui.tabs.Selected().Text; got != i18n.T(i18n.ES, "app.tab.files") {
		t.Errorf("Ctrl+1 without a camera selected %q", got)
	}
	e.shortcut(fyne.Key3)
	c := e.ui.win.Canvas()
	c.Unfocus()
	test.FocusNext(c)
	if c.Focused() != e.ui.code.entry {
		t.Errorf("first focus on the code screen: %T", c.Focused())
	}
	test.FocusNext(c)
	if c.Focused() != fyne.Focusable(e.ui.code.button) {
		t.Errorf("second focus on the code screen: %T", c.Focused())
	}
}

// TestLargeText: the text size setting scales text, not the layout.
func TestLargeText(t *testing.T) {
	e := newEnv(t)
	before := e.ui.app.Settings().Theme().Size("text")
	e.ui.app.Preferences().SetInt(prefTextSize, 2)
	e.ui.applyTextSize()
	after := e.ui.app.Settings().Theme().Size("text")
	if after != before*textScales[2] {
		t.Errorf("text %v → %v", before, after)
	}
	if p := e.ui.app.Settings().Theme().Size("padding"); p != e.ui.baseTheme().Size("padding") {
		t.Error("padding scaled")
	}
	e.ui.app.Preferences().SetInt(prefTextSize, 0)
	e.ui.applyTextSize()
	if e.ui.app.Settings().Theme().Size("text") != before {
		t.Error("back to normal did not restore the size")
	}
}

// TestHistoryOptIn: kept in memory only, unless the user opts in; opting
// out deletes the file.
func TestHistoryOptIn(t *testing.T) {
	file := filepath.Join(t.TempDir(), "history.json")
	e := newEnv(t, func(o *Options) { o.HistoryFile = file })
	e.ui.history.add(shown{Result: e.engine.VerifyText(e.is.Issue(4).Text), At: e.now})
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("history written without the user's consent")
	}
	e.ui.app.Preferences().SetBool(prefKeepHistory, true)
	e.ui.history.keepChanged(true)
	if _, err := os.Stat(file); err != nil {
		t.Fatal("opting in did not keep the history")
	}
	e.ui.history.keepChanged(false)
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("opting out did not delete the file")
	}
	if len(e.ui.history.entries) != 1 {
		t.Errorf("%d entries", len(e.ui.history.entries))
	}
	e.ui.selectTab(tabHistory)
	e.ui.history.list.Select(0)
	if e.ui.showing == nil {
		t.Error("a history row did not open its result")
	}
}

// TestFirstStart: on a first start (no trust data) the files given on the
// command line wait for the first sync, and verify with its data.
func TestFirstStart(t *testing.T) {
	e := newEnv(t)
	fresh, err := verifier.Open(context.Background(), verifier.Options{Roots: []ed25519.PublicKey{e.is.RootPublic()},
		Scanner: config.Scanner, Now: func() time.Time { return e.now }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(testissuer.NewServer(e.is))
	t.Cleanup(srv.Close)
	e.ui.opts.Engine, e.ui.opts.Issuer = fresh, srv.URL
	path := samplePDF(t, t.TempDir(), "constancia.pdf", e.is.Issue(7))
	e.ui.Start([]string{path})
	if e.ui.showing == nil || e.ui.showing.Result.Status != credential.Valid {
		t.Fatalf("first start: %+v", e.ui.showing)
	}
}

// TestVerdictFollowsTrust: no verdict stays on screen beside trust data
// that says otherwise. A file judged just before the start-up sync landed
// (the app once showed ✔ VÁLIDA beside "lista 1 → 2"), a result on screen
// when a bundle is imported, and the rows of a batch list are all judged
// again, and the change is said.
func TestVerdictFollowsTrust(t *testing.T) {
	e := newEnv(t)
	h := testissuer.NewServer(e.is)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e.ui.opts.Issuer = srv.URL
	dir := t.TempDir()
	c1, c2, c3 := e.is.Issue(2), e.is.Issue(3), e.is.Issue(4)
	p1 := samplePDF(t, dir, "uno.pdf", c1)
	samplePDF(t, dir, "dos.pdf", c2)
	samplePDF(t, dir, "tres.pdf", c3)
	revoked := i18n.T(i18n.ES, "status.revoked")
	rejudged := func(was credential.Status) string { // the first line: the label wraps
		st := e.engine.State()
		s := i18n.T(i18n.ES, "app.result.rejudged", i18n.T(i18n.ES, "status."+string(was)), st.Keyset.Seq, st.List.Seq)
		return s[:strings.Index(s, ";")]
	}

	// 1. Judged with list 1 in the background; the sync to list 2 lands
	// before the result reaches the screen.
	early := e.engine.VerifyFile(context.Background(), p1)[0]
	if early.Status != credential.Valid {
		t.Fatalf("before the revocation: %s", early.Status)
	}
	h.Mu.Lock()
	e.is.Revoke(c1)
	h.Mu.Unlock()
	e.ui.syncNow()
	e.ui.showResult(shown{Result: early, At: e.now})
	if got := e.ui.showing.Result; got.Status != credential.Revoked || got.Trust.StatusSeq != e.is.ListSeq() {
		t.Fatalf("a result judged before the sync shows %s with list %d", got.Status, got.Trust.StatusSeq)
	}
	e.has(t, revoked)
	e.has(t, rejudged(credential.Valid))
	e.ui.back()

	// 2. On screen when a bundle revoking it is imported.
	e.ui.openPaths([]string{filepath.Join(dir, "dos.pdf")})
	if e.ui.showing == nil || e.ui.showing.Result.Status != credential.Valid {
		t.Fatal("dos.pdf is not shown valid")
	}
	e.is.Revoke(c2)
	bundle := filepath.Join(dir, "paquete.cla")
	if err := os.WriteFile(bundle, e.is.Bundle(), 0o644); err != nil {
		t.Fatal(err)
	}
	e.ui.importBundle(bundle)
	if got := e.ui.showing.Result; got.Status != credential.Revoked {
		t.Fatalf("the result on screen stayed %s after the import", got.Status)
	}
	e.has(t, revoked)
	e.has(t, rejudged(credential.Valid))
	e.ui.back()

	// 3. A batch list: its rows follow a sync.
	e.ui.files.items = nil
	e.ui.openPaths([]string{dir})
	rows := func() (n int) {
		for _, it := range e.ui.files.items {
			if it.Result != nil && it.Result.Status == credential.Revoked {
				n++
			}
		}
		return n
	}
	if len(e.ui.files.items) != 3 || rows() != 2 {
		t.Fatalf("batch: %d rows, %d revoked", len(e.ui.files.items), rows())
	}
	h.Mu.Lock()
	e.is.Revoke(c3)
	h.Mu.Unlock()
	e.ui.syncNow()
	if rows() != 3 {
		t.Fatalf("after the sync, %d of 3 rows say revoked", rows())
	}
	e.has(t, i18n.T(i18n.ES, "app.files.summary", 0, 3))
}

// TestDamagedStore: a store cut short (it used to kill the app with
// SIGBUS before the window opened) is moved aside, kept whole, and the
// app starts on a fresh store and says so, in Spanish.
func TestDamagedStore(t *testing.T) {
	is := testissuer.New("damaged", issuedAt)
	path := filepath.Join(t.TempDir(), "trust.db")
	cfg := config.Config{Store: path, Roots: []string{base64.RawURLEncoding.EncodeToString(is.RootPublic())}}
	now := func() time.Time { return issuedAt.Add(time.Hour) }
	eng, _, err := cfg.Open(context.Background(), now)
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Import(context.Background(), is.Bundle(), "usb"); err != nil {
		t.Fatal(err)
	}
	whole, err := os.ReadFile(path)
	if err != nil || len(whole) <= 8192 {
		t.Fatalf("store of %d bytes: %v", len(whole), err)
	}
	if err := os.WriteFile(path, whole[:8192], 0o600); err != nil {
		t.Fatal(err)
	}
	eng, roots, err := cfg.Open(context.Background(), now)
	var d *verifier.DamagedError
	if !errors.As(err, &d) || eng == nil || roots != 1 {
		t.Fatalf("open a cut store: %v", err)
	}
	if kept, _ := os.ReadFile(d.Moved); !bytes.Equal(kept, whole[:8192]) {
		t.Fatalf("the damaged store was not kept whole at %s", d.Moved)
	}
	u := New(test.NewTempApp(t), Options{Engine: eng, OpenErr: err, Roots: roots, Store: path, Lang: i18n.ES, Now: now, Inline: true})
	t.Cleanup(u.close)
	e := &env{ui: u}
	want := i18n.T(i18n.ES, "app.trust.damaged", d.Moved)
	if got := u.status.Text; !strings.Contains(got, want[:40]) {
		t.Errorf("status line: %q", got)
	}
	u.selectTab(tabTrust)
	e.has(t, want[:40])
	// The fresh store takes trust data again.
	if err := eng.Import(context.Background(), is.Bundle(), "usb"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := cfg.Open(context.Background(), now); err != nil {
		t.Fatalf("the fresh store: %v", err)
	}
}
