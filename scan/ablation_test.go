package scan

import (
	"os"
	"testing"
)

// TestAblation reports the decode rate with each part of the pipeline left
// out, to show what each buys. It is an experiment, not a check, and takes
// minutes: run it with CLA_SCAN_ABLATION=1, or =-name for one variant
// next to "all" (and CLA_SCAN_SEED=N for another set).
func TestAblation(t *testing.T) {
	if os.Getenv("CLA_SCAN_ABLATION") == "" {
		t.Skip("set CLA_SCAN_ABLATION=1 to run")
	}
	cases := loadSet(t)
	variants := []struct {
		name string
		tu   tuning
	}{
		{"all", tuning{}},
		{"gozxing", tuning{noTriples: true, noGrey: true, noHarder: true, noPairs: true,
			skip: map[string]bool{"inverted": true, "stretched": true, "doubled": true, "halved": true, "zoomed": true}}},
		{"-triples", tuning{noTriples: true}},
		{"-grey", tuning{noGrey: true}},
		{"-sharpen", tuning{noSharpen: true}},
		{"-harder", tuning{noHarder: true}},
		{"-pairs", tuning{noPairs: true}},
		{"-far", tuning{noFar: true}},
		{"-rerun", tuning{noRerun: true}},
	}
	if only := os.Getenv("CLA_SCAN_ABLATION"); only != "1" {
		for _, v := range variants {
			if v.name == only {
				variants = append(variants[:1:1], v)
				break
			}
		}
	}
	for _, st := range steps {
		variants = append(variants, struct {
			name string
			tu   tuning
		}{"-" + st.name, tuning{skip: map[string]bool{st.name: true}}})
	}
	var names []string
	var ts []*tally
	for _, v := range variants {
		tl, failed := decodeSet(cases, ours(v.tu))
		t.Logf("%s failed: %v", v.name, failed)
		names, ts = append(names, v.name), append(ts, tl)
	}
	t.Logf("\n%s", table(names, ts))
}
