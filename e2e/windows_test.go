package e2e

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestWindowsUnderWine builds the Windows package as a release is built
// (scripts/package-windows.sh: MinGW-w64, fyne package, the root key
// embedded), unpacks it, and runs it under Wine: cla-verify.exe imports a
// trust bundle and judges a PDF and three pictures with the embedded root
// (no --root), the test vectors pass in a Windows test binary, and the
// app opens PDFs and pictures given on its command line in a real window
// on Xvfb, saying each verdict in its title. Screenshots go to $CLA_SHOTS.
//
// Not tested here: a real Windows (Wine 8.0 stands in, with a
// bcryptprimitives.dll shim, tools/wine) and a camera (Wine has none; the
// DirectShow driver is built and starts, and lists no camera).
func TestWindowsUnderWine(t *testing.T) {
	skipShort(t)
	for _, tool := range []string{"wine", "wineboot", "wineserver", "x86_64-w64-mingw32-gcc", "xvfb-run", "xwininfo", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing (make test installs it): %v", tool, err)
		}
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	run := func(dir string, env []string, name string, args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		code := 0
		if err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				t.Fatalf("%s: %v\n%s", name, err, out)
			}
			code = ee.ExitCode()
		}
		return string(out), code
	}
	must := func(dir string, env []string, name string, args ...string) string {
		t.Helper()
		out, code := run(dir, env, name, args...)
		if code != 0 {
			t.Fatalf("%s %s: exit %d\n%s", name, strings.Join(args, " "), code, out)
		}
		return out
	}

	// Samples (a valid, a revoked and a forged constancia, their root key
	// and bundle), and the package with that root embedded.
	samples := filepath.Join(tmp, "samples")
	must(root, nil, "go", "run", "./tools/cla-app-shots", "gen", samples)
	fyne := filepath.Join(root, ".tools", "fyne")
	if _, err := os.Stat(fyne); err != nil {
		must(root, []string{"GOBIN=" + filepath.Dir(fyne)}, "go", "install", "fyne.io/tools/cmd/fyne@v1.7.4")
	}
	dist := filepath.Join(tmp, "dist")
	start := time.Now()
	must(root, []string{"FYNE=" + fyne, "CLA_RELEASE_ROOTS=" + filepath.Join(samples, "root.pub")},
		"scripts/package-windows.sh", dist)
	t.Logf("package built in %s", time.Since(start).Round(time.Second))
	pkg := filepath.Join(tmp, "pkg")
	unzip(t, filepath.Join(dist, "cla-verificador-windows-amd64.zip"), pkg)
	for _, f := range []string{"Verificador CLA.exe", "cla-verify.exe", "LEAME.txt"} {
		if _, err := os.Stat(filepath.Join(pkg, f)); err != nil {
			t.Fatalf("the package lacks %s", f)
		}
	}

	// A Wine prefix with the shim Go's runtime needs on Wine 8.0.
	prefix := filepath.Join(tmp, "prefix")
	wineEnv := []string{"WINEPREFIX=" + prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml="}
	must(tmp, wineEnv, "wineboot", "-i")
	must(root, nil, "x86_64-w64-mingw32-gcc", "-shared", "-O2", "-o",
		filepath.Join(prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll"),
		"tools/wine/bcryptprimitives.c", "tools/wine/bcryptprimitives.def", "-ladvapi32")
	win := func(p string) string { return "Z:" + strings.ReplaceAll(p, "/", `\`) }
	store := win(filepath.Join(tmp, "trust.db"))
	cli := func(args ...string) (string, int) {
		t.Helper()
		args = append([]string{filepath.Join(pkg, "cla-verify.exe"), "--store", store, "--issuer", "http://127.0.0.1:9"}, args...)
		return run(tmp, wineEnv, "wine", args...)
	}

	// cla-verify.exe: the bundle, then each sample, with the embedded root.
	if out, code := cli("import", win(filepath.Join(samples, "confianza.cla"))); code != 0 || !strings.Contains(out, "Paquete importado") ||
		strings.Contains(out, "no se pudo") {
		t.Fatalf("cla-verify.exe import: exit %d\n%s", code, out)
	}
	for _, c := range []struct {
		file, word string
		code       int
	}{{"valida.pdf", "✔ VÁLIDA", 0}, {"revocada.pdf", "✘ REVOCADA", 10}, {"alterada.png", "✘ FALSA O ALTERADA", 11},
		{"otra-clave.png", "✘ CLAVE DESCONOCIDA", 12}} {
		out, code := cli("verify", win(filepath.Join(samples, c.file)))
		if code != c.code || !strings.Contains(out, c.word) || strings.Contains(out, "no se pudo") {
			t.Errorf("cla-verify.exe verify %s: exit %d, want %d and %q\n%s", c.file, code, c.code, c.word, out)
		}
	}

	// The test vectors, in a Windows test binary of the vector checker.
	vec := filepath.Join(tmp, "vectors.test.exe")
	must(root, []string{"GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0"}, "go", "test", "-c", "-o", vec, "./internal/vectors")
	if out, code := run(filepath.Join(root, "internal", "vectors"), wineEnv, "wine", vec, "-test.count=1", "-test.v"); code != 0 ||
		!strings.Contains(out, "\nPASS") {
		t.Errorf("the vectors under Wine: exit %d\n%s", code, tail(out, 3000))
	} else {
		t.Logf("vectors under Wine: %d tests passed", strings.Count(out, "--- PASS"))
	}

	// The app, in a real window: each file opens into its verdict.
	shots := os.Getenv("CLA_SHOTS")
	if shots == "" {
		shots = tmp
	}
	script := `wine "$APP" $FILE >"$LOG" 2>&1 &
for i in $(seq 150); do xwininfo -root -tree | grep -q "$WAIT" && break; sleep 0.2; done
xwininfo -root -tree | grep 'Verificador de la Constancia'
# The window shows before its first frame is drawn (slower on a busy
# machine): shoot until the picture is more than a blank screen.
for i in $(seq 60); do sleep 0.5; import -window root "$SHOT"; [ "$(stat -c %s "$SHOT")" -gt 10000 ] && break; done
wineserver -k; wait; true`
	for _, c := range []struct{ file, title string }{
		// No file: the scan tab, which says there is no camera (Wine has
		// none; the DirectShow driver starts and lists none).
		{"", "Verificador de la Constancia de Logros de Aprendizaje"},
		{"valida.pdf", "VÁLIDA — Verificador de la Constancia de Logros de Aprendizaje"},
		{"alterada.png", "FALSA O ALTERADA — Verificador de la Constancia de Logros de Aprendizaje"},
	} {
		name, file, wait := "inicio", "", `"Verificador de la Constancia`
		if c.file != "" {
			name, file, wait = strings.TrimSuffix(c.file, filepath.Ext(c.file)), win(filepath.Join(samples, c.file)), " — Verificador de la Constancia"
		}
		shot := filepath.Join(shots, "windows-wine-"+name+".png")
		log := filepath.Join(tmp, "app-"+name+".log")
		out := must(tmp, append(wineEnv, "APP="+filepath.Join(pkg, "Verificador CLA.exe"), "FILE="+file, "WAIT="+wait,
			"LOG="+log, "SHOT="+shot, "CLA_STORE="+store, "CLA_ISSUER_URL=http://127.0.0.1:9", "LANG=C.UTF-8", "LC_ALL=C.UTF-8"),
			"xvfb-run", "-a", "-s", "-screen 0 1280x900x24", "sh", "-c", script)
		if !strings.Contains(out, `"`+c.title+`"`) {
			applog, _ := os.ReadFile(log)
			t.Errorf("%s: no window titled %q; windows:\n%s\napp:\n%s", c.file, c.title, out, tail(string(applog), 2000))
		}
		if st, err := os.Stat(shot); err != nil || st.Size() < 10_000 {
			t.Errorf("%s: no screenshot, or a blank one (%v)", name, err)
		}
	}
}

func unzip(t *testing.T, file, dir string) {
	t.Helper()
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		dst := filepath.Join(dir, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(dst, filepath.Clean(dir)+string(os.PathSeparator)) {
			t.Fatalf("zip entry outside the folder: %s", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if _, err := io.Copy(&b, rc); err != nil {
			t.Fatal(err)
		}
		rc.Close()
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := os.WriteFile(dst, b.Bytes(), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
