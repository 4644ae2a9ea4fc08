package pdfdoc

import (
	"bytes"
	"image"
	"image/jpeg"

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
		if len(sd.Raw) > MaxImageBytes {
			return nil, false
		}
		img, err := jpeg.Decode(bytes.NewReader(sd.Raw))
		return img, err == nil
	case "", "FlateDecode":
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
	if sd.FilterPipeline == nil {
		sd.Content = sd.Raw
	} else if err := sd.Decode(); err != nil {
		return nil, false
	}
	if len(sd.Content) < *w**h*comps {
		return nil, false
	}
	g := image.NewGray(image.Rect(0, 0, *w, *h))
	if comps == 1 {
		copy(g.Pix, sd.Content)
		return g, true
	}
	src := sd.Content
	for i := range g.Pix {
		r, gr, b := uint32(src[3*i]), uint32(src[3*i+1]), uint32(src[3*i+2])
		g.Pix[i] = uint8((19595*r + 38470*gr + 7471*b + 1<<15) >> 16) // ITU-R BT.601 luma
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
