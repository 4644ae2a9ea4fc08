// Package browsertest drives Debian's headless Chromium through chromedp
// for the issuer's browser tests and screenshots.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser returns a chromedp context on a fresh headless Chromium. It
// skips the test under -short (make check, the fast loop) and fails it when
// Chromium is missing: make deps installs it, and a browser test that skips
// itself could never fail in CI. The flags keep Chromium
// off the network (this machine refuses outside connections) and out of
// the user's profile.
func Browser(t *testing.T) context.Context {
	t.Helper()
	return BrowserWith(t)
}

// BrowserWith is Browser with more of Chromium's flags, such as a fake
// camera playing a file (--use-file-for-fake-video-capture).
func BrowserWith(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test: skipped under -short; make test runs it")
	}
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Fatal("no Chromium installed: make deps installs it (apt-get install chromium)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1100, 900),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "es-PE"), chromedp.Flag("accept-lang", "es-PE,es"),
	}
	opts = append(opts, extra...)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return ctx
}

// ShotDir is where screenshots go: $CLA_SHOTS (kept as CI artifacts) or a
// temporary folder.
func ShotDir(t *testing.T) string {
	if d := os.Getenv("CLA_SHOTS"); d != "" {
		os.MkdirAll(d, 0o755)
		return d
	}
	return t.TempDir()
}

// Shot saves a full-page screenshot as name.png in dir.
func Shot(dir, name string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		buf, err := chromedp.FullScreenshot(90)(ctx, t)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
	})
}

// Eval runs JavaScript for its effect.
func Eval(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[any](expr)(ctx, t)
		return err
	})
}

// Choose sets a select's value and tells the page, as a person picking an
// option does; it waits for the option (lists fill in asynchronously) and
// checks the choice held, choosing again if a late refill reset it.
func Choose(id, value string) chromedp.Action[chromedp.Void] {
	pick := `(function(){var s=document.getElementById("` + id + `");` +
		`if(!s.querySelector('option[value="` + value + `"]')) return false;` +
		`if(s.value!=="` + value + `"){s.value="` + value + `";s.dispatchEvent(new Event("change"));}` +
		`return true;})()`
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		stable := 0
		for stable < 3 { // the value must hold over three checks, 100 ms apart
			ok, err := chromedp.Evaluate[bool](pick)(ctx, t)
			if err != nil {
				return err
			}
			if ok {
				stable++
			} else {
				stable = 0
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
		}
		return nil
	})
}
