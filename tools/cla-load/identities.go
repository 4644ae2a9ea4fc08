package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/minedu-cla/cla/assets/demo"
	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
)

// claim is one person as a requester types them: document, parents'
// given names, ubigeo (the API's "student" and "guardian" objects).
type claim struct {
	DocType     string `json:"doc_type"`
	DocNumber   string `json:"doc_number"`
	FatherNames string `json:"father_names"`
	MotherNames string `json:"mother_names"`
	Ubigeo      string `json:"ubigeo"`
}

// identity is a request the demo registries accept: an adult student, or
// a minor and a guardian who may ask for them.
type identity struct {
	Student  claim
	Guardian *claim
}

func (id identity) requester() string {
	if id.Guardian != nil {
		return "guardian"
	}
	return "adult"
}

// demoIdentities reads the embedded demo population (assets/demo) and
// returns every request the issuer's rules accept on the given day: the
// student has a DNI or CE, is alive and has SIAGIE records from 2013
// with no acta under review; an adult asks alone, a minor through a
// living adult parent (RENIEC) or tutor (SIAGIE). The rules are the
// issuer's (issuance.Check); the load test counts any refusal anyway.
func demoIdentities(today time.Time) ([]identity, error) {
	persons, students, err := readDataset(demo.Dataset)
	if err != nil {
		return nil, err
	}
	day := registry.DateOf(today)
	var out []identity
	for _, s := range students {
		if s.Doc.IsZero() || s.Doc.Kind == idnum.KindStudentCode || len(s.Years) == 0 {
			continue
		}
		if _, blocked := s.Blocking(); blocked {
			continue
		}
		p := persons[s.Doc]
		if p == nil || p.Deceased() {
			continue
		}
		id := identity{Student: claimOf(p)}
		if !p.IsAdult(day) {
			g := guardianOf(p, s, persons, day)
			if g == nil {
				continue
			}
			c := claimOf(g)
			id.Guardian = &c
		}
		out = append(out, id)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no identity in the demo population can ask for a constancia on %s", day)
	}
	return out, nil
}

// guardianOf picks who may ask for a minor: the mother, the father, then
// the SIAGIE tutors, the first one alive and adult.
func guardianOf(p *registry.Person, s *registry.Student, persons map[idnum.Doc]*registry.Person, day registry.Date) *registry.Person {
	docs := []idnum.Doc{p.Mother.Doc, p.Father.Doc}
	for _, t := range s.Tutors {
		docs = append(docs, t.Doc)
	}
	for _, d := range docs {
		g := persons[d]
		if d.IsZero() || g == nil || g.Deceased() || !g.IsAdult(day) {
			continue
		}
		if registry.GuardianOf(p, s, d) != registry.NotGuardian {
			return g
		}
	}
	return nil
}

func claimOf(p *registry.Person) claim {
	return claim{DocType: p.Doc.Kind.String(), DocNumber: p.Doc.Number, FatherNames: p.Father.Names,
		MotherNames: p.Mother.Names, Ubigeo: string(p.Ubigeo)}
}

// readDataset reads the dataset file (package dataset's format: a header
// line, then one {"person": …} or {"student": …} a line), keeping the
// students in file order so that runs are repeatable.
func readDataset(b []byte) (map[idnum.Doc]*registry.Person, []*registry.Student, error) {
	persons := map[idnum.Doc]*registry.Person{}
	var students []*registry.Student
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		if n == 1 {
			continue // the header
		}
		var line struct {
			Person  *registry.Person  `json:"person"`
			Student *registry.Student `json:"student"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			return nil, nil, fmt.Errorf("demo dataset line %d: %w", n, err)
		}
		if line.Person != nil {
			persons[line.Person.Doc] = line.Person
		}
		if line.Student != nil {
			students = append(students, line.Student)
		}
	}
	return persons, students, sc.Err()
}
