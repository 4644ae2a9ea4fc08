package ubigeo

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"unicode/utf8"
)

// The standard file names, as published.
const (
	DepartmentsFile = "ubigeo_departamento.csv"
	ProvincesFile   = "ubigeo_provincia.csv"
	DistrictsFile   = "ubigeo_distrito.csv"
)

// missing is how the files mark an absent value.
const missing = "NA"

// ErrMalformed is what every load error wraps: the file is not a catalogue
// this package can read. A *ParseError says where.
var ErrMalformed = errors.New("malformed ubigeo file")

// ParseError locates a problem in a catalogue file.
type ParseError struct {
	File string
	Line int // 0 when the problem is the whole file
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("ubigeo: %s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("ubigeo: %s:%d: %s", e.File, e.Line, e.Msg)
}

// Unwrap lets errors.Is(err, ErrMalformed) match.
func (e *ParseError) Unwrap() error { return ErrMalformed }

// LoadDir loads the three standard files from a folder.
func LoadDir(dir string) (*Catalogue, error) { return LoadFS(os.DirFS(dir)) }

// LoadFS loads the three standard files from the root of fsys.
func LoadFS(fsys fs.FS) (*Catalogue, error) {
	var files [3]io.Reader
	for i, name := range []string{DepartmentsFile, ProvincesFile, DistrictsFile} {
		b, err := readCapped(fsys, name)
		if err != nil {
			return nil, err
		}
		files[i] = bytes.NewReader(b)
	}
	return Read(files[0], files[1], files[2])
}

func readCapped(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("ubigeo: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("ubigeo: %s: %w", name, err)
	}
	if len(b) > MaxFileBytes {
		return nil, &ParseError{File: name, Msg: "file too large"}
	}
	return b, nil
}

// table describes one of the three files.
type table struct {
	file    string
	nameCol string
	level   Level
}

var tables = [3]table{
	{DepartmentsFile, "departamento", Department},
	{ProvincesFile, "provincia", Province},
	{DistrictsFile, "distrito", District},
}

// Read loads a catalogue from the three CSV files: UTF-8, comma separated,
// a header row naming at least the columns "reniec" and "departamento",
// "provincia" or "distrito" ("inei" is kept when present). Rows whose RENIEC
// code is NA are skipped with a Note; anything else out of place is an
// error wrapping ErrMalformed.
func Read(departments, provinces, districts io.Reader) (*Catalogue, error) {
	c := newCatalogue()
	for i, r := range []io.Reader{departments, provinces, districts} {
		if err := c.readTable(tables[i], &capReader{r: r, left: MaxFileBytes}); err != nil {
			return nil, err
		}
	}
	if len(c.deps) == 0 {
		return nil, &ParseError{File: DepartmentsFile, Msg: "no departments"}
	}
	c.sort()
	return c, nil
}

func (c *Catalogue) readTable(t table, r io.Reader) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return csvError(t.file, err)
	}
	cols, err := columns(t, header)
	if err != nil {
		return err
	}
	for rows := 0; ; rows++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return csvError(t.file, err)
		}
		if rows >= MaxRows {
			return &ParseError{File: t.file, Msg: "too many rows"}
		}
		line, _ := cr.FieldPos(0)
		if err := c.addRow(t, line, cols, rec); err != nil {
			return err
		}
	}
}

// cols holds the index of each column we read.
type cols struct{ reniec, inei, name int }

func columns(t table, header []string) (cols, error) {
	found := cols{-1, -1, -1}
	for i, h := range header {
		h = strings.TrimPrefix(strings.TrimSpace(h), "\ufeff") // a BOM from spreadsheet exports
		switch h {
		case "reniec":
			found.reniec = i
		case "inei":
			found.inei = i
		case t.nameCol:
			found.name = i
		}
	}
	if found.reniec < 0 || found.name < 0 {
		return cols{}, &ParseError{File: t.file, Line: 1, Msg: fmt.Sprintf("header must name the columns reniec and %s", t.nameCol)}
	}
	return found, nil
}

func (c *Catalogue) addRow(t table, line int, k cols, rec []string) error {
	fail := func(msg string) error { return &ParseError{File: t.file, Line: line, Msg: msg} }
	name := strings.TrimSpace(rec[k.name])
	if name == "" || name == missing || len(name) > MaxNameLen || !utf8.ValidString(name) {
		return fail("missing or invalid name")
	}
	raw := strings.TrimSpace(rec[k.reniec])
	if raw == missing {
		c.skipped = append(c.skipped, Note{File: t.file, Line: line, Reason: fmt.Sprintf("%s has no RENIEC code", name)})
		return nil
	}
	code, err := ParseCode(raw)
	if err != nil || code.Level() != t.level {
		return fail(fmt.Sprintf("bad RENIEC code for %s", name))
	}
	if _, dup := c.places[code]; dup {
		return fail(fmt.Sprintf("duplicate RENIEC code %s", code))
	}
	if t.level != Department && !c.hasParent(code) {
		return fail(fmt.Sprintf("code %s has no parent in the catalogue", code))
	}
	c.add(Place{Code: code, INEI: inei(k, rec), Name: name})
	return nil
}

func (c *Catalogue) hasParent(code Code) bool {
	parent := code.Province()
	if code.Level() == Province {
		parent = code.Department()
	}
	_, ok := c.places[parent]
	return ok
}

func inei(k cols, rec []string) string {
	if k.inei < 0 {
		return ""
	}
	v := strings.TrimSpace(rec[k.inei])
	if v == missing {
		return ""
	}
	return v
}

func csvError(file string, err error) error {
	if err == io.EOF {
		return &ParseError{File: file, Msg: "empty file"}
	}
	if errors.Is(err, errTooLarge) {
		return &ParseError{File: file, Msg: "file too large"}
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{File: file, Line: pe.Line, Msg: pe.Err.Error()}
	}
	return &ParseError{File: file, Msg: "too large or unreadable"}
}

var errTooLarge = errors.New("too large")

// capReader fails, rather than truncating, past its limit: a cut file would
// otherwise load as a smaller catalogue without a word.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, errTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
