// Package batch verifies a folder of files — an admissions office's
// hundred applicants' PDFs — and writes one report as CSV and JSON.
package batch

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"io/fs"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/minedu-cla/cla/verifier"
)

// Extensions are the files a batch picks up, case-insensitively.
var Extensions = []string{".pdf", ".png", ".jpg", ".jpeg", ".txt", ".cose"}

// Row is one line of the report: one code found in one file.
type Row struct {
	File     string   `json:"file"`
	Status   string   `json:"status"`
	Reason   string   `json:"reason,omitempty"`
	Name     string   `json:"name,omitempty"`
	Document string   `json:"document,omitempty"`
	Code     string   `json:"code,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	// Page is the PDF page the code was read on (0: not a page).
	Page int `json:"page,omitempty"`
	// The trust data the row was judged with, and its age then (seconds,
	// by the signed issued_at of the keyset and of the list).
	KeysetSeq  uint64    `json:"keyset_seq,omitempty"`
	KeysetAgeS int64     `json:"keyset_age_s,omitempty"`
	StatusSeq  uint64    `json:"status_seq,omitempty"`
	StatusAgeS int64     `json:"status_age_s,omitempty"`
	JudgedAt   time.Time `json:"judged_at,omitzero"`
}

// Report is the outcome of a batch.
type Report struct {
	Rows []Row `json:"rows"`
	// Counts by status.
	Counts map[string]int `json:"counts"`
}

// Files lists the files of dir a batch verifies, sorted, recursively.
func Files(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && slices.Contains(Extensions, strings.ToLower(filepath.Ext(p))) {
			out = append(out, p)
		}
		return nil
	})
	slices.Sort(out)
	return out, err
}

// Run verifies files with e on all cores, calling progress after each
// file (from one goroutine at a time). Rows keep the order of files.
func Run(ctx context.Context, e *verifier.Engine, dir string, files []string, progress func(done, total int)) *Report {
	results := make([][]verifier.Result, len(files))
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range jobs {
				results[i] = e.VerifyFile(ctx, files[i])
				mu.Lock()
				done++
				if progress != nil {
					progress(done, len(files))
				}
				mu.Unlock()
			}
		})
	}
	for i := range files {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	rep := &Report{Counts: map[string]int{}}
	for i, rs := range results {
		rel, err := filepath.Rel(dir, files[i])
		if err != nil {
			rel = files[i]
		}
		for _, r := range rs {
			row := Row{File: rel, Status: string(r.Status), Reason: r.Reason, Warnings: r.Warnings, Page: r.Page,
				KeysetSeq: r.Trust.KeysetSeq, KeysetAgeS: int64(r.Trust.KeysetAge.Seconds()),
				StatusSeq: r.Trust.StatusSeq, StatusAgeS: int64(r.Trust.Age.Seconds()), JudgedAt: r.Trust.JudgedAt}
			if c := r.Constancia; c != nil {
				row.Name, row.Document, row.Code = c.Student.FullName, c.Student.DocType+" "+c.Student.DocNumber, c.Code
			}
			rep.Rows = append(rep.Rows, row)
			rep.Counts[row.Status]++
		}
	}
	return rep
}

// WriteCSV writes the report as CSV with a header row.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"file", "page", "status", "reason", "name", "document", "code", "warnings",
		"keyset_seq", "keyset_age_s", "status_seq", "status_age_s", "judged_at"})
	num := func(n uint64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatUint(n, 10)
	}
	for _, row := range r.Rows {
		judged := ""
		if !row.JudgedAt.IsZero() {
			judged = row.JudgedAt.UTC().Format(time.RFC3339)
		}
		cw.Write([]string{csvSafe(row.File), num(uint64(row.Page)), row.Status, row.Reason, csvSafe(row.Name), row.Document, row.Code,
			strings.Join(row.Warnings, " "), num(row.KeysetSeq), num(uint64(row.KeysetAgeS)), num(row.StatusSeq),
			num(uint64(row.StatusAgeS)), judged})
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe defuses spreadsheet formulas: a file named "=HYPERLINK(…)" must
// not run when the report is opened in a spreadsheet.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
