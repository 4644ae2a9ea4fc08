package testpdf

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"image"
	"image/jpeg"
)

// RawImage is one image XObject written as given: the dictionary's
// entries (Width, Height, ColorSpace…) need not agree with the stream, so
// tests can make the hostile files a stranger sends.
type RawImage struct {
	Dict   string // e.g. "/Width 10 /Height 10 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode"
	Stream []byte
}

// Raw returns a one-page PDF that draws each image, with the page's
// content stream given (nil: the drawing operators; a Dict-less stream is
// written as the page content as is, e.g. a Flate bomb with contentDict).
func Raw(images []RawImage, content []byte, contentDict string) []byte {
	var objs [][]byte
	add := func(s string, stream []byte) int {
		var b bytes.Buffer
		b.WriteString(s)
		if stream != nil {
			fmt.Fprintf(&b, "\nstream\n")
			b.Write(stream)
			b.WriteString("\nendstream")
		}
		objs = append(objs, b.Bytes())
		return len(objs)
	}
	add("<< /Type /Catalog /Pages 2 0 R >>", nil)
	add("", nil) // pages, below
	xobjs, draw := "", ""
	first := 3
	for i := range images {
		xobjs += fmt.Sprintf("/Im%d %d 0 R ", i, first+i)
		draw += fmt.Sprintf("q 100 0 0 100 %d 100 cm /Im%d Do Q\n", 10+110*i, i)
	}
	for _, im := range images {
		add(fmt.Sprintf("<< /Type /XObject /Subtype /Image %s /Length %d >>", im.Dict, len(im.Stream)), im.Stream)
	}
	if content == nil {
		content = []byte(draw)
	}
	c := add(fmt.Sprintf("<< %s /Length %d >>", contentDict, len(content)), content)
	page := add(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << %s>> >> /Contents %d 0 R >>", xobjs, c), nil)
	objs[1] = []byte(fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", page))

	var out bytes.Buffer
	out.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return out.Bytes()
}

// Deflate returns n zero bytes compressed with zlib (a Flate bomb: 256 MiB
// of zeros is about 256 KB). One MiB of zeros is compressed once and its
// block repeated (a sync flush leaves it byte-aligned and not final, so
// copies concatenate), then a final empty block and the Adler-32: fast
// even under -race, where compressing 256 MiB took minutes.
func Deflate(n int) []byte {
	block := func(size int) []byte {
		var b bytes.Buffer
		w, _ := flate.NewWriter(&b, flate.BestCompression)
		w.Write(make([]byte, size))
		w.Flush()
		return b.Bytes()
	}
	out := []byte{0x78, 0xDA} // zlib header: deflate, 32 KiB window, best compression
	if n >= 1<<20 {
		mib := block(1 << 20)
		for range n >> 20 {
			out = append(out, mib...)
		}
	}
	if rest := n % (1 << 20); rest > 0 {
		out = append(out, block(rest)...)
	}
	out = append(out, 0x03, 0x00) // a final, empty block with fixed codes
	// Adler-32 of n zeros: A stays 1, B adds A once a byte.
	return binary.BigEndian.AppendUint32(out, uint32(n%65521)<<16|1)
}

// JPEGClaiming returns a small grey JPEG whose frame header claims w×h
// pixels: a decoder that trusts the header allocates w×h before it finds
// the data short.
func JPEGClaiming(w, h int) []byte {
	var b bytes.Buffer
	jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 16, 16)), &jpeg.Options{Quality: 75})
	data := b.Bytes()
	for i := 2; i+8 < len(data); i++ {
		if data[i] == 0xFF && (data[i+1] == 0xC0 || data[i+1] == 0xC1 || data[i+1] == 0xC2) {
			// SOFn: FF Cn, length (2), precision (1), height (2), width (2)
			data[i+5], data[i+6] = byte(h>>8), byte(h)
			data[i+7], data[i+8] = byte(w>>8), byte(w)
			break
		}
	}
	return data
}

// Bombs are hostile PDFs for the reader's tests and fuzz seeds, by name.
// Each would make a reader that trusts a dictionary or inflates whole
// allocate hundreds of megabytes.
func Bombs() map[string][]byte {
	jpegBomb := RawImage{Dict: "/Width 10 /Height 10 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", Stream: JPEGClaiming(20000, 20000)}
	flateImage := func(w, h int, cs string, n int) RawImage {
		return RawImage{Dict: fmt.Sprintf("/Width %d /Height %d /ColorSpace /%s /BitsPerComponent 8 /Filter /FlateDecode", w, h, cs), Stream: Deflate(n)}
	}
	return map[string][]byte{
		"jpeg-header-20000x20000":    Raw([]RawImage{jpegBomb}, nil, ""),
		"three-jpeg-headers":         Raw([]RawImage{jpegBomb, jpegBomb, jpegBomb}, nil, ""),
		"flate-256MiB-gray-10x10":    Raw([]RawImage{flateImage(10, 10, "DeviceGray", 256<<20)}, nil, ""),
		"flate-256MiB-cmyk-10x10":    Raw([]RawImage{flateImage(10, 10, "DeviceCMYK", 256<<20)}, nil, ""),
		"flate-256MiB-rgb-6000x6000": Raw([]RawImage{flateImage(6000, 6000, "DeviceRGB", 256<<20)}, nil, ""),
		"flate-256MiB-content":       Raw(nil, Deflate(256<<20), "/Filter /FlateDecode"),
	}
}
