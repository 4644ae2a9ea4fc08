package server

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/internal/pgtest"
	"github.com/minedu-cla/cla/internal/sample"
	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/issuance"
	"github.com/minedu-cla/cla/issuer/keys"
	"github.com/minedu-cla/cla/issuer/manage"
	"github.com/minedu-cla/cla/issuer/pdf"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/synth"
	"github.com/minedu-cla/cla/issuer/revocation"
	"github.com/minedu-cla/cla/issuer/store"
	"github.com/minedu-cla/cla/issuer/web"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// adultRequests returns requests for adult students of a synthetic
// population of n students, as careful people would type them.
func adultRequests(tb testing.TB, g *synth.Generator, want int) []issuance.Request {
	// A day either side of today: the issuer judges age by the date in
	// Lima (UTC-5), so a birthday at midnight must not flip a student.
	now := time.Now()
	before, after := registry.DateOf(now.AddDate(0, 0, -1)), registry.DateOf(now.AddDate(0, 0, 1))
	var out []issuance.Request
	for i := 0; i < g.Families() && len(out) < want; i++ {
		persons, students := g.Family(i)
		for _, st := range students {
			if st.Doc.Kind != idnum.KindDNI || len(st.Years) == 0 {
				continue
			}
			if _, blocked := st.Blocking(); blocked {
				continue
			}
			for _, p := range persons {
				if p.Doc == st.Doc && p.IsAdult(before) && p.IsAdult(after) && !p.Deceased() {
					out = append(out, issuance.Request{Requester: constancia.Adult, Email: "bench@example.pe", TermsVersion: web.TermsVersion,
						Student: issuance.Person{Doc: p.Doc, Claim: registry.Claim{FatherNames: p.Father.Names,
							MotherNames: p.Mother.Names, Ubigeo: p.Ubigeo}}})
				}
			}
		}
	}
	if len(out) < want {
		tb.Fatalf("%d adult students, want %d", len(out), want)
	}
	return out
}

// BenchmarkIssuance: issuing end to end — synthetic registries, signing,
// the store (bbolt, or PostgreSQL on a throwaway cluster; both flush
// every commit) with the e-mail queued in the same transaction — and the
// same with the PDF the deliverer then makes for the e-mail, against the
// baseline, rendering the same kind of PDF alone, all on all cores.
// Goal (issue 4): issuing at ≥ 0.5× the render-only rate.
func BenchmarkIssuance(b *testing.B) {
	b.Run("store=bbolt", func(b *testing.B) {
		db, err := store.OpenBolt(filepath.Join(b.TempDir(), "db"))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		benchIssuance(b, db)
	})
	b.Run("store=postgres", func(b *testing.B) {
		db, err := store.OpenPostgres(context.Background(), pgtest.StartDurable(b).NewDatabase(b))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		benchIssuance(b, db)
	})
}

func benchIssuance(b *testing.B, db store.Store) {
	dir := b.TempDir()
	g, err := synth.New(synth.Config{Seed: 7, Students: 40_000, Today: synth.DefaultToday})
	if err != nil {
		b.Fatal(err)
	}
	reqs := adultRequests(b, g, 6000)
	k, err := keys.Open(keys.Options{Dir: filepath.Join(dir, "keys"), Dev: true, Now: time.Now, Rand: rand.Reader,
		KDF: keyfile.Params{Time: 1, MemoryKiB: 64, Threads: 1}})
	if err != nil {
		b.Fatal(err)
	}
	rl := revocation.New(revocation.Options{Store: db, Signer: k.MustSigner, Now: time.Now, Rand: rand.Reader})
	if err := rl.Init(context.Background()); err != nil {
		b.Fatal(err)
	}
	// The e-mail is queued in the issuing transaction (the outbox);
	// sending it is the deliverer's, after the answer.
	svc := &issuance.Service{Identity: g, Records: g, Store: db, Keys: k, Status: rl, Secret: []byte("bench"),
		Issuer: "MINEDU", Now: time.Now, Rand: rand.Reader, Render: renderer("http://127.0.0.1:8080")}

	rec := sample.Record(sample.Student(), 13)
	signer := sample.Key("bench")
	text, _, doc, _ := sample.Sealed(signer, sample.Student(), 13)
	// Requests arrive concurrently: 16 at a time on 2 cores.
	b.Run("baseline=pdf.Render", func(b *testing.B) {
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := pdf.Render(&pdf.Document{Record: rec, QRText: text, RecordFile: doc}); err != nil {
					b.Error(err)
				}
			}
		})
	})
	var next atomic.Int64
	withPDF := false
	issue := func(b *testing.B) {
		if int(next.Load())+b.N > len(reqs) {
			b.Skipf("only %d distinct students", len(reqs))
		}
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				req := reqs[next.Add(1)-1]
				checked, err := svc.Check(context.Background(), req)
				if err != nil {
					b.Error(err)
					return
				}
				out, err := svc.Issue(context.Background(), checked)
				if err != nil {
					b.Error(err)
					return
				}
				if withPDF {
					if _, err := svc.PDF(out.Constancia); err != nil {
						b.Error(err)
					}
				}
			}
		})
	}
	b.Run("Check+Issue", issue)
	withPDF = true
	b.Run("Check+Issue+PDF", issue) // the e-mail's PDF, made by the deliverer after the answer
	withPDF = false
	// The same with every issuance written to the audit trail in its
	// transaction (issue 7).
	mgr := &manage.Manager{Service: svc, Store: db, Keys: k, Status: rl, Secret: []byte("bench"), Now: time.Now}
	svc.Audit = mgr
	b.Run("Check+Issue+audit", issue)
}
