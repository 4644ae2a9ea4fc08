package scan

import (
	"encoding/binary"
	"image"
	"image/color"
)

// pngCost is the bytes a pixel Go's PNG decoder holds: the image, twice
// for interlaced files (each pass is decoded apart, then copied).
func pngCost(data []byte, cfg image.Config) float64 {
	c := modelBytes(cfg.ColorModel)
	// IHDR is the first chunk: 8 magic, 8 length+type, 13 data; byte 12
	// of its data (offset 28) is the interlace method.
	if len(data) > 28 && data[28] == 1 {
		c *= 2
	}
	return c
}

func modelBytes(m color.Model) float64 {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.RGBAModel, color.NRGBAModel:
		return 4
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 8 // RGBA64, NRGBA64
}

// jpegCost is the bytes a pixel Go's JPEG decoder holds: one a sample
// (chroma subsampling counted from the frame header), for progressive
// files two more a sample for the DCT coefficients it keeps between scans,
// and 4 for the CMYK image it converts 4-component files to.
func jpegCost(data []byte, cfg image.Config) float64 {
	samples, progressive, ok := jpegFrame(data)
	if !ok {
		return 16 // unknown layout: 4 components, progressive
	}
	c := samples
	if progressive {
		c *= 3
	}
	if cfg.ColorModel == color.CMYKModel {
		c += 4
	}
	return c
}

// jpegFrame walks the markers to the start-of-frame header and returns the
// samples a pixel (e.g. 1.5 for 4:2:0 colour) and whether it is
// progressive (SOF2).
func jpegFrame(data []byte) (samples float64, progressive, ok bool) {
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xff {
			return 0, false, false
		}
		m := data[i+1]
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if m == 0xc0 || m == 0xc1 || m == 0xc2 {
			s, ok := sofSamples(data[i+4 : min(i+2+n, len(data))])
			return s, m == 0xc2, ok
		}
		i += 2 + n
	}
	return 0, false, false
}

// sofSamples reads a SOF segment: precision, height, width, components,
// then per component id, sampling factors (H<<4|V), table.
func sofSamples(seg []byte) (float64, bool) {
	if len(seg) < 6 {
		return 0, false
	}
	nc := int(seg[5])
	if nc == 0 || len(seg) < 6+3*nc {
		return 0, false
	}
	hmax, vmax, sum := 1, 1, 0
	for c := range nc {
		f := seg[6+3*c+1]
		h, v := int(f>>4), int(f&15)
		hmax, vmax, sum = max(hmax, h), max(vmax, v), sum+h*v
	}
	return float64(sum) / float64(hmax*vmax), true
}
