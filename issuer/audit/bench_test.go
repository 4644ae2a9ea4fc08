package audit

import (
	"context"
	"testing"
	"time"

	"github.com/minedu-cla/cla/issuer/store"
)

// Append costs: the read of the last record, a decode, an encode, a
// SHA-256 and the head; next to the commit they share, it should not
// show. Goal: BenchmarkAppend ≤ 1.1× BenchmarkAppendBaseline (one commit
// each), BenchmarkAppend500 ≤ 3× its baseline (500 records a commit,
// where the CPU work is most of it).

func benchEntry() Entry {
	return Entry{Time: t0, Actor: Public, Action: VerifyCode, Target: "7K3M-9QXT-2HBN-M",
		Details: map[string]string{"result": "valid"}}
}

// benchRecord is a record of the same size as benchEntry's.
func benchRecord() []byte {
	e, _ := normalize(benchEntry())
	e.Seq, e.Prev = 1, zeroHash
	e.Hash = sum(body(&e))
	return encode(&e)
}

func BenchmarkAppend(b *testing.B) {
	s, _ := tempBolt(b)
	ctx := context.Background()
	for b.Loop() {
		err := s.Update(ctx, func(tx store.Tx) error { _, err := Append(tx, benchEntry()); return err })
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendBaseline: the same bytes through the bare store.
func BenchmarkAppendBaseline(b *testing.B) {
	s, _ := tempBolt(b)
	ctx := context.Background()
	rec := benchRecord()
	for b.Loop() {
		if err := s.Update(ctx, func(tx store.Tx) error { _, err := tx.AppendLog(rec); return err }); err != nil {
			b.Fatal(err)
		}
	}
}

const batchSize = 500

// bench500 runs one Recorder-sized transaction per op through commit
// (store.Update or store.Batch) and reports entries a second.
func bench500(b *testing.B, batch bool, work func(tx store.Tx) error) {
	s, _ := tempBolt(b)
	commit := s.Update
	if batch {
		commit = s.Batch
	}
	for b.Loop() {
		if err := commit(context.Background(), work); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*batchSize)/b.Elapsed().Seconds(), "entries/s")
}

// chained is a Recorder batch: 500 entries checked, chained, appended.
func chained(tx store.Tx) error {
	entries := make([]Entry, batchSize)
	for i := range entries {
		entries[i], _ = normalize(benchEntry())
	}
	return appendAll(tx, entries)
}

// bare appends 500 records of the same size with nothing else.
func bare(tx store.Tx) error {
	rec := benchRecord()
	for range batchSize {
		if _, err := tx.AppendLog(rec); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkAppend500 is what the Recorder's writer does per batch.
func BenchmarkAppend500(b *testing.B)         { bench500(b, false, chained) }
func BenchmarkAppend500Baseline(b *testing.B) { bench500(b, false, bare) }

// BenchmarkAppend500StoreBatch: the writer is one goroutine that already
// batches, with no one to share a commit with, so it uses Update; this is
// the same batch through store.Batch (bbolt's own Batch, used before the
// store's group commit, waited up to 10 ms for company).
func BenchmarkAppend500StoreBatch(b *testing.B) { bench500(b, true, chained) }

// BenchmarkRecord is what a verification by code pays: Record from many
// goroutines at once. It also reports what the writer kept up with
// (written/s) and what it had to drop: the producers here do nothing
// else, so they outrun any disk. Goal: ≤ 100 ns, 0.3% of a verification
// by code (~33 µs at 30,000 a second, docs/PERFORMANCE.md); the baseline
// is a bare non-blocking send on a channel.
func BenchmarkRecord(b *testing.B) {
	s, _ := tempBolt(b)
	r := NewRecorder(s, RecorderOptions{})
	e := benchEntry()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r.Record(e)
		}
	})
	b.StopTimer()
	r.Close()
	st := r.Stats()
	b.ReportMetric(float64(st.Written)/time.Since(start).Seconds(), "written/s")
	b.ReportMetric(100*float64(st.Dropped)/float64(b.N), "%dropped")
}

// BenchmarkRecordBaseline: a bare non-blocking send on a buffered channel
// of the same size, drained by one goroutine.
func BenchmarkRecordBaseline(b *testing.B) {
	q := make(chan Entry, 1<<16)
	done := make(chan struct{})
	go func() {
		for range q {
		}
		close(done)
	}()
	e := benchEntry()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			select {
			case q <- e:
			default:
			}
		}
	})
	close(q)
	<-done
}

// BenchmarkCheck: walking a trail of 20,000 entries, against the bare walk
// of BenchmarkCheckBaseline (read each record, SHA-256 it); Check also
// decodes and checks every field (~4×). Goal ≤ 2 µs an entry: a million
// entries checked in two seconds.
func BenchmarkCheck(b *testing.B) {
	s := checkStore(b)
	for b.Loop() {
		if r, err := Check(context.Background(), s); err != nil || !r.OK() {
			b.Fatal(err, r.First)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*checkN), "ns/entry")
}

func BenchmarkCheckBaseline(b *testing.B) {
	s := checkStore(b)
	for b.Loop() {
		err := s.View(context.Background(), func(tx store.Tx) error {
			return tx.ForEachLog(1, func(_ uint64, rec []byte) error { sum(rec); return nil })
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*checkN), "ns/entry")
}

const checkN = 20_000

func checkStore(b *testing.B) store.Store {
	s, _ := tempBolt(b)
	entries := make([]Entry, checkN)
	for i := range entries {
		entries[i], _ = normalize(benchEntry())
	}
	if err := s.Update(context.Background(), func(tx store.Tx) error { return appendAll(tx, entries) }); err != nil {
		b.Fatal(err)
	}
	return s
}
