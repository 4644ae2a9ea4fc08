package app

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// TestCapturePNG writes what the golden screens look like, drawn by the
// test driver's software painter, for a person to look at:
// CLA_APP_PNG=/tmp/shots go test ./app -run CapturePNG
func TestCapturePNG(t *testing.T) {
	dir := os.Getenv("CLA_APP_PNG")
	if dir == "" {
		t.Skip("set CLA_APP_PNG to a folder")
	}
	e := newEnv(t, func(o *Options) { o.Cameras = idleCamera{} })
	save := func(name string) {
		f, err := os.Create(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, e.ui.win.Canvas().Capture()); err != nil {
			t.Fatal(err)
		}
	}
	for i, name := range []string{"scan", "files", "code", "trust", "history", "settings"} {
		e.ui.selectTab(i)
		save("screen_" + name)
	}
	for s, r := range results(t, e) {
		e.ui.showResult(shown{Result: r, At: e.now})
		save("result_" + string(s))
	}
	e.ui.back()
	path := samplePDF(t, t.TempDir(), "constancia.pdf", e.is.Issue(9))
	e.ui.openPaths([]string{path})
	save("result_record")
}
