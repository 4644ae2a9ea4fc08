package stats

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/minedu-cla/cla/i18n"
	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/store"

	"github.com/minedu-cla/cla/issuer/lima"

	"github.com/minedu-cla/cla/issuer/constancia"
)

const benchN = 10_000

// benchStore holds benchN constancias with a 2 KB signed record each (a
// 13-year record is about that), in a bbolt file.
func benchStore(b *testing.B) store.Store {
	s := tempBolt(b)
	doc := make([]byte, 2048)
	err := s.Update(context.Background(), func(tx store.Tx) error {
		for i := range benchN {
			c := &constancia.Issued{Code: fmt.Sprintf("C%07d", i), StatusIndex: uint64(i), RecordDoc: doc,
				IssuedAt: time.Date(2013+i%14, 6, 1, 0, 0, 0, 0, lima.Zone), Department: fmt.Sprintf("%02d", 1+i%25),
				Level: uint8(1 + i%3), Requester: constancia.Adult}
			if err := tx.PutConstancia(c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkCompute: the report over 10,000 constancias. Goal ≤ 1.2× the
// bare read of BenchmarkComputeBaseline: the counting and the tables
// should cost next to nothing beside decoding the records.
func BenchmarkCompute(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		if _, err := Compute(context.Background(), s, Options{Lang: i18n.ES}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchN), "ns/constancia")
}

// BenchmarkComputeBaseline: View and ForEach over the same constancias,
// doing nothing with them.
func BenchmarkComputeBaseline(b *testing.B) {
	s := benchStore(b)
	for b.Loop() {
		err := s.View(context.Background(), func(tx store.Tx) error {
			return tx.ForEach(func(*constancia.Issued) error { return nil })
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTally: counting 10,000 new audit entries. Tally decodes and
// checks each record's form, which a bare walk over the log
// (BenchmarkTallyBaseline) does not: ~5× it. Goal ≤ 5 µs an entry, so a
// day of a million verifications is counted in seconds, in chunks.
func BenchmarkTally(b *testing.B) {
	benchTally(b, func(s store.Store) error { return Tally(context.Background(), s) })
}

func BenchmarkTallyBaseline(b *testing.B) {
	benchTally(b, func(s store.Store) error {
		return s.View(context.Background(), func(tx store.Tx) error {
			return tx.ForEachLog(1, func(uint64, []byte) error { return nil })
		})
	})
}

func benchTally(b *testing.B, run func(store.Store) error) {
	for b.Loop() {
		b.StopTimer()
		s := tempBolt(b)
		err := s.Update(context.Background(), func(tx store.Tx) error {
			for i := range benchN {
				e := audit.Entry{Time: time.Date(2026, 3, 1+i%28, 12, 0, 0, 0, lima.Zone), Actor: audit.Public,
					Action: audit.VerifyCode, Target: "7K3M-9QXT-2HBN-M"}
				if _, err := audit.Append(tx, e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := run(s); err != nil {
			b.Fatal(err)
		}
	}
}
