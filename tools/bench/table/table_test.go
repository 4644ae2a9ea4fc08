package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// sample is `go test -bench` output in the shapes this module produces:
// every naming convention of a baseline, -count 3, a benchmark that
// prints before its figures, custom metrics, logs.
const sample = `goos: linux
goarch: amd64
pkg: github.com/minedu-cla/cla/crypto/credential
cpu: AMD EPYC
BenchmarkOpen/baseline=ed25519.Verify-2         	   20000	     60000 ns/op	       0 B/op	       0 allocs/op
BenchmarkOpen/baseline=ed25519.Verify-2         	   20000	     62000 ns/op	       0 B/op	       0 allocs/op
BenchmarkOpen/baseline=ed25519.Verify-2         	   20000	     99000 ns/op	       0 B/op	       0 allocs/op
BenchmarkOpen/Open-2                            	   15000	     76000 ns/op	    4096 B/op	      40 allocs/op
BenchmarkOpen/Open-2                            	   15000	     77000 ns/op	    4096 B/op	      40 allocs/op
BenchmarkOpen/Open-2                            	   15000	     75000 ns/op	    4096 B/op	      40 allocs/op
PASS
ok  	github.com/minedu-cla/cla/crypto/credential	5.123s
?   	github.com/minedu-cla/cla/cmd/cla-demo	[no test files]
goos: linux
goarch: amd64
pkg: github.com/minedu-cla/cla/issuer/mailq
cpu: AMD EPYC
BenchmarkEnqueue/baseline=writefile+fsync-2     	    1000	   1000000 ns/op	 150.00 MB/s
BenchmarkEnqueue/render-2                       	    3000	    400000 ns/op
BenchmarkEnqueue/enqueue-2                      	     500	   2500000 ns/op
BenchmarkEnqueue/enqueue-parallel-2             	    1000	   1500000 ns/op
BenchmarkEnqueue/baseline-parallel-2            	    2000	    500000 ns/op
PASS
ok  	github.com/minedu-cla/cla/issuer/mailq	9.1s
goos: linux
goarch: amd64
pkg: github.com/minedu-cla/cla/issuer/audit
cpu: AMD EPYC
BenchmarkAppend-2                	    2000	     55000 ns/op
BenchmarkAppendBaseline-2        	    2000	     50000 ns/op
BenchmarkAppend500-2             	     100	   3000000 ns/op	    166666 entries/s
BenchmarkAppend500Baseline-2     	     100	   1000000 ns/op
BenchmarkAppend500StoreBatch-2   	     100	   2900000 ns/op
BenchmarkCheck-2
some log line the benchmark printed
    1000	    800000 ns/op
BenchmarkCheckBaseline-2         	    1000	    400000 ns/op
--- BENCH: BenchmarkCheckBaseline-2
    bench_test.go:170: 10000 records
PASS
ok  	github.com/minedu-cla/cla/issuer/audit	20.2s
goos: linux
goarch: amd64
pkg: github.com/minedu-cla/cla/issuer/pdf
cpu: AMD EPYC
BenchmarkRender-2                	     300	   4300000 ns/op	 4.300 cpu-ms/op	 54000 pdf-bytes
BenchmarkBaselineEmptyPage-2     	   10000	    100000 ns/op	 0.1000 cpu-ms/op
BenchmarkBaselineQRPage-2        	     500	   2400000 ns/op	 2.400 cpu-ms/op
BenchmarkQREncoder/internal-qr-2 	    1000	   1000000 ns/op
BenchmarkQREncoder/gozxing-2     	     500	   2000000 ns/op
PASS
ok  	github.com/minedu-cla/cla/issuer/pdf	8.0s
goos: linux
goarch: amd64
pkg: github.com/minedu-cla/cla/issuer/staff/totp
cpu: AMD EPYC
BenchmarkVerify-2       	  500000	      2400 ns/op
BenchmarkBaselineHMAC-2 	 2000000	       700 ns/op
PASS
ok  	github.com/minedu-cla/cla/internal/totp	3.0s
goos: linux
goarch: amd64
pkg: github.com/minedu-cla/cla/scan
cpu: AMD EPYC
BenchmarkFrame720p/gozxing-baseline-2 	      50	  30000000 ns/op
BenchmarkFrame720p/scan.Image-2       	     200	   7000000 ns/op
BenchmarkFrame720p/scan.Gray-2        	     200	   6000000 ns/op
BenchmarkSet/scan.File-2              	       1	 900000000 ns/op
PASS
ok  	github.com/minedu-cla/cla/internal/scan	30.0s
goos: linux
goarch: amd64
pkg: github.com/minedu-cla/cla/issuer/store
cpu: AMD EPYC
BenchmarkCompact/baseline-read-all-2 	      20	  50000000 ns/op
BenchmarkCompact/compact-2           	      10	 100000000 ns/op
PASS
ok  	github.com/minedu-cla/cla/issuer/store	4.0s
`

