package registry

import (
	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/ubigeo"
)

// Claim is what a requester states about a person (themself or, for a
// minor, the student and the guardian), to be checked against the identity
// registry's answer.
type Claim struct {
	FatherNames string      // father's given names as on the DNI; "" if none recorded
	MotherNames string      // mother's given names as on the DNI; "" if none recorded
	Ubigeo      ubigeo.Code // district of the DNI address, RENIEC code
}

// Matches reports whether c agrees with p: parents' names compared
// normalised (NormalizeName), the ubigeo exactly. It answers only yes or no
// so that no caller can reveal which field differed.
func (p *Person) Matches(c Claim) bool {
	names := SameName(c.FatherNames, p.Father.Names)
	names = SameName(c.MotherNames, p.Mother.Names) && names
	return names && c.Ubigeo == p.Ubigeo
}

// Guardianship is how a guardian relates to a student, if at all.
type Guardianship uint8

// Guardianships.
const (
	NotGuardian       Guardianship = iota
	ParentPerIdentity              // the student's identity record names the guardian as father or mother
	TutorPerRecords                // SIAGIE registers the guardian as the student's tutor
)

// GuardianOf tells whether guardian may act for a minor: a parent per the
// student's identity record (RENIEC or Migraciones), or a tutor registered
// in SIAGIE. student may be nil (a student with no DNI or CE); records may
// be nil if not read yet. The caller still checks the guardian is an adult,
// alive, and who they say they are (Person.Matches).
func GuardianOf(student *Person, records *Student, guardian idnum.Doc) Guardianship {
	switch {
	case guardian.IsZero():
		return NotGuardian
	case student != nil && student.HasParent(guardian):
		return ParentPerIdentity
	case records != nil && records.HasTutor(guardian):
		return TutorPerRecords
	}
	return NotGuardian
}
