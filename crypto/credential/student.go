package credential

import (
	"fmt"
)

// DocType is the kind of identity document of a student.
type DocType uint8

// Identity documents a student may hold.
const (
	// DNI: Documento Nacional de Identidad, 8 digits.
	DNI DocType = 1
	// CE: carné de extranjería, 9 digits (up to 12 letters or digits).
	CE DocType = 2
	// StudentCode: código del estudiante in SIAGIE, 14 digits, for
	// students without a DNI or CE.
	StudentCode DocType = 3
)

func (d DocType) String() string {
	switch d {
	case DNI:
		return "DNI"
	case CE:
		return "CE"
	case StudentCode:
		return "CÓDIGO DEL ESTUDIANTE"
	}
	return fmt.Sprintf("doctype(%d)", uint8(d))
}

// Student is who the constancia is about: only what it shows.
type Student struct {
	DocType       DocType
	DocNumber     string
	GivenNames    string
	FirstSurname  string // apellido paterno
	SecondSurname string // apellido materno; may be empty
}

// wireStudent is [doc_type, doc_number, given, first_surname, second_surname].
type wireStudent struct {
	_             struct{} `cbor:",toarray"`
	DocType       uint8
	DocNumber     string
	GivenNames    string
	FirstSurname  string
	SecondSurname string
}

func (s Student) wire() wireStudent {
	return wireStudent{DocType: uint8(s.DocType), DocNumber: s.DocNumber, GivenNames: s.GivenNames,
		FirstSurname: s.FirstSurname, SecondSurname: s.SecondSurname}
}

func (w wireStudent) student() Student {
	return Student{DocType: DocType(w.DocType), DocNumber: w.DocNumber, GivenNames: w.GivenNames,
		FirstSurname: w.FirstSurname, SecondSurname: w.SecondSurname}
}

// FullName returns the name as printed: surnames first, then given names.
func (s Student) FullName() string {
	if s.SecondSurname == "" {
		return s.FirstSurname + ", " + s.GivenNames
	}
	return s.FirstSurname + " " + s.SecondSurname + ", " + s.GivenNames
}

// Validate checks the document number against its type and the names.
func (s Student) Validate() error {
	switch s.DocType {
	case DNI:
		if !allDigits(s.DocNumber, 8, 8) {
			return fmt.Errorf("DNI %q is not 8 digits", s.DocNumber)
		}
	case CE:
		if !alnumUpper(s.DocNumber, 1, 12) {
			return fmt.Errorf("CE %q is not 1 to 12 letters or digits", s.DocNumber)
		}
	case StudentCode:
		if !allDigits(s.DocNumber, 14, 14) {
			return fmt.Errorf("student code %q is not 14 digits", s.DocNumber)
		}
	default:
		return fmt.Errorf("unknown document type %d", s.DocType)
	}
	if err := checkText("given names", s.GivenNames, MaxName, true); err != nil {
		return err
	}
	if err := checkText("first surname", s.FirstSurname, MaxName, true); err != nil {
		return err
	}
	return checkText("second surname", s.SecondSurname, MaxName, false)
}

func allDigits(s string, minLen, maxLen int) bool {
	if len(s) < minLen || len(s) > maxLen {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func alnumUpper(s string, minLen, maxLen int) bool {
	if len(s) < minLen || len(s) > maxLen {
		return false
	}
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}
