package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// format prints rows as an aligned text table or as Markdown.
type format struct {
	markdown bool
	trim     string // prefix dropped from package paths
}

var header = []string{"package", "benchmark", "ns/op", "baseline", "baseline ns/op", "ratio"}

func (f format) write(w io.Writer, rows []row, cpu string) error {
	cells := make([][]string, 0, len(rows))
	for _, r := range rows {
		ns, base, baseNs, ratio := duration(r.ns), "", "", ""
		if r.skip {
			ns = "skipped"
		}
		if r.base != "" {
			base, baseNs = r.base, duration(r.baseNs)
		}
		if q := r.ratio(); q > 0 {
			ratio = fmt.Sprintf("%.2f×", q)
		}
		cells = append(cells, []string{strings.TrimPrefix(r.pkg, f.trim), r.name, ns, base, baseNs, ratio})
	}
	if f.markdown {
		return writeMarkdown(w, cells)
	}
	if cpu != "" {
		fmt.Fprintf(w, "cpu: %s\n", cpu)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, c := range cells {
		fmt.Fprintln(tw, strings.Join(c, "\t"))
	}
	return tw.Flush()
}

func writeMarkdown(w io.Writer, cells [][]string) error {
	var b strings.Builder
	b.WriteString("| " + strings.Join(header, " | ") + " |\n")
	b.WriteString("|---|---|--:|---|--:|--:|\n")
	for _, c := range cells {
		for i := range c {
			c[i] = strings.ReplaceAll(c[i], "|", `\|`)
		}
		if c[1] != "" {
			c[1] = "`" + c[1] + "`"
		}
		if c[3] != "" {
			c[3] = "`" + c[3] + "`"
		}
		b.WriteString("| " + strings.Join(c, " | ") + " |\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// duration writes ns/op with three significant digits in the unit that
// suits it: 3.52 ns, 62.3 µs, 3.62 ms, 1.25 s.
func duration(ns float64) string {
	units := []struct {
		div  float64
		name string
	}{{1e9, "s"}, {1e6, "ms"}, {1e3, "µs"}, {1, "ns"}}
	for _, u := range units {
		if ns >= u.div || u.div == 1 {
			v := ns / u.div
			switch {
			case v >= 100:
				return fmt.Sprintf("%.0f %s", v, u.name)
			case v >= 10:
				return fmt.Sprintf("%.1f %s", v, u.name)
			}
			return fmt.Sprintf("%.2f %s", v, u.name)
		}
	}
	return ""
}
