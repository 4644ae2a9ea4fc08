package scan

import (
	"image"
	"image/color"
)

// toPlane copies img into a grey plane. The common types are read from
// their pixel buffers directly: image.Image.At costs an interface call and
// an allocation a pixel (25–33 ms for a 1080p frame). Transparent pixels
// are composed over white, so a transparent PNG with black modules reads
// as printed paper.
func toPlane(img image.Image) *plane {
	b := img.Bounds()
	p := newPlane(b.Dx(), b.Dy())
	switch m := img.(type) {
	case *image.Gray:
		for y := range p.h {
			copy(p.pix[y*p.w:(y+1)*p.w], m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.YCbCr:
		for y := range p.h {
			copy(p.pix[y*p.w:(y+1)*p.w], m.Y[m.YOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.NYCbCrA:
		nycbcra(p, m)
	case *image.RGBA:
		rgba(p, m.Pix, m.Stride, m.PixOffset(b.Min.X, b.Min.Y), true)
	case *image.NRGBA:
		rgba(p, m.Pix, m.Stride, m.PixOffset(b.Min.X, b.Min.Y), false)
	case *image.Paletted:
		paletted(p, m)
	default:
		generic(p, img)
	}
	return p
}

// luma is ITU-R BT.601 luminance of 8-bit r, g, b (weights sum to 1<<16).
func luma(r, g, b uint32) uint32 {
	return (19595*r + 38470*g + 7471*b + 1<<15) >> 16
}

// rgba reads 8-bit RGBA rows starting at off; premul tells whether the
// colour is premultiplied by alpha (image.RGBA) or not (image.NRGBA).
func rgba(p *plane, pix []byte, stride, off int, premul bool) {
	for y := range p.h {
		row := pix[off+y*stride : off+y*stride+4*p.w]
		out := p.pix[y*p.w : (y+1)*p.w]
		for x := range out {
			s := row[4*x : 4*x+4 : 4*x+4]
			l, a := luma(uint32(s[0]), uint32(s[1]), uint32(s[2])), uint32(s[3])
			if !premul {
				l = (l*a + 127) / 255
			}
			out[x] = uint8(min(l+255-a, 255))
		}
	}
}

func nycbcra(p *plane, m *image.NYCbCrA) {
	b := m.Bounds()
	for y := range p.h {
		yi, ai := m.YOffset(b.Min.X, b.Min.Y+y), m.AOffset(b.Min.X, b.Min.Y+y)
		out := p.pix[y*p.w : (y+1)*p.w]
		for x := range out {
			a := uint32(m.A[ai+x])
			out[x] = uint8((uint32(m.Y[yi+x])*a + 255*(255-a) + 127) / 255)
		}
	}
}

func paletted(p *plane, m *image.Paletted) {
	var lut [256]uint8
	for i := range lut {
		lut[i] = 255 // indexes beyond the palette: treat as paper
	}
	for i, c := range m.Palette {
		if c != nil && i < len(lut) {
			lut[i] = grey(c)
		}
	}
	b := m.Bounds()
	for y := range p.h {
		row := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):]
		out := p.pix[y*p.w : (y+1)*p.w]
		for x := range out {
			out[x] = lut[row[x]]
		}
	}
}

// grey is the luminance of c composed over white.
func grey(c color.Color) uint8 {
	r, g, b, a := c.RGBA() // 16-bit, premultiplied
	l := luma(r>>8, g>>8, b>>8) + (0xffff-a)>>8
	return uint8(min(l, 255))
}

// generic handles the rare types (16-bit, CMYK, …) through At.
func generic(p *plane, img image.Image) {
	b := img.Bounds()
	for y := range p.h {
		out := p.pix[y*p.w : (y+1)*p.w]
		for x := range out {
			out[x] = grey(img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
}
