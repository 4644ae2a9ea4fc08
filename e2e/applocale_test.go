package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestAppCLocale: the desktop app, built and run under Xvfb with a C or
// POSIX locale, opens its window in Spanish and writes no "Fyne error"
// line (Fyne used to log "Error parsing user locale C" under C.UTF-8, and
// LC_ALL=C over LANG=en_US gave an English window).
func TestAppCLocale(t *testing.T) {
	skipShort(t)
	if _, err := exec.LookPath("xvfb-run"); err != nil {
		t.Fatal("xvfb-run is missing (make test installs it): ", err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "cla-verificador")
	build := exec.Command("go", "build", "-o", bin, "github.com/minedu-cla/cla")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the app: %v\n%s", err, out)
	}
	const title = "Verificador de la Constancia de Logros de Aprendizaje"
	// The window is looked for until it shows (at most 20 s), then the app
	// is stopped; its stderr is kept apart from xwininfo's output.
	script := `"$APP" 2>"$ERR" & pid=$!
for i in $(seq 100); do xwininfo -root -tree | grep -q '"` + "Verificador\\|verifier" + `' && break; sleep 0.2; done
xwininfo -root -tree | grep -i 'constancia'
kill $pid; wait $pid 2>/dev/null; true`
	for _, env := range [][]string{
		{"LANG=C"},
		{"LANG=POSIX"},
		{"LANG=C.UTF-8"},
		{"LC_ALL=C", "LANG=en_US.UTF-8"},
	} {
		t.Run(strings.Join(env, ","), func(t *testing.T) {
			home := t.TempDir()
			errFile := filepath.Join(home, "stderr")
			cmd := exec.Command("xvfb-run", "-a", "sh", "-c", script)
			cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "APP=" + bin, "ERR=" + errFile,
				"CLA_STORE=" + filepath.Join(home, "trust.db"), "CLA_ISSUER_URL=http://127.0.0.1:9"}, env...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("xvfb-run: %v\n%s", err, out)
			}
			stderr, _ := os.ReadFile(errFile)
			if strings.Contains(string(stderr), "Fyne error") {
				t.Errorf("stderr has a Fyne error:\n%s", stderr)
			}
			if !strings.Contains(string(out), `"`+title+`"`) {
				t.Errorf("no window titled %q; windows:\n%s\nstderr:\n%s", title, out, stderr)
			}
		})
	}
}
