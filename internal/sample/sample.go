// Package sample builds deterministic sample constancias and keys for
// tests, test vectors and demos. Nothing here is a real person.
package sample

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
)

// Key returns the Ed25519 key derived from name, always the same.
func Key(name string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("cla sample key: " + name))
	return ed25519.NewKeyFromSeed(seed[:])
}

// IssuedAt is the fixed issue time of samples.
var IssuedAt = time.Date(2026, 3, 2, 15, 4, 5, 0, time.UTC)

// Issuer is the iss claim of samples.
const Issuer = "MINEDU"

// Student returns a student with long Spanish names (accents, ñ): the
// worst realistic case for the QR size budget.
func Student() credential.Student {
	return credential.Student{DocType: credential.DNI, DocNumber: "07418529",
		GivenNames: "MARÍA DE LOS ÁNGELES", FirstSurname: "HUAMANÑAHUI", SecondSurname: "VILLAVICENCIO"}
}

// ShortStudent returns a student with short names.
func ShortStudent() credential.Student {
	return credential.Student{DocType: credential.DNI, DocNumber: "10117410",
		GivenNames: "ANA", FirstSurname: "RUIZ", SecondSurname: "PAZ"}
}

// Record returns the full record of st over n school years from 2013 on
// (n ≤ 14): two years of inicial, six of primaria, five of secundaria,
// then a repeated fifth year.
func Record(st credential.Student, n int) *credential.Record {
	r := &credential.Record{Issuer: Issuer, IssuedAt: IssuedAt, Code: "7K3M9QXT2HBNM", StatusIndex: 70513, Student: st}
	type step struct {
		level credential.Level
		grade int
	}
	path := []step{{credential.Inicial, 4}, {credential.Inicial, 5}}
	for g := 1; g <= 6; g++ {
		path = append(path, step{credential.Primaria, g})
	}
	for g := 1; g <= 5; g++ {
		path = append(path, step{credential.Secundaria, g})
	}
	path = append(path, step{credential.Secundaria, 5})
	for i := 0; i < n && i < len(path); i++ {
		r.Years = append(r.Years, year(2013+i, path[i].level, path[i].grade))
	}
	if n > 13 {
		r.Years[12].Result = credential.PermaneceEnElGrado
		r.Years[12].Observations = []string{"2025 - R.D. N.° 0457-2025 - Permanece en el grado"}
	}
	return r
}

func year(y int, level credential.Level, grade int) credential.RecordYear {
	ry := credential.RecordYear{Year: y, Level: level, Grade: grade, Result: credential.Promovido,
		School: credential.School{Code: "0403691", Annex: "0", Name: "I.E. N.° 20188 SANTA ROSA DE LIMA", Ubigeo: "140101"},
		Scale:  scale(y, level, grade), Observations: []string{}}
	if level == credential.Inicial {
		ry.School = credential.School{Code: "1234567", Annex: "0", Name: "I.E.I. N.° 315 LOS PATITOS", Ubigeo: "140101"}
	}
	values := map[credential.Scale][]string{
		credential.Literal: {"A", "AD", "B", "A"}, credential.LiteralInicial: {"A", "B", "A"},
		credential.Vigesimal: {"15", "17", "12", "14", "16"},
	}[ry.Scale]
	for i, area := range areas(y, level) {
		v := values[i%len(values)]
		if area == "EDUCACIÓN RELIGIOSA" && y%3 == 0 {
			v = credential.Exonerated
		}
		ry.Areas = append(ry.Areas, credential.Mark{Area: area, Value: v})
	}
	if y >= 2020 && level != credential.Inicial {
		ry.Transversal = []credential.Mark{
			{Area: "SE DESENVUELVE EN ENTORNOS VIRTUALES GENERADOS POR LAS TIC", Value: fmt.Sprint(values[0])},
			{Area: "GESTIONA SU APRENDIZAJE DE MANERA AUTÓNOMA", Value: values[1]},
		}
	} else {
		ry.Transversal = []credential.Mark{}
	}
	return ry
}

func scale(y int, level credential.Level, grade int) credential.Scale {
	switch {
	case y >= 2020:
		return credential.Literal
	case level == credential.Inicial:
		return credential.LiteralInicial
	case level == credential.Primaria:
		return credential.Literal
	case y == 2019 && grade == 1:
		return credential.Literal
	}
	return credential.Vigesimal
}

func areas(y int, level credential.Level) []string {
	switch {
	case level == credential.Inicial:
		return []string{"PERSONAL SOCIAL", "COMUNICACIÓN", "MATEMÁTICA", "CIENCIA Y AMBIENTE"}
	case level == credential.Primaria && y < 2019:
		return []string{"COMUNICACIÓN", "MATEMÁTICA", "PERSONAL SOCIAL", "CIENCIA Y AMBIENTE",
			"ARTE", "EDUCACIÓN FÍSICA", "EDUCACIÓN RELIGIOSA"}
	case level == credential.Primaria:
		return []string{"PERSONAL SOCIAL", "EDUCACIÓN FÍSICA", "COMUNICACIÓN", "ARTE Y CULTURA", "INGLÉS",
			"MATEMÁTICA", "CIENCIA Y TECNOLOGÍA", "EDUCACIÓN RELIGIOSA"}
	case y < 2019:
		return []string{"COMUNICACIÓN", "MATEMÁTICA", "HISTORIA, GEOGRAFÍA Y ECONOMÍA",
			"FORMACIÓN CIUDADANA Y CÍVICA", "PERSONA, FAMILIA Y RELACIONES HUMANAS",
			"CIENCIA, TECNOLOGÍA Y AMBIENTE", "EDUCACIÓN FÍSICA", "EDUCACIÓN RELIGIOSA"}
	}
	return []string{"COMUNICACIÓN", "MATEMÁTICA", "CIENCIAS SOCIALES",
		"DESARROLLO PERSONAL, CIUDADANÍA Y CÍVICA", "CIENCIA Y TECNOLOGÍA", "ARTE Y CULTURA",
		"EDUCACIÓN FÍSICA", "INGLÉS", "EDUCACIÓN RELIGIOSA", "EDUCACIÓN PARA EL TRABAJO"}
}

// Claims returns the QR claims for r, whose signed document is doc.
func Claims(r *credential.Record, doc []byte) *credential.Claims {
	return &credential.Claims{Issuer: r.Issuer, IssuedAt: r.IssuedAt, Code: r.Code, StatusIndex: r.StatusIndex,
		Student: r.Student, Years: r.Summary(), RecordDigest: credential.RecordDigest(doc)}
}

// Sealed signs a record of n years for st with priv and returns the QR
// text, the claims and the record document.
func Sealed(priv ed25519.PrivateKey, st credential.Student, n int) (string, *credential.Claims, []byte, error) {
	r := Record(st, n)
	doc, err := credential.SealRecord(priv, r)
	if err != nil {
		return "", nil, nil, err
	}
	c := Claims(r, doc)
	text, err := credential.Seal(priv, c)
	return text, c, doc, err
}
