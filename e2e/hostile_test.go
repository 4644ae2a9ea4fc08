package e2e

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minedu-cla/cla/internal/testpdf"
	"github.com/minedu-cla/cla/internal/webtest"
)

// TestIssuerBombUploads is the attack on the real issuer binary: four
// worst-case PDFs uploaded at once to /verificar/archivo (a JPEG whose own
// header says 20000×20000 inside a 10×10 image, a 256 MiB Flate stream).
// Before the reader was bounded, one such upload raised the issuer by
// 400 MB to 1 GB. Each must get its answer (a clear refusal in Spanish,
// or "busy, retry" with Retry-After) within 5 s, and the issuer's peak
// RSS must rise by at most 256 MB.
func TestIssuerBombUploads(t *testing.T) {
	skipShort(t)
	iss := StartIssuer(t, t.TempDir(), "")
	pid := iss.cmd.Process.Pid
	bombs := testpdf.Bombs()
	names := []string{"jpeg-header-20000x20000", "flate-256MiB-content", "jpeg-header-20000x20000", "flate-256MiB-content"}
	browsers := make([]*webtest.Browser, len(names))
	forms := make([]map[string][]string, len(names))
	for i := range names {
		if bombs[names[i]] == nil {
			t.Fatalf("no bomb %q", names[i])
		}
		browsers[i] = webtest.NewBrowser(t, iss.URL)
		_, page, _ := browsers[i].Get("/verificar")
		forms[i] = webtest.CSRFForm(webtest.CSRF(t, page))
	}
	before := vmKiB(t, pid, "VmRSS")
	var wg sync.WaitGroup
	answers := make([]string, len(names))
	for i, name := range names {
		wg.Go(func() {
			start := time.Now()
			req := browsers[i].FilePost("/verificar/archivo", forms[i], "archivo", "constancia.pdf", bombs[name])
			resp, err := browsers[i].C.Do(req)
			took := time.Since(start)
			if err != nil {
				answers[i] = fmt.Sprintf("%s: %v", name, err)
				return
			}
			defer resp.Body.Close()
			body := make([]byte, 64<<10)
			n, _ := resp.Body.Read(body)
			page := string(body[:n])
			ok := resp.StatusCode == http.StatusUnprocessableEntity && strings.Contains(page, "demasiado grande o está dañada") ||
				resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != ""
			answers[i] = fmt.Sprintf("%s: %d in %v", name, resp.StatusCode, took.Round(time.Millisecond))
			if !ok || took > 5*time.Second {
				t.Errorf("%s: %d in %v: %s", name, resp.StatusCode, took, webtest.AlertText(page))
			}
		})
	}
	wg.Wait()
	peak := vmKiB(t, pid, "VmHWM")
	rise := (peak - before) >> 10
	t.Logf("issuer RSS %d MiB before, peak %d MiB (+%d MiB); %q", before>>10, peak>>10, rise, answers)
	if rise > 256 {
		t.Errorf("four bomb uploads raised the issuer's peak RSS by %d MiB, budget 256", rise)
	}
}

// vmKiB reads a Vm* line of /proc/pid/status, in KiB.
func vmKiB(t testing.TB, pid int, field string) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}
