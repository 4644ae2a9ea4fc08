package e2e

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestDarwinCompiles: the Mac app needs Apple's SDK for its cgo parts
// (the OpenGL window, the AVFoundation camera), which no Linux machine
// has; every other package must compile for macOS on Intel and Apple
// silicon, so a Mac release fails only where a Mac is needed. The window
// packages are the ones that reach Fyne (its widgets need cgo on macOS);
// the camera package builds without its cgo driver (no camera) and is
// checked too.
func TestDarwinCompiles(t *testing.T) {
	skipShort(t)
	for _, arch := range []string{"amd64", "arm64"} {
		env := append(os.Environ(), "GOOS=darwin", "GOARCH="+arch, "CGO_ENABLED=0")
		list := exec.Command("go", "list", "-e", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, "./...")
		list.Dir, list.Env = "..", env
		out, err := list.Output()
		if err != nil {
			var stderr []byte
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = ee.Stderr
			}
			t.Fatalf("go list for darwin/%s: %v\n%s", arch, err, stderr)
		}
		var pkgs, skipped []string
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			f := strings.Fields(line)
			if strings.Contains(line, " fyne.io/fyne/v2") || strings.Contains(line, "github.com/go-gl/") {
				skipped = append(skipped, f[0])
				continue
			}
			pkgs = append(pkgs, f[0])
		}
		if len(pkgs) < 40 || !contains(pkgs, "github.com/minedu-cla/cla/verifier") || !contains(pkgs, "github.com/minedu-cla/cla/app/camera") ||
			!contains(pkgs, "github.com/minedu-cla/cla/cmd/cla-verify") {
			t.Fatalf("darwin/%s: only %d packages would be compiled: %v", arch, len(pkgs), pkgs)
		}
		build := exec.Command("go", append([]string{"build"}, pkgs...)...)
		build.Dir, build.Env = "..", env
		if out, err := build.CombinedOutput(); err != nil {
			t.Errorf("darwin/%s: %v\n%s", arch, err, out)
		}
		t.Logf("darwin/%s: %d packages compile; %d need Fyne's cgo window: %v", arch, len(pkgs), len(skipped), skipped)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
