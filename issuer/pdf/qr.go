package pdf

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"sync"

	"github.com/minedu-cla/cla/qr"
)

// qrImage is the QR code as a PNG, and its width in modules with the
// quiet zone.
type qrImage struct {
	png     []byte
	modules int
}

// The QR code is an image, not vector rectangles: the verifier reads codes
// from the images of a PDF (scan/pdfdoc), and an 8-bit grey PNG is what
// its fast path decodes. At qrPx pixels a module it stays crisp when a
// viewer or printer scales it down.
//
// internal/qr encodes it (level Q, the smallest version, the mask of least
// penalty; the same symbol as ZXing's encoder): 1.0 ms of CPU for a
// 13-year code where gozxing took 2.2 ms and go-qrcode 3.3 ms, then half
// of Render (BenchmarkQREncoder).
func makeQR(text string) (qrImage, error) {
	code, err := qr.Encode(text)
	if err != nil {
		return qrImage{}, fmt.Errorf("pdf: QR code: %w", err)
	}
	png, err := encodeModules(code, qrQuiet, qrPx)
	return qrImage{png: png, modules: code.Size + 2*qrQuiet}, err
}

// zlibPool keeps deflate state between documents: a new zlib.Writer
// allocates ~1 MB.
var zlibPool = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	return w
}}

// encodeModules writes the code with quiet modules of light margin as
// an 8-bit grey PNG with px pixels a module. The first row of each module
// row is PNG filter Sub (zero except where the colour changes) and the
// other px−1 rows filter Up (all zero), so deflate has almost nothing to
// do: image/png tries five filters on each of the 680 rows of a version-15
// code.
func encodeModules(code *qr.Code, quiet, px int) ([]byte, error) {
	modules := code.Size + 2*quiet
	side := modules * px
	first := make([]byte, side+1)
	up := make([]byte, side+1)
	first[0], up[0] = 1, 2 // Sub, Up
	var idat bytes.Buffer
	zw := zlibPool.Get().(*zlib.Writer)
	defer zlibPool.Put(zw)
	zw.Reset(&idat)
	for my := range modules {
		prev := byte(0)
		for x := range side {
			mx, v := x/px-quiet, byte(255)
			if my >= quiet && my < quiet+code.Size && mx >= 0 && mx < code.Size && code.Dark(mx, my-quiet) {
				v = 0
			}
			first[x+1] = v - prev
			prev = v
		}
		if _, err := zw.Write(first); err != nil {
			return nil, err
		}
		for range px - 1 {
			if _, err := zw.Write(up); err != nil {
				return nil, err
			}
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return pngFile(side, idat.Bytes()), nil
}

// pngFile wraps compressed image data in the PNG chunks.
func pngFile(side int, idat []byte) []byte {
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(side))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(side))
	ihdr[8] = 8 // bit depth; colour type 0 (grey), deflate, filter 0, no interlace
	writeChunk(&out, "IHDR", ihdr)
	writeChunk(&out, "IDAT", idat)
	writeChunk(&out, "IEND", nil)
	return out.Bytes()
}

func writeChunk(out *bytes.Buffer, kind string, data []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(data)))
	out.Write(n[:])
	crc := crc32.NewIEEE()
	crc.Write([]byte(kind))
	crc.Write(data)
	out.WriteString(kind)
	out.Write(data)
	binary.BigEndian.PutUint32(n[:], crc.Sum32())
	out.Write(n[:])
}
