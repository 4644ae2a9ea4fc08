package dataset

import (
	"context"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
)

// Registry answers from a loaded dataset. It is read-only after Read and
// safe for concurrent use; it hands out copies.
type Registry struct {
	header   Header
	persons  map[idnum.Doc]*registry.Person
	students map[idnum.Doc]*registry.Student // by código and by DNI or CE
	byCode   int                             // students also indexed by DNI or CE
}

var (
	_ registry.IdentityRegistry = (*Registry)(nil)
	_ registry.RecordsRegistry  = (*Registry)(nil)
)

func newRegistry() *Registry {
	return &Registry{persons: map[idnum.Doc]*registry.Person{}, students: map[idnum.Doc]*registry.Student{}}
}

// Header returns the file's header.
func (r *Registry) Header() Header { return r.header }

// Len returns how many persons and students were loaded.
func (r *Registry) Len() (persons, students int) {
	return len(r.persons), len(r.students) - r.byCode
}

// Person implements registry.IdentityRegistry.
func (r *Registry) Person(ctx context.Context, doc idnum.Doc) (*registry.Person, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if doc.Kind != idnum.KindDNI && doc.Kind != idnum.KindCE {
		return nil, registry.ErrUnsupported
	}
	p, ok := r.persons[doc]
	if !ok {
		return nil, registry.ErrNotFound
	}
	c := *p
	return &c, nil
}

// Student implements registry.RecordsRegistry.
func (r *Registry) Student(ctx context.Context, doc idnum.Doc) (*registry.Student, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s, ok := r.students[doc]
	if !ok || doc.IsZero() {
		return nil, registry.ErrNotFound
	}
	return s.Clone(), nil
}