type want struct {
	pkg, name, base string
	ns, baseNs      float64
}

func TestPairs(t *testing.T) {
	in, err := parse(strings.NewReader(sample), nil)
	if err != nil {
		t.Fatal(err)
	}
	if in.cpu != "AMD EPYC" || len(in.failures) != 0 {
		t.Fatalf("cpu %q, failures %q", in.cpu, in.failures)
	}
	const c, m, a, p = "github.com/minedu-cla/cla/crypto/credential", "github.com/minedu-cla/cla/issuer/mailq",
		"github.com/minedu-cla/cla/issuer/audit", "github.com/minedu-cla/cla/issuer/pdf"
	const o, s, st = "github.com/minedu-cla/cla/issuer/staff/totp", "github.com/minedu-cla/cla/scan",
		"github.com/minedu-cla/cla/issuer/store"
	wants := []want{
		// Rule 1, a sibling baseline; ns/op is the median of three runs.
		{c, "BenchmarkOpen/Open", "baseline=ed25519.Verify", 76000, 62000},
		// Rule 1 with two baselines: by qualifier, else the first.
		{m, "BenchmarkEnqueue/render", "baseline=writefile+fsync", 400000, 1000000},
		{m, "BenchmarkEnqueue/enqueue", "baseline=writefile+fsync", 2500000, 1000000},
		{m, "BenchmarkEnqueue/enqueue-parallel", "baseline-parallel", 1500000, 500000},
		// Rule 2: BenchmarkXBaseline, the longest name first; none for StoreBatch.
		{a, "BenchmarkAppend", "BenchmarkAppendBaseline", 55000, 50000},
		{a, "BenchmarkAppend500", "BenchmarkAppend500Baseline", 3000000, 1000000},
		{a, "BenchmarkAppend500StoreBatch", "", 2900000, 0},
		{a, "BenchmarkCheck", "BenchmarkCheckBaseline", 800000, 400000}, // figures on a later line
		// Rule 3: the package's BenchmarkBaselineY, a row for each; sub-benchmarks take none.
		{p, "BenchmarkRender", "BenchmarkBaselineEmptyPage", 4300000, 100000},
		{p, "BenchmarkRender", "BenchmarkBaselineQRPage", 4300000, 2400000},
		{p, "BenchmarkQREncoder/internal-qr", "", 1000000, 0},
		{p, "BenchmarkQREncoder/gozxing", "", 2000000, 0},
		{o, "BenchmarkVerify", "BenchmarkBaselineHMAC", 2400, 700},
		// "…-baseline" and "baseline-…" sub-benchmarks.
		{s, "BenchmarkFrame720p/scan.Image", "gozxing-baseline", 7000000, 30000000},
		{s, "BenchmarkFrame720p/scan.Gray", "gozxing-baseline", 6000000, 30000000},
		{s, "BenchmarkSet/scan.File", "", 900000000, 0},
		{st, "BenchmarkCompact/compact", "baseline-read-all", 100000000, 50000000},
	}
	rows := pairs(in.results)
	if len(rows) != len(wants) {
		for _, r := range rows {
			t.Logf("%s %s | %s", r.pkg, r.name, r.base)
		}
		t.Fatalf("%d rows, want %d", len(rows), len(wants))
	}
	for i, w := range wants {
		r := rows[i]
		if r.pkg != w.pkg || r.name != w.name || r.base != w.base || r.ns != w.ns || r.baseNs != w.baseNs {
			t.Errorf("row %d = %s %s %v | %s %v, want %s %s %v | %s %v", i, r.pkg, r.name, r.ns, r.base, r.baseNs,
				w.pkg, w.name, w.ns, w.base, w.baseNs)
		}
	}
	if got := rows[0].ratio(); fmt.Sprintf("%.3f", got) != "1.226" {
		t.Errorf("ratio %v", got)
	}
	if rows[6].ratio() != 0 {
		t.Error("an unpaired benchmark has a ratio")
	}
}

func TestUnusedBaselineKeepsItsRow(t *testing.T) {
	out := "pkg: p\nBenchmarkFooBaseline-2  10  100 ns/op\nBenchmarkBar-2  10  200 ns/op\n"
	in, err := parse(strings.NewReader(out), nil)
	if err != nil {
		t.Fatal(err)
	}
	rows := pairs(in.results)
	if len(rows) != 2 || rows[0].name != "BenchmarkFooBaseline" || rows[0].base != "" || rows[1].base != "" {
		t.Fatalf("rows %+v", rows)
	}
}

