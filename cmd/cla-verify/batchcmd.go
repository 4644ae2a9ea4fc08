package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/minedu-cla/cla/atomicfile"
	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/scan"
	"github.com/minedu-cla/cla/scan/pdfdoc"
	"github.com/minedu-cla/cla/scan/qrfile"
	"github.com/minedu-cla/cla/verifier/batch"
	"golang.org/x/term"
)

// exitSomeInvalid: the batch report was written and some file is not valid.
const exitSomeInvalid = 3

func (c *cli) batch(ctx context.Context, args []string) error {
	fs := c.flags("batch")
	csvPath := fs.String("csv", "cla-informe.csv", "CSV report to write")
	jsonPath := fs.String("report-json", "cla-informe.json", "JSON report to write")
	dirs, err := parse(fs, args)
	if err != nil || len(dirs) != 1 {
		return orUsage(err, i18n.T(c.cfg.lang, "verify.err.onefolder"))
	}
	files, err := batch.Files(dirs[0])
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("%s", i18n.T(c.cfg.lang, "batch.none", dirs[0]))
	}
	e, err := c.openEngine(ctx, false)
	if err != nil {
		return err
	}
	progress := func(done, total int) {}
	if f, ok := c.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		progress = func(done, total int) { c.progressBar(done, total) }
	}
	rep := batch.Run(ctx, e, dirs[0], files, progress)
	var csvBuf, jsonBuf strings.Builder
	if err := rep.WriteCSV(&csvBuf); err != nil {
		return err
	}
	if err := rep.WriteJSON(&jsonBuf); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(*csvPath, []byte(csvBuf.String()), 0o644); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(*jsonPath, []byte(jsonBuf.String()), 0o644); err != nil {
		return err
	}
	var counts []string
	for _, s := range slices.Sorted(mapKeys(rep.Counts)) {
		counts = append(counts, fmt.Sprintf("%d %s", rep.Counts[s], strings.ToLower(i18n.T(c.cfg.lang, "status."+s))))
	}
	fmt.Fprintln(c.stdout, i18n.T(c.cfg.lang, "batch.done", len(files), len(rep.Rows), strings.Join(counts, ", "), *csvPath, *jsonPath))
	if rep.Counts["valid"] != len(rep.Rows) {
		return exitStatus(exitSomeInvalid)
	}
	return nil
}

func mapKeys(m map[string]int) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// progressBar redraws one line on the terminal.
func (c *cli) progressBar(done, total int) {
	const width = 30
	fill := width * done / total
	fmt.Fprintf(c.stderr, "\r[%s%s] %s", strings.Repeat("=", fill), strings.Repeat(" ", width-fill),
		i18n.T(c.cfg.lang, "batch.progress", done, total))
	if done == total {
		fmt.Fprintln(c.stderr)
	}
}

// scan prints the text of every QR code in a file, one a line: a tool for
// other programs (compare zbarimg --raw).
func (c *cli) scan(ctx context.Context, args []string) error {
	fs := c.flags("scan")
	fs.Bool("raw", true, "print the texts only (the default and only format)")
	files, err := parse(fs, args)
	if err != nil || len(files) == 0 {
		return orUsage(err, i18n.T(c.cfg.lang, "verify.err.scanfiles"))
	}
	found := 0
	for _, f := range files {
		texts, err := scanFile(ctx, f)
		switch {
		case errors.Is(err, pdfdoc.ErrTooLarge), errors.Is(err, scan.ErrImageTooLarge):
			fmt.Fprintln(c.stderr, i18n.T(c.cfg.lang, "scan.toolarge", f))
			continue
		case errors.Is(err, pdfdoc.ErrNotPDF), errors.Is(err, scan.ErrUnsupported):
			fmt.Fprintln(c.stderr, i18n.T(c.cfg.lang, "scan.unreadable", f))
			continue
		case err != nil:
			return err
		}
		for _, t := range texts {
			fmt.Fprintln(c.stdout, t)
		}
		if len(texts) == 0 {
			fmt.Fprintln(c.stderr, i18n.T(c.cfg.lang, "scan.none", f))
		}
		found += len(texts)
	}
	if found == 0 {
		return exitStatus(exitNoCode)
	}
	return nil
}

// exitNoCode: scan found no QR code (zbarimg exits 4 too).
const exitNoCode = 4

// scanFile reads the QR texts of an image or of every image of a PDF.
func scanFile(ctx context.Context, path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return qrfile.Texts(ctx, data)
}
