package issuance

import (
	"crypto/sha256"
	"encoding/json"
	"strings"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/school"
)

// studentOf is the student as the constancia shows them: the document and
// the names as the identity registry (RENIEC, Migraciones) prints them.
func studentOf(p *registry.Person) credential.Student {
	st := credential.Student{DocNumber: p.Doc.Number, GivenNames: p.Names, FirstSurname: p.Surname1,
		SecondSurname: p.Surname2}
	switch p.Doc.Kind {
	case idnum.KindDNI:
		st.DocType = credential.DNI
	case idnum.KindCE:
		st.DocType = credential.CE
	}
	return st
}

var scales = map[school.Scale]credential.Scale{
	school.ScaleABC:       credential.LiteralInicial,
	school.ScaleLetters:   credential.Literal,
	school.ScaleVigesimal: credential.Vigesimal,
}

var results = map[school.Situation]credential.Result{
	school.Promoted: credential.Promovido,
	school.Recovery: credential.RequiereRecuperacion,
	school.Repeat:   credential.PermaneceEnElGrado,
}

// yearsOf maps SIAGIE's years onto the signed record's.
func yearsOf(years []school.Year) []credential.RecordYear {
	out := make([]credential.RecordYear, 0, len(years))
	for _, y := range years {
		ry := credential.RecordYear{Year: y.Year, Level: credential.Level(y.Grade.Level), Grade: y.Grade.N,
			School: credential.School{Code: y.School.Code.Code(), Annex: y.School.Code.Anexo(),
				Name: strings.TrimSpace(y.School.Name), Ubigeo: string(y.School.Ubigeo)},
			Scale: scales[y.Scale()], Result: results[y.Final], Areas: marks(y.Marks),
			Transversal: marks(y.Transversal), Observations: []string{}}
		for _, o := range y.Observations {
			ry.Observations = append(ry.Observations, o.String())
		}
		out = append(out, ry)
	}
	return out
}

func marks(m school.Marks) []credential.Mark {
	out := make([]credential.Mark, 0, len(m))
	for _, c := range m {
		out = append(out, credential.Mark{Area: c.Area.Name(), Value: c.Mark})
	}
	return out
}

// contentHash identifies what a constancia says, apart from when and
// under which code: the same student with the same years hashes the same,
// so asking again returns the existing constancia.
func contentHash(st credential.Student, years []credential.RecordYear) []byte {
	b, _ := json.Marshal(struct {
		S credential.Student
		Y []credential.RecordYear
	}{st, years})
	sum := sha256.Sum256(b)
	return sum[:]
}

// Preview returns what the constancia of c will show: the student and
// every year, as it will be signed.
func Preview(c *Checked) (credential.Student, []credential.RecordYear) {
	return studentOf(c.Identity), yearsOf(c.Records.Years)
}
