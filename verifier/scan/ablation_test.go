package scan

import (
	"os"
	"testing"
)

// TestAblation reports the decode rate of the pipeline with each step left
// out, to show what each buys. It is an experiment, not a check: run it
// with CLA_SCAN_ABLATION=1.
func TestAblation(t *testing.T) {
	if os.Getenv("CLA_SCAN_ABLATION") == "" {
		t.Skip("set CLA_SCAN_ABLATION=1 to run")
	}
	cases := loadSet(t)
	names := []string{"all"}
	full, failed := decodeSet(cases, ours(nil))
	t.Logf("failed with all steps: %v", failed)
	ts := []*tally{full}
	for _, st := range steps {
		tl, _ := decodeSet(cases, ours(map[string]bool{st.name: true}))
		names, ts = append(names, "-"+st.name), append(ts, tl)
	}
	t.Logf("\n%s", table(names, ts))
}