// TestProcsSuffix: the -N suffix is GOMAXPROCS only when every benchmark
// of the package has the same one; with GOMAXPROCS=1 Go adds none, and a
// name's own number stays.
func TestProcsSuffix(t *testing.T) {
	for _, c := range []struct {
		name, out string
		want      []string
	}{
		{"procs 2", "pkg: p\nBenchmarkG/dataset-10000-2  1  5 ns/op\nBenchmarkG/structs-10000-2  1  4 ns/op\n",
			[]string{"BenchmarkG/dataset-10000", "BenchmarkG/structs-10000"}},
		{"procs 1", "pkg: p\nBenchmarkG/dataset-10000  1  5 ns/op\nBenchmarkG/structs-10000  1  4 ns/op\nBenchmarkL/person  1  3 ns/op\n",
			[]string{"BenchmarkG/dataset-10000", "BenchmarkG/structs-10000", "BenchmarkL/person"}},
		{"mixed numbers", "pkg: p\nBenchmarkG/n-10  1  5 ns/op\nBenchmarkG/n-20  1  4 ns/op\n",
			[]string{"BenchmarkG/n-10", "BenchmarkG/n-20"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in, err := parse(strings.NewReader(c.out), nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range in.results {
				got = append(got, r.name)
			}
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Fatalf("names %q, want %q", got, c.want)
			}
		})
	}
}

func TestFailuresAndProgress(t *testing.T) {
	out := sample + "--- FAIL: BenchmarkBroken-2\n    x_test.go:9: boom\nFAIL\nFAIL\tgithub.com/minedu-cla/cla/x\t0.1s\n" +
		"# github.com/minedu-cla/cla/y\ny/y.go:3:1: syntax error\nFAIL\tgithub.com/minedu-cla/cla/y [build failed]\n"
	var progress bytes.Buffer
	in, err := parse(strings.NewReader(out), &progress)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.failures) != 4 {
		t.Errorf("failures %q", in.failures)
	}
	p := progress.String()
	for _, want := range []string{"ok  \tgithub.com/minedu-cla/cla/issuer/pdf", "--- BENCH: BenchmarkCheckBaseline-2",
		"some log line", "y/y.go:3:1: syntax error", "--- FAIL: BenchmarkBroken-2"} {
		if !strings.Contains(p, want) {
			t.Errorf("progress lacks %q", want)
		}
	}
	for _, not := range []string{"ns/op", "goos:", "pkg: ", "[no test files]"} {
		if strings.Contains(p, not) {
			t.Errorf("progress has %q", not)
		}
	}
}

func TestFormat(t *testing.T) {
	in, err := parse(strings.NewReader(sample), nil)
	if err != nil {
		t.Fatal(err)
	}
	rows := pairs(in.results)
	var text, md bytes.Buffer
	f := format{trim: "github.com/minedu-cla/cla/"}
	if err := f.write(&text, rows, in.cpu); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(text.String()), "\n")
	if len(lines) != 2+len(rows) || !strings.HasPrefix(lines[0], "cpu: AMD EPYC") {
		t.Fatalf("text table:\n%s", text.String())
	}
	if !inOrder(lines[2], "crypto/credential", "BenchmarkOpen/Open", "76.0 µs", "baseline=ed25519.Verify", "62.0 µs", "1.23×") {
		t.Errorf("first row %q", lines[2])
	}
	f.markdown = true
	if err := f.write(&md, rows, in.cpu); err != nil {
		t.Fatal(err)
	}
	mdl := strings.Split(strings.TrimSpace(md.String()), "\n")
	if len(mdl) != 2+len(rows) || mdl[0] != "| package | benchmark | ns/op | baseline | baseline ns/op | ratio |" {
		t.Fatalf("markdown:\n%s", md.String())
	}
	if mdl[2] != "| crypto/credential | `BenchmarkOpen/Open` | 76.0 µs | `baseline=ed25519.Verify` | 62.0 µs | 1.23× |" {
		t.Errorf("markdown row %q", mdl[2])
	}
	if got := strings.Count(mdl[8], "|"); got != 7 {
		t.Errorf("unpaired row %q has %d bars", mdl[8], got)
	}
}

// inOrder reports whether s holds every field, in order.
func inOrder(s string, fields ...string) bool {
	for _, f := range fields {
		i := strings.Index(s, f)
		if i < 0 {
			return false
		}
		s = s[i+len(f):]
	}
	return true
}

func TestDuration(t *testing.T) {
	for ns, want := range map[float64]string{0.731: "0.73 ns", 3.52: "3.52 ns", 999: "999 ns", 62345: "62.3 µs",
		3620000: "3.62 ms", 1.25e9: "1.25 s", 123e9: "123 s"} {
		if got := duration(ns); got != want {
			t.Errorf("duration(%v) = %q, want %q", ns, got, want)
		}
	}
}
