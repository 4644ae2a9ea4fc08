package degrade

import (
	"fmt"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/internal/sample"
)

// students vary the name lengths, and so the QR version (13 to 17 at
// level Q for 3 to 14 school years).
var students = []credential.Student{
	sample.Student(),
	sample.ShortStudent(),
	{DocType: credential.DNI, DocNumber: "44556677", GivenNames: "JOSÉ LUIS",
		FirstSurname: "QUISPE", SecondSurname: "MAMANI"},
	{DocType: credential.DNI, DocNumber: "70123456", GivenNames: "ROSA ELVIRA DEL CARMEN",
		FirstSurname: "ÑAHUINCOPA", SecondSurname: "CCORIMANYA"},
}

// Text returns a real CLA QR text, deterministic in i: student i mod 4,
// 3 to 14 school years, signed by a key named after i.
func Text(i int) (string, error) {
	st := students[i%len(students)]
	years := 3 + (i*7)%12
	text, _, _, err := sample.Sealed(sample.Key(fmt.Sprint("degrade ", i)), st, years)
	return text, err
}
