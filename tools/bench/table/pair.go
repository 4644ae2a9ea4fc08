package main

import (
	"cmp"
	"slices"
	"strings"
)

// row is one line of the table: a benchmark and, when it has one, its
// baseline.
type row struct {
	pkg, name string
	ns        float64
	skip      bool
	base      string // the baseline's name as shown: a sibling's last segment, else the whole name
	baseNs    float64
}

// ratio is ns/op over the baseline's, 0 without a baseline.
func (r row) ratio() float64 {
	if r.base == "" || r.baseNs == 0 || r.skip {
		return 0
	}
	return r.ns / r.baseNs
}

// isSubBaseline reports whether a sub-benchmark's own name marks it as
// its group's baseline: "baseline", "baseline=…", "baseline-…" or "…-baseline".
func isSubBaseline(seg string) bool {
	s := strings.ToLower(seg)
	return s == "baseline" || strings.HasPrefix(s, "baseline=") || strings.HasPrefix(s, "baseline-") ||
		strings.HasSuffix(s, "-baseline")
}

// qualifier is what a sub-benchmark baseline's name adds to "baseline":
// "parallel" for "baseline-parallel", "gozxing" for "gozxing-baseline".
func qualifier(seg string) string {
	s := strings.ToLower(seg)
	for _, p := range []string{"baseline=", "baseline-"} {
		if strings.HasPrefix(s, p) {
			return s[len(p):]
		}
	}
	return strings.TrimSuffix(strings.TrimSuffix(s, "baseline"), "-")
}

// isTopBaseline reports whether a top-level benchmark is a baseline by its
// name: BenchmarkXBaseline or BenchmarkBaselineX.
func isTopBaseline(top string) bool {
	return (strings.HasSuffix(top, "Baseline") && top != "BenchmarkBaseline") ||
		(strings.HasPrefix(top, "BenchmarkBaseline") && top != "BenchmarkBaseline")
}

func isBaseline(name string) bool {
	segs := strings.Split(name, "/")
	if len(segs) > 1 && isSubBaseline(segs[len(segs)-1]) {
		return true
	}
	return isTopBaseline(segs[0])
}

// pairs builds the table's rows, in the order the benchmarks ran, by the
// conventions the package comment states. Baselines get no row of their
// own unless no benchmark pairs with them.
func pairs(results []*result) []row {
	type key struct{ pkg, name, procs string }
	index := map[key]*result{}
	for _, r := range results {
		index[key{r.pkg, r.name, r.procs}] = r
	}
	used := map[*result]bool{}
	var rows []row
	for _, r := range results {
		if isBaseline(r.name) {
			continue
		}
		find := func(name string) *result {
			if b := index[key{r.pkg, name, r.procs}]; b != nil && !b.skip && len(b.nsOp) > 0 {
				return b
			}
			return nil
		}
		var bases []*result
		var shown []string
		if b := groupBaseline(r, results); b != nil {
			bases, shown = []*result{b}, []string{b.name[strings.LastIndexByte(b.name, '/')+1:]}
		} else if b := namedBaseline(r.name, find); b != nil {
			bases, shown = []*result{b}, []string{b.name}
		} else if !strings.Contains(r.name, "/") {
			for _, b := range packageBaselines(r, results, find) {
				bases, shown = append(bases, b), append(shown, b.name)
			}
		}
		if len(bases) == 0 {
			rows = append(rows, newRow(r))
			continue
		}
		for i, b := range bases {
			used[b] = true
			w := newRow(r)
			w.base, w.baseNs = shown[i], b.median()
			rows = append(rows, w)
		}
	}
	// Baselines nobody pairs with are listed too: nothing measured is dropped.
	for _, r := range results {
		if isBaseline(r.name) && !used[r] {
			rows = append(rows, newRow(r))
		}
	}
	// Keep the run's order: each row where its benchmark first appeared.
	pos := map[[2]string]int{}
	for i, r := range results {
		pos[[2]string{r.pkg, r.name}] = i
	}
	slices.SortStableFunc(rows, func(a, b row) int {
		return cmp.Compare(pos[[2]string{a.pkg, a.name}], pos[[2]string{b.pkg, b.name}])
	})
	return rows
}

func newRow(r *result) row {
	w := row{pkg: r.pkg, name: r.name, skip: r.skip || len(r.nsOp) == 0}
	if !w.skip {
		w.ns = r.median()
	}
	return w
}

// groupBaseline finds the baseline among a sub-benchmark's siblings. With
// several, the one whose qualifier ends the benchmark's own name wins
// ("enqueue-parallel" takes "baseline-parallel"), else the first.
func groupBaseline(r *result, results []*result) *result {
	i := strings.LastIndexByte(r.name, '/')
	if i < 0 {
		return nil
	}
	parent, own := r.name[:i+1], strings.ToLower(r.name[i+1:])
	var first, best *result
	for _, s := range results {
		if s.pkg != r.pkg || s.procs != r.procs || s.skip || len(s.nsOp) == 0 ||
			!strings.HasPrefix(s.name, parent) || strings.Contains(s.name[len(parent):], "/") {
			continue
		}
		seg := s.name[len(parent):]
		if !isSubBaseline(seg) {
			continue
		}
		if first == nil {
			first = s
		}
		if q := qualifier(seg); best == nil && q != "" && strings.HasSuffix(own, q) {
			best = s
		}
	}
	if best != nil {
		return best
	}
	return first
}

// namedBaseline finds BenchmarkXBaseline or BenchmarkBaselineX for
// BenchmarkX, and for BenchmarkX/sub the same sub-benchmark of either, else
// either itself.
func namedBaseline(name string, find func(string) *result) *result {
	top, rest, _ := strings.Cut(name, "/")
	if rest != "" {
		rest = "/" + rest
	}
	tops := []string{top + "Baseline", "BenchmarkBaseline" + strings.TrimPrefix(top, "Benchmark")}
	for _, t := range tops {
		if rest != "" {
			if b := find(t + rest); b != nil {
				return b
			}
		}
		if b := find(t); b != nil {
			return b
		}
	}
	return nil
}

// packageBaselines are a package's BenchmarkBaselineY that are not
// BenchmarkY's own: baselines of every top-level benchmark of the package
// that has none of its own (issuer/pdf's empty and QR-only pages for
// BenchmarkRender).
func packageBaselines(r *result, results []*result, find func(string) *result) []*result {
	var out []*result
	for _, b := range results {
		if b.pkg != r.pkg || b.procs != r.procs || strings.Contains(b.name, "/") ||
			!strings.HasPrefix(b.name, "BenchmarkBaseline") || b.name == "BenchmarkBaseline" {
			continue
		}
		if find("Benchmark"+strings.TrimPrefix(b.name, "BenchmarkBaseline")) != nil {
			continue // BenchmarkY's own baseline
		}
		if b := find(b.name); b != nil {
			out = append(out, b)
		}
	}
	return out
}
