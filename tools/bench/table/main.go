// Command table reads `go test -bench` output on standard input and prints
// one table: package, benchmark, ns/op, its baseline, the baseline's ns/op
// and the ratio of the two. `make bench` pipes every benchmark of the
// module through it (docs/PERFORMANCE.md).
//
// The house rule is that a benchmark is compared with a baseline measured
// in the same run (the machines are shared, absolute figures wander). A
// benchmark finds its baseline by name, the first rule that applies:
//
//  1. Among its siblings: a sub-benchmark named "baseline", "baseline=…",
//     "baseline-…" or "…-baseline" is the baseline of every other
//     sub-benchmark of the same parent (BenchmarkOpen/Open takes
//     BenchmarkOpen/baseline=ed25519.Verify). With several in one group,
//     a sub-benchmark takes the one whose qualifier — the name beside
//     "baseline" — ends its own name (enqueue-parallel takes
//     baseline-parallel), else the group's first.
//  2. By its own name: BenchmarkXBaseline or BenchmarkBaselineX is the
//     baseline of BenchmarkX (BenchmarkAppend500Baseline of
//     BenchmarkAppend500); for BenchmarkX/sub, the same sub-benchmark of
//     that baseline if there is one, else the baseline itself.
//  3. In its package: a BenchmarkBaselineY with no BenchmarkY is a baseline
//     of every top-level benchmark of the package that has none by rules 1
//     and 2 (issuer/pdf's BenchmarkBaselineEmptyPage and
//     BenchmarkBaselineQRPage for BenchmarkRender); a benchmark with
//     several such baselines gets a row for each.
//
// Names are compared case-sensitively except the sub-benchmark marker
// "baseline". Baselines appear in the baseline column; one that no
// benchmark pairs with gets a row of its own, as does every benchmark with
// no baseline (no ratio). With -count, ns/op is the median of the runs.
// The -GOMAXPROCS suffix is dropped when every benchmark of a package
// carries the same one; only benchmarks with the same suffix pair.
//
// Lines that are not results (package status, logs, build errors) are
// copied to standard error as they arrive. The exit status is 1 if the
// input reports a failure (FAIL, --- FAIL, panic), after the table.
//
//	go test -run '^$' -bench . ./... 2>&1 | go run ./tools/bench/table [-md]
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	md := flag.Bool("md", false, "print a Markdown table (for docs/PERFORMANCE.md)")
	module := flag.String("trim", "github.com/minedu-cla/cla/", "prefix to drop from package paths")
	flag.Parse()
	in, err := parse(os.Stdin, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "table:", err)
		os.Exit(1)
	}
	rows := pairs(in.results)
	opts := format{markdown: *md, trim: *module}
	if err := opts.write(os.Stdout, rows, in.cpu); err != nil {
		fmt.Fprintln(os.Stderr, "table:", err)
		os.Exit(1)
	}
	if len(in.failures) > 0 {
		fmt.Fprintf(os.Stderr, "table: the run reported %d failure line(s), first: %s\n", len(in.failures), in.failures[0])
		os.Exit(1)
	}
	if len(in.results) == 0 {
		fmt.Fprintln(os.Stderr, "table: no benchmark results in the input")
		os.Exit(1)
	}
}
