package registry_test

import (
	"fmt"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
)

// The checks the issuer makes for a minor's guardian, given what RENIEC
// answered for the student and the guardian and what SIAGIE answered for
// the student.
func ExampleGuardianOf() {
	today := registry.Date{Year: 2026, Month: 3, Day: 1}
	student := &registry.Person{
		Doc:       idnum.FromDNI("10117410"),
		BirthDate: registry.Date{Year: 2014, Month: 7, Day: 9},
		Mother:    registry.Parent{Names: "ROSA MARÍA", Doc: idnum.FromDNI("25543680")},
		Ubigeo:    "140137",
	}
	guardian := &registry.Person{
		Doc:       idnum.FromDNI("25543680"),
		BirthDate: registry.Date{Year: 1988, Month: 1, Day: 20},
		Father:    registry.Parent{Names: "LUIS"},
		Mother:    registry.Parent{Names: "ÑUSTA"},
		Ubigeo:    "140137",
	}
	claim := registry.Claim{FatherNames: "Luis", MotherNames: "Nusta", Ubigeo: "140137"}

	ok := !student.IsAdult(today) &&
		guardian.IsAdult(today) && !guardian.Deceased() && guardian.Matches(claim) &&
		registry.GuardianOf(student, nil, guardian.Doc) != registry.NotGuardian
	fmt.Println(ok)
	// Output: true
}
