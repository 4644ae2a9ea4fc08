package mailq

import (
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// BenchmarkEnqueue measures what the issuer pays per constancia for its
// e-mail: render the message with a 150 KiB PDF and store it durably.
// Target: issuance runs at ≥ 150/s on 2 cores, so Enqueue should take a
// few ms at most. Baseline, in the same run: os.WriteFile of the same
// record bytes plus one fsync — the least any durable write costs.
// Enqueue does a second fsync, of the folder, so that the rename survives
// a crash; ~2× the baseline is the expected price.
func BenchmarkEnqueue(b *testing.B) {
	m := testMessage("Juan Pérez <juan.perez@example.pe>")
	q := openQueue(b, b.TempDir(), &recorder{}, nil)
	id, err := q.Enqueue(m)
	if err != nil {
		b.Fatal(err)
	}
	rec := readFile(b, q.spoolPath(id))

	b.Run("baseline=writefile+fsync", func(b *testing.B) {
		dir := b.TempDir()
		b.SetBytes(int64(len(rec)))
		for i := 0; b.Loop(); i++ {
			writeSync(b, filepath.Join(dir, fmt.Sprint(i)), rec)
		}
	})
	b.Run("render", func(b *testing.B) {
		b.SetBytes(int64(len(rec)))
		for b.Loop() {
			if _, err := Render(m, Meta{From: testFrom, Date: t0, ID: testID}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("enqueue", func(b *testing.B) {
		q := openQueue(b, b.TempDir(), &recorder{}, nil)
		b.SetBytes(int64(len(rec)))
		for b.Loop() {
			if _, err := q.Enqueue(m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("enqueue-parallel", func(b *testing.B) {
		q := openQueue(b, b.TempDir(), &recorder{}, nil)
		b.SetBytes(int64(len(rec)))
		b.SetParallelism(4) // issuance requests arrive concurrently
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := q.Enqueue(m); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("baseline-parallel", func(b *testing.B) {
		dir := b.TempDir()
		var n atomic.Int64
		b.SetBytes(int64(len(rec)))
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				writeSync(b, filepath.Join(dir, fmt.Sprint(n.Add(1))), rec)
			}
		})
	})
}

func writeSync(b *testing.B, path string, data []byte) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := f.Write(data); err != nil {
		b.Fatal(err)
	}
	if err := f.Sync(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}
