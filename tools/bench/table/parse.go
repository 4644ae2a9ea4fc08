package main

import (
	"bufio"
	"io"
	"slices"
	"strconv"
	"strings"
)

// result is one benchmark of one package, every run of it (-count).
type result struct {
	pkg   string
	name  string    // "BenchmarkX/sub", without the -GOMAXPROCS suffix
	procs string    // the suffix's number, "" when there was none
	nsOp  []float64 // one a run
	skip  bool      // --- SKIP and no figure
}

// median is the result's ns/op: the median of its runs, so that one run
// disturbed by a neighbour on a shared machine does not move it.
func (r *result) median() float64 {
	s := slices.Clone(r.nsOp)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// input is what parse read: the results in the order they first appeared,
// and the lines that report a failure.
type input struct {
	results  []*result
	failures []string
	cpu      string
}

// parse reads `go test -bench` output. Lines that are neither a result nor
// a header (package status lines, logs, build errors) are copied to
// progress as they come, so a long run shows where it is.
func parse(r io.Reader, progress io.Writer) (*input, error) {
	in := &input{}
	byKey := map[string]*result{}
	var pkg, pending string // pending: a name whose figures come on a later line
	raw := map[string][]string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	add := func(name string) *result {
		k := pkg + "\x00" + name
		res := byKey[k]
		if res == nil {
			res = &result{pkg: pkg, name: name}
			byKey[k] = res
			in.results = append(in.results, res)
		}
		return res
	}
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "pkg: "):
			pkg = strings.TrimSpace(line[len("pkg: "):])
			continue
		case strings.HasPrefix(line, "cpu: "):
			in.cpu = strings.TrimSpace(line[len("cpu: "):])
			continue
		case strings.HasPrefix(line, "goos: "), strings.HasPrefix(line, "goarch: "), line == "PASS",
			strings.HasPrefix(line, "?   \t"):
			continue
		case strings.HasPrefix(line, "Benchmark"):
			name, ns, ok := resultLine(line)
			switch {
			case ok:
				res := add(name)
				res.nsOp = append(res.nsOp, ns)
				raw[pkg] = append(raw[pkg], name)
				pending = ""
			case len(strings.Fields(line)) == 1:
				pending = strings.Fields(line)[0] // the benchmark printed something before its figures
			}
			continue
		case pending != "" && strings.Contains(line, " ns/op"):
			if _, ns, ok := resultLine(pending + " " + line); ok {
				res := add(pending)
				res.nsOp = append(res.nsOp, ns)
				raw[pkg] = append(raw[pkg], pending)
				pending = ""
				continue
			}
		case strings.HasPrefix(line, "--- SKIP: Benchmark"):
			// Go names a skipped benchmark without the -GOMAXPROCS suffix.
			add(strings.Fields(line)[2]).skip = true
		}
		if failure(line) {
			in.failures = append(in.failures, line)
		}
		if progress != nil {
			io.WriteString(progress, line+"\n")
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	stripProcs(in.results, raw)
	return in, nil
}

// failure reports whether a line says a package or benchmark failed.
func failure(line string) bool {
	return strings.HasPrefix(line, "FAIL") || strings.HasPrefix(line, "--- FAIL") ||
		strings.HasPrefix(line, "panic: ")
}

// resultLine reads "BenchmarkX-2  1000  1234 ns/op  [more metrics]".
func resultLine(line string) (name string, ns float64, ok bool) {
	f := strings.Fields(line)
	if len(f) < 4 {
		return "", 0, false
	}
	if _, err := strconv.ParseInt(f[1], 10, 64); err != nil {
		return "", 0, false
	}
	for i := 2; i+1 < len(f); i += 2 {
		if f[i+1] == "ns/op" {
			v, err := strconv.ParseFloat(f[i], 64)
			return f[0], v, err == nil
		}
	}
	return "", 0, false
}

// stripProcs removes the -GOMAXPROCS suffix Go adds to every name when
// GOMAXPROCS > 1. A name can end in a number of its own ("dataset-1000"),
// so the suffix is taken off only when every benchmark of the package
// ends in the same "-N": that is the suffix, not part of the names.
func stripProcs(results []*result, names map[string][]string) {
	procs := map[string]string{}
	for pkg, list := range names {
		common := ""
		for i, n := range list {
			suf := procsSuffix(n)
			if suf == "" || (i > 0 && suf != common) {
				common = ""
				break
			}
			common = suf
		}
		procs[pkg] = common
	}
	for _, r := range results {
		if p := procs[r.pkg]; p != "" && strings.HasSuffix(r.name, "-"+p) {
			r.name, r.procs = strings.TrimSuffix(r.name, "-"+p), p
		}
	}
}

func procsSuffix(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 || i == len(name)-1 {
		return ""
	}
	for _, c := range name[i+1:] {
		if c < '0' || c > '9' {
			return ""
		}
	}
	return name[i+1:]
}
