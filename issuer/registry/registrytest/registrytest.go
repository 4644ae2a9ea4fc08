// Package registrytest checks that a registry implementation answers like a
// reference one: the conformance suite every backend (dataset, HTTP
// clients against the simulator) runs against the synthetic generator.
package registrytest

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/synth"
)

// Pair is an identity and a records registry under test.
type Pair struct {
	Identity registry.IdentityRegistry
	Records  registry.RecordsRegistry
}

// Docs returns every document of the first families of g (persons' DNIs
// and CEs, students' códigos), and documents nobody holds.
func Docs(g *synth.Generator, families int) []idnum.Doc {
	var docs []idnum.Doc
	for i := range min(families, g.Families()) {
		persons, students := g.Family(i)
		for _, p := range persons {
			docs = append(docs, p.Doc)
		}
		for _, s := range students {
			docs = append(docs, idnum.FromStudentCode(s.Code))
		}
	}
	return append(docs,
		idnum.FromDNI("10117410"), idnum.FromCE("000000001"), idnum.FromCE("X12345678AB"),
		idnum.FromStudentCode("00000000000001"))
}

// Compare asks want and got about every doc and fails t on any difference
// in the answer or in the class of error (not found, unsupported).
func Compare(t testing.TB, want, got Pair, docs []idnum.Doc) {
	t.Helper()
	ctx := context.Background()
	for _, d := range docs {
		wp, werr := want.Identity.Person(ctx, d)
		gp, gerr := got.Identity.Person(ctx, d)
		if !sameClass(werr, gerr) || (werr == nil && *wp != *gp) {
			t.Fatalf("Person(%v): got %v, want %v", d.Kind, gerr, werr)
		}
		ws, werr := want.Records.Student(ctx, d)
		gs, gerr := got.Records.Student(ctx, d)
		if !sameClass(werr, gerr) || (werr == nil && !reflect.DeepEqual(ws, gs)) {
			t.Fatalf("Student(%v): got %v, want %v", d.Kind, gerr, werr)
		}
	}
}

func sameClass(a, b error) bool {
	for _, s := range []error{registry.ErrNotFound, registry.ErrUnsupported, registry.ErrUnavailable} {
		if errors.Is(a, s) != errors.Is(b, s) {
			return false
		}
	}
	return (a == nil) == (b == nil)
}
