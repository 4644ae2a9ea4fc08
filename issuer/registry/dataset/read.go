package dataset

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/internal/strictjson"
)

// ErrMalformed is wrapped by every Read error; the message gives the line
// number, never the line (it holds personal data).
var ErrMalformed = errors.New("dataset: malformed file")

// Read loads a dataset file.
func Read(r io.Reader) (*Registry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxLineBytes)
	reg := newRegistry()
	n := 0
	for sc.Scan() {
		n++
		if err := reg.readLine(n, sc.Bytes()); err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrMalformed, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: line %d: %v", ErrMalformed, n+1, err)
	}
	if n == 0 {
		return nil, fmt.Errorf("%w: empty", ErrMalformed)
	}
	if got := len(reg.students) - reg.byCode; got != reg.header.Students {
		return nil, fmt.Errorf("%w: header says %d students, file has %d", ErrMalformed, reg.header.Students, got)
	}
	return reg, nil
}

func (reg *Registry) readLine(n int, b []byte) error {
	if n == 1 {
		return reg.readHeader(b)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return errors.New("empty line")
	}
	if len(reg.persons)+len(reg.students) >= 2*MaxRecords {
		return errors.New("too many records")
	}
	var l line
	if err := strictjson.Unmarshal(b, &l); err != nil {
		return err
	}
	switch {
	case l.Person != nil && l.Student == nil:
		return reg.addPerson(l.Person)
	case l.Student != nil && l.Person == nil:
		return reg.addStudent(l.Student)
	}
	return errors.New("a line must hold one person or one student")
}

func (reg *Registry) readHeader(b []byte) error {
	if err := strictjson.Unmarshal(b, &reg.header); err != nil {
		return err
	}
	h := reg.header
	if h.Format != Format {
		return fmt.Errorf("format must be %q", Format)
	}
	if h.Students < 0 || h.Students > MaxRecords || !h.Today.Valid() {
		return errors.New("bad student count or date")
	}
	return nil
}

func (reg *Registry) addPerson(p *registry.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if _, dup := reg.persons[p.Doc]; dup {
		return errors.New("person repeated")
	}
	reg.persons[p.Doc] = p
	return nil
}

func (reg *Registry) addStudent(s *registry.Student) error {
	if err := s.Validate(); err != nil {
		return err
	}
	code := idnum.FromStudentCode(s.Code)
	_, dup1 := reg.students[code]
	_, dup2 := reg.students[s.Doc]
	if dup1 || (!s.Doc.IsZero() && dup2) {
		return errors.New("student repeated")
	}
	reg.students[code] = s
	if !s.Doc.IsZero() {
		reg.students[s.Doc] = s
		reg.byCode++
	}
	return nil
}
