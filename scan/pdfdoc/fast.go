package pdfdoc

import (
	"bytes"
	"compress/zlib"
	"image"
	"image/jpeg"
	"io"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// fastImage decodes the common image streams directly into luminance:
// 8-bit grey or RGB behind Flate (what scanners and PDF libraries write),
// and JPEG. pdfcpu's general path re-encodes every image as PNG, which
// took half the time of reading a scanned 10-page PDF; the QR decoder
// wants luminance anyway. It returns false for anything else (indexed,
// CMYK, 1-bit, JBIG2, CCITT…), which goes the general way.
func fastImage(xref *model.XRefTable, sd *types.StreamDict) (image.Image, bool) {
	w, h := sd.IntEntry("Width"), sd.IntEntry("Height")
	if w == nil || h == nil || *w <= 0 || *h <= 0 || int64(*w)*int64(*h) > MaxImagePixels {
		return nil, false
	}
	if mask := sd.BooleanEntry("ImageMask"); mask != nil && *mask {
		return nil, false
	}
	switch filters(sd) {
	case "DCTDecode":
		// The JPEG's own header says how much the decoder will allocate,
		// whatever the PDF's dictionary claims.
		if len(sd.Raw) > MaxImageBytes {
			return nil, false
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(sd.Raw))
		if err != nil || cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
			return nil, false
		}
		img, err := jpeg.Decode(bytes.NewReader(sd.Raw))
		return img, err == nil
	case "FlateDecode":
		if sd.FilterPipeline[0].DecodeParms != nil {
			return nil, false // predictors: the general way, under a budget
		}
	case "":
	default:
		return nil, false
	}
	if bpc := sd.IntEntry("BitsPerComponent"); bpc == nil || *bpc != 8 {
		return nil, false
	}
	comps := components(xref, sd)
	if comps != 1 && comps != 3 {
		return nil, false
	}
	// Inflate row by row straight into luminance: exactly the bytes the
	// image needs are read, however much more the stream would give.
	var src io.Reader = bytes.NewReader(sd.Raw)
	if sd.FilterPipeline != nil {
		z, err := zlib.NewReader(src)
		if err != nil {
			return nil, false
		}
		defer z.Close()
		src = z
	}
	g := image.NewGray(image.Rect(0, 0, *w, *h))
	if comps == 1 {
		if _, err := io.ReadFull(src, g.Pix); err != nil {
			return nil, false
		}
		return g, true
	}
	row := make([]byte, 3**w)
	for y := range *h {
		if _, err := io.ReadFull(src, row); err != nil {
			return nil, false
		}
		dst := g.Pix[y*g.Stride : y*g.Stride+*w]
		for x := range dst {
			r, gr, b := uint32(row[3*x]), uint32(row[3*x+1]), uint32(row[3*x+2])
			dst[x] = uint8((19595*r + 38470*gr + 7471*b + 1<<15) >> 16) // ITU-R BT.601 luma
		}
	}
	return g, true
}

// filters names the filter pipeline ("" for none, the name for one).
func filters(sd *types.StreamDict) string {
	switch len(sd.FilterPipeline) {
	case 0:
		return ""
	case 1:
		return sd.FilterPipeline[0].Name
	}
	return "several"
}

// components returns the colour components of the image's colour space:
// DeviceGray 1, DeviceRGB 3, ICCBased N; 0 when it is anything else.
func components(xref *model.XRefTable, sd *types.StreamDict) int {
	obj, ok := sd.Find("ColorSpace")
	if !ok {
		return 0
	}
	obj, err := xref.Dereference(obj)
	if err != nil {
		return 0
	}
	switch cs := obj.(type) {
	case types.Name:
		return map[string]int{"DeviceGray": 1, "DeviceRGB": 3}[string(cs)]
	case types.Array:
		if len(cs) != 2 {
			return 0
		}
		if name, ok := cs[0].(types.Name); !ok || name != "ICCBased" {
			return 0
		}
		icc, _, err := xref.DereferenceStreamDict(cs[1])
		if err != nil || icc == nil {
			return 0
		}
		if n := icc.IntEntry("N"); n != nil {
			return *n
		}
	}
	return 0
}
