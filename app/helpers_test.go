package app

import (
	"context"
	"crypto/ed25519"
	"flag"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/minedu-cla/cla/app/camera"
	"github.com/minedu-cla/cla/app/config"
	"github.com/minedu-cla/cla/app/cue"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/internal/testissuer"
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/store"
)

// update rewrites the golden files: go test ./app -update
var update = flag.Bool("update", false, "rewrite the golden markup in testdata")

func TestMain(m *testing.M) {
	time.Local = time.UTC // the golden files show times
	os.Exit(m.Run())
}

// issuedAt is the test issuer's clock; the verifier's runs 2 hours later.
var issuedAt = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

// env is a UI on an engine that trusts a test issuer.
type env struct {
	ui     *UI
	is     *testissuer.Issuer
	engine *verifier.Engine
	cues   *cues
	now    time.Time
}

type envOpt func(*Options)

func newEnv(t *testing.T, opts ...envOpt) *env {
	t.Helper()
	a := test.NewTempApp(t)
	is := testissuer.New("app", issuedAt)
	e := &env{is: is, now: issuedAt.Add(2 * time.Hour), cues: &cues{}}
	eng, err := verifier.Open(context.Background(), verifier.Options{Roots: []ed25519.PublicKey{is.RootPublic()},
		Store: &store.Memory{}, Scanner: config.Scanner, Now: func() time.Time { return e.now }})
	if err != nil {
		t.Fatal(err)
	}
	if err := eng.Import(context.Background(), is.Bundle(), "usb"); err != nil {
		t.Fatal(err)
	}
	e.engine = eng
	o := Options{Engine: eng, Roots: 1, Store: "/home/secretaria/.config/cla-verificador/trust.db",
		Issuer: "https://cla.example", Lang: i18n.ES, Cue: e.cues,
		Now: func() time.Time { return e.now }, Inline: true,
		Lookup: func(context.Context, string, string) (verifier.Result, error) {
			return verifier.Result{}, verifier.ErrOffline
		}}
	for _, f := range opts {
		f(&o)
	}
	e.ui = New(a, o)
	t.Cleanup(e.ui.close)
	return e
}

// golden compares the window with testdata/name (rewritten with -update).
func (e *env) golden(t *testing.T, name string) {
	t.Helper()
	c := e.ui.win.Canvas()
	if *update {
		path := filepath.Join("testdata", name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(test.RenderToMarkup(c)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	test.AssertRendersToMarkup(t, name, c)
}

func (e *env) shortcut(k fyne.KeyName) {
	e.ui.win.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault})
}

// texts returns every text on screen (labels, buttons, entries…).
func (e *env) texts() []string {
	var out []string
	for _, o := range test.LaidOutObjects(e.ui.win.Content()) {
		if t := textOf(o); t != "" && o.Visible() {
			out = append(out, t)
		}
	}
	return out
}

// cues records the sounds played.
type cues struct {
	mu     sync.Mutex
	played []cue.Kind
}

func (c *cues) Play(k cue.Kind) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.played = append(c.played, k)
}

// noCamera is a computer without a camera.
type noCamera struct{}

func (noCamera) Devices() ([]camera.Device, error)  { return nil, camera.ErrNoCamera }
func (noCamera) Open(string) (camera.Source, error) { return nil, camera.ErrNoCamera }

// busyCamera is a camera another program holds.
type busyCamera struct{}

func (busyCamera) Devices() ([]camera.Device, error) {
	return []camera.Device{{ID: "/dev/video0", Name: "USB Camera"}}, nil
}
func (busyCamera) Open(string) (camera.Source, error) { return nil, camera.ErrBusy }

// idleCamera streams nothing until stopped: the scan screen runs, with
// no frame to race the test.
type idleCamera struct{}

func (idleCamera) Devices() ([]camera.Device, error) {
	return []camera.Device{{ID: "/dev/video0", Name: "HD Webcam C270"}, {ID: "/dev/video2", Name: "Integrated Camera"}}, nil
}
func (c idleCamera) Open(string) (camera.Source, error) { return idleSource{}, nil }

type idleSource struct{}

func (idleSource) Next(ctx context.Context) (camera.Frame, error) {
	<-ctx.Done()
	return camera.Frame{}, ctx.Err()
}
func (idleSource) Close() error { return nil }
