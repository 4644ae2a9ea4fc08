package sim_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/httpreg"
	"github.com/minedu-cla/cla/issuer/registry/sim"
)

// How the issuer wires HTTP registries, here against the simulator serving
// the embedded demo (docs/DEMO.md, rows 2 and 9).
func Example() {
	s, _ := sim.New(sim.Config{})
	srv := httptest.NewServer(s)
	defer srv.Close()

	reniec, _ := httpreg.NewIdentityClient(srv.URL+"/reniec", httpreg.Options{Service: "reniec"})
	migr, _ := httpreg.NewIdentityClient(srv.URL+"/migraciones", httpreg.Options{Service: "migraciones"})
	siagie, _ := httpreg.NewRecordsClient(srv.URL+"/siagie", httpreg.Options{Service: "siagie"})
	var ids registry.IdentityRegistry = registry.Identities{DNI: reniec, CE: migr}
	var recs registry.RecordsRegistry = siagie

	ctx := context.Background()
	student, _ := idnum.Parse(idnum.KindDNI, "32564647")
	guardian, _ := idnum.Parse(idnum.KindDNI, "37205274")
	p, err := ids.Person(ctx, student)
	if errors.Is(err, registry.ErrUnavailable) {
		fmt.Println("try later")
		return
	}
	rec, _ := recs.Student(ctx, student)
	fmt.Println(p.IsAdult(registry.Date{Year: 2026, Month: 3, Day: 1}), len(rec.Years))
	fmt.Println(registry.GuardianOf(p, rec, guardian) == registry.TutorPerRecords)

	_, err = ids.Person(ctx, idnum.FromDNI("10117410"))
	fmt.Println(errors.Is(err, registry.ErrNotFound))
	// Output:
	// false 9
	// true
	// true
}
