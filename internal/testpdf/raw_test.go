package testpdf

import (
	"bytes"
	"compress/zlib"
	"io"
	"testing"
)

// TestDeflate: the stream inflates, with a good checksum, to exactly n
// zeros.
func TestDeflate(t *testing.T) {
	for _, n := range []int{0, 1, 1000, 1 << 20, 3<<20 + 12345} {
		z, err := zlib.NewReader(bytes.NewReader(Deflate(n)))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(z)
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if len(got) != n || bytes.ContainsFunc(got, func(r rune) bool { return r != 0 }) {
			t.Fatalf("n=%d: %d bytes", n, len(got))
		}
	}
	if n := len(Deflate(256 << 20)); n > 300<<10 {
		t.Errorf("256 MiB of zeros take %d bytes", n)
	}
}
