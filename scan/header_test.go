package scan

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"testing"
)

// pngHeader returns the signature and IHDR chunk of an 8-bit grey PNG of
// the given size, and no pixels: enough for DecodeConfig, the shape of a
// decompression bomb.
func pngHeader(t testing.TB, w, h uint32) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0) // depth 8, grey, deflate, no filter, no interlace
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(binary.BigEndian.AppendUint32(nil, uint32(len(ihdr))))
	b.Write(chunk)
	b.Write(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(chunk)))
	return b.Bytes()
}
