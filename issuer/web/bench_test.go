package web_test

import (
	"context"

	"github.com/minedu-cla/cla/issuer/issuance"
	"github.com/minedu-cla/cla/issuer/registry"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/minedu-cla/cla/issuer/constancia"

	"github.com/minedu-cla/cla/issuer/web"
)

// BenchmarkLookupHandler is the verify-by-code API through the whole
// handler stack (middleware, store, JSON), without the network; the
// wrk load test (make bench-verify) measures it over loopback HTTP.
func BenchmarkLookupHandler(b *testing.B) {
	h := newHarness(&testing.T{}, web.Limits{})
	c := h.gen.Cases()[0]
	p, err := h.gen.Person(context.Background(), c.Student)
	if err != nil {
		b.Fatal(err)
	}
	req := issuance.Request{Requester: constancia.Adult, Email: "a@example.pe", TermsVersion: web.TermsVersion,
		Student: issuance.Person{Doc: c.Student, Claim: registry.Claim{FatherNames: p.Father.Names,
			MotherNames: p.Mother.Names, Ubigeo: p.Ubigeo}}}
	checked, err := h.svc.Check(context.Background(), req)
	if err != nil {
		b.Fatal(err)
	}
	issued, err := h.svc.Issue(context.Background(), checked)
	if err != nil {
		b.Fatal(err)
	}
	handler := h.srv.Config.Handler
	path := "/api/v1/constancias/" + issued.Constancia.Code
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}
