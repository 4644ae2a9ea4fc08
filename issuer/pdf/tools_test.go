package pdf

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// Programs we did not write read what Render writes: poppler-utils
// (pdftoppm, pdftotext) and zbar-tools (zbarimg). pdfcpu reads the
// attachment.

func init() {
	api.DisableConfigDir() // else pdfcpu writes ~/.config/pdfcpu
}

// needTools skips the test when a program is missing.
func needTools(t testing.TB, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			t.Skipf("%s not installed (Debian: poppler-utils, zbar-tools)", n)
		}
	}
}

func run(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.Bytes())
	}
	return out
}

// writePDF puts pdf in a fresh directory and returns its path.
func writePDF(t testing.TB, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "constancia.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// pages renders every page at dpi and returns the PNG paths in order.
func pages(t testing.TB, path string, dpi int) []string {
	t.Helper()
	prefix := filepath.Join(filepath.Dir(path), "page")
	run(t, "pdftoppm", "-r", itoa(dpi), "-png", path, prefix)
	pngs, err := filepath.Glob(prefix + "*.png")
	if err != nil || len(pngs) == 0 {
		t.Fatalf("pdftoppm wrote no pages: %v", err)
	}
	sort.Strings(pngs) // page-1.png … page-9.png; more pages are zero-padded
	return pngs
}

// qrCodes returns what zbarimg reads in a page image, one code a line.
func qrCodes(t testing.TB, png string) []string {
	t.Helper()
	cmd := exec.Command("zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", png)
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 4 {
			return nil // no symbol found
		}
		t.Fatalf("zbarimg %s: %v", png, err)
	}
	// One code a line; base45 has spaces, so lines, not fields.
	return strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
}

// pdfText returns pdftotext's text in content order (-raw): the lines of
// one table cell come out together.
func pdfText(t testing.TB, path string) string {
	t.Helper()
	return string(run(t, "pdftotext", "-raw", "-enc", "UTF-8", path, "-"))
}

// attachmentsOf returns the embedded files, by name.
func attachmentsOf(t testing.TB, pdf []byte) map[string][]byte {
	t.Helper()
	list, err := api.ExtractAttachmentsRaw(bytes.NewReader(pdf), "", nil, model.NewDefaultConfiguration())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, a := range list {
		data, err := io.ReadAll(a.Reader)
		if err != nil {
			t.Fatal(err)
		}
		out[a.FileName] = data
	}
	return out
}

// squash drops all white space: wrapped lines come back whole.
func squash(s string) string {
	return strings.Join(strings.Fields(s), "")
}
