package registry

import (
	"context"

	"github.com/minedu-cla/cla/issuer/idnum"
)

// IdentityRegistry answers who the holder of a document is: RENIEC for a DNI,
// Migraciones for a CE. Implementations are safe for concurrent use, honour
// ctx, and return a Person the caller owns.
type IdentityRegistry interface {
	// Person returns the registry's record for doc, or ErrNotFound,
	// ErrUnsupported, ErrUnavailable or ErrTimeout.
	Person(ctx context.Context, doc idnum.Doc) (*Person, error)
}

// RecordsRegistry answers what SIAGIE holds about a student. Implementations
// are safe for concurrent use, honour ctx, and return a Student the caller
// owns.
type RecordsRegistry interface {
	// Student returns the student whose DNI, CE or código del estudiante
	// is doc, with every school year from 2013 on and the registered
	// tutors; or ErrNotFound, ErrUnavailable or ErrTimeout.
	Student(ctx context.Context, doc idnum.Doc) (*Student, error)
}

// Identities routes identity lookups by document kind: DNIs to RENIEC, CEs
// to Migraciones. A nil field answers ErrUnsupported.
type Identities struct {
	DNI IdentityRegistry // RENIEC
	CE  IdentityRegistry // Migraciones
}

// Person implements IdentityRegistry.
func (r Identities) Person(ctx context.Context, doc idnum.Doc) (*Person, error) {
	var reg IdentityRegistry
	switch doc.Kind {
	case idnum.KindDNI:
		reg = r.DNI
	case idnum.KindCE:
		reg = r.CE
	}
	if reg == nil {
		return nil, ErrUnsupported
	}
	return reg.Person(ctx, doc)
}
