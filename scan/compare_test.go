package scan

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minedu-cla/cla/internal/degrade"
)

// TestVersusZbarimg decodes the degraded set (set_test.go) with this package and with
// zbarimg (Debian zbar-tools) and fails if this package reads fewer
// pictures exactly right overall. Plain gozxing (bench_test.go's baseline)
// is shown beside them. Rates only: timings are in bench_test.go.
func TestVersusZbarimg(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes the degraded set twice")
	}
	zbar, err := exec.LookPath("zbarimg")
	if err != nil {
		t.Skip("zbarimg not installed (Debian zbar-tools)")
	}
	cases := loadSet(t)
	dir := t.TempDir()
	for _, c := range cases {
		if err := os.WriteFile(filepath.Join(dir, c.Name), c.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mine, failed := decodeSet(cases, ours(tuning{}))
	theirs, zfailed := decodeSet(cases, func(c degrade.Case) []string {
		return zbarimg(zbar, filepath.Join(dir, c.Name))
	})
	plain, _ := decodeSet(cases, func(c degrade.Case) []string {
		img, err := decode(c.Data)
		if err != nil {
			return nil
		}
		text, err := baseline(img)
		if err != nil {
			return nil
		}
		return []string{text}
	})
	t.Logf("scan failed: %v", failed)
	t.Logf("zbarimg failed: %v", zfailed)
	t.Logf("decode rate, exact texts:\n%s", table([]string{"scan", "zbarimg", "gozxing"}, []*tally{mine, theirs, plain}))
	ok, total := mine.sum()
	zok, _ := theirs.sum()
	if ok < zok {
		t.Errorf("scan read %d of %d pictures, zbarimg %d", ok, total, zok)
	}
}

// zbarimg runs zbarimg --raw -q on path and returns the texts it printed.
// QR texts of CLA codes hold no newline (base45 alphabet).
func zbarimg(bin, path string) []string {
	out, _ := exec.Command(bin, "--raw", "-q", path).Output() // exit 4: nothing found
	var texts []string
	for _, l := range strings.Split(string(bytes.TrimRight(out, "\n")), "\n") {
		if l != "" && !contains(texts, l) {
			texts = append(texts, l)
		}
	}
	return texts
}
