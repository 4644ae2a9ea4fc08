package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// startup times each program from exec to its window being mapped and
// viewable on the X display (xwininfo), n runs each, alternating so that
// both see the same machine load. The app runs with the title of its
// Spanish window; both are killed once their window shows.
func startup(appBin, helloBin string, n int) error {
	if os.Getenv("DISPLAY") == "" {
		return fmt.Errorf("no DISPLAY: run under Xvfb (make app-bench)")
	}
	progs := []struct {
		name, bin, title string
		args             []string
	}{
		{"hello", helloBin, "Hello", nil},
		{"hello-large", helloBin, "Hello", []string{"-large"}},
		{"app", appBin, "Verificador de la Constancia de Logros de Aprendizaje", nil},
	}
	times := map[string][]time.Duration{}
	for i := range n + 1 {
		for _, p := range progs {
			d, err := timeToWindow(p.bin, p.title, p.args...)
			if err != nil {
				return fmt.Errorf("%s: %w", p.name, err)
			}
			if i > 0 { // the first round warms the page cache
				times[p.name] = append(times[p.name], d)
			}
		}
	}
	med := func(ds []time.Duration) time.Duration {
		s := slices.Clone(ds)
		slices.Sort(s)
		return s[len(s)/2]
	}
	for _, p := range progs {
		fmt.Printf("%-11s median %4d ms  min %4d ms  max %4d ms  (%d runs)\n", p.name,
			med(times[p.name]).Milliseconds(), slices.Min(times[p.name]).Milliseconds(), slices.Max(times[p.name]).Milliseconds(), n)
	}
	fmt.Printf("ratio app/hello (medians): %.2f× (goal ≤ 1.5×); app/hello-large: %.2f×\n",
		float64(med(times["app"]))/float64(med(times["hello"])), float64(med(times["app"]))/float64(med(times["hello-large"])))
	return nil
}

func timeToWindow(bin, title string, args ...string) (time.Duration, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "CLA_LANG=es")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	var last []byte
	for time.Since(start) < 30*time.Second {
		q := exec.Command("xwininfo", "-name", title)
		q.Env = append(os.Environ(), "LANG=C", "LC_ALL=C") // a locale it lacks makes it miss non-ASCII-safe names
		out, err := q.CombinedOutput()
		last = out
		if err == nil && strings.Contains(string(out), "IsViewable") {
			return time.Since(start), nil
		}
		time.Sleep(20 * time.Millisecond) // xwininfo is a process and an X connection: not too often
	}
	return 0, fmt.Errorf("no window %q after 30 s: %s\n%s", title, last, stderr.Bytes())
}
