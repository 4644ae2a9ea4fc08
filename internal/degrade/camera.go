package degrade

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
)

// camera turns scene light into an encoded picture: optics (blur),
// lighting (contrast, shading, glare), sensor noise, then PNG or JPEG.
type camera struct {
	lo, hi float64 // pixel values of black and of white light
	shade  float64 // light falls off by this fraction across the frame
	glare  glare
	blur   float64 // Gaussian sigma in pixels
	noise  float64 // Gaussian sigma in grey levels
	invert bool    // light codes on dark, as on a phone in dark mode
	tint   [3]float64
	jpeg   int // quality 1–100; 0 writes PNG
}

// glare is a bright blob added to the picture: a lamp on glossy paper.
type glare struct{ cx, cy, radius, strength float64 }

// shoot returns the encoded picture of light (w×h) and its format.
func (c *camera) shoot(light []float32, w, h int, r *rand.Rand) ([]byte, string, error) {
	if c.invert {
		for i, l := range light {
			light[i] = 1 - l
		}
	}
	gaussian(light, w, h, c.blur)
	vals := make([]float64, len(light))
	for y := range h {
		for x := range w {
			i := y*w + x
			l := float64(light[i]) * (1 - c.shade*float64(x+y)/float64(w+h))
			v := c.lo + (c.hi-c.lo)*l + c.glare.at(float64(x), float64(y))
			vals[i] = v
		}
	}
	img := c.develop(vals, w, h, r)
	var buf bytes.Buffer
	if c.jpeg > 0 {
		err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: c.jpeg})
		return buf.Bytes(), "jpeg", err
	}
	// Fastest compression: the set is rewritten on every test run.
	err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img)
	return buf.Bytes(), "png", err
}

func (g glare) at(x, y float64) float64 {
	if g.strength == 0 {
		return 0
	}
	d2 := (x-g.cx)*(x-g.cx) + (y-g.cy)*(y-g.cy)
	return g.strength * math.Exp(-d2/(2*g.radius*g.radius))
}

// develop adds sensor noise and quantises: grey, or colour under tint.
func (c *camera) develop(vals []float64, w, h int, r *rand.Rand) image.Image {
	if c.tint == [3]float64{} {
		g := image.NewGray(image.Rect(0, 0, w, h))
		for i, v := range vals {
			g.Pix[i] = clamp8(v + c.noise*r.NormFloat64())
		}
		return g
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h)) // opaque; image/jpeg has a fast path for RGBA
	for i, v := range vals {
		img.Pix[4*i] = clamp8(v*c.tint[0] + c.noise*r.NormFloat64())
		img.Pix[4*i+1] = clamp8(v*c.tint[1] + c.noise*r.NormFloat64())
		img.Pix[4*i+2] = clamp8(v*c.tint[2] + c.noise*r.NormFloat64())
		img.Pix[4*i+3] = 255
	}
	return img
}

func clamp8(v float64) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// gaussian blurs p (w×h) in place with a separable kernel of the given
// sigma; sigma < 0.2 is a no-op.
func gaussian(p []float32, w, h int, sigma float64) {
	if sigma < 0.2 {
		return
	}
	rad := int(math.Ceil(3 * sigma))
	k := make([]float32, 2*rad+1)
	sum := float32(0)
	for i := range k {
		d := float64(i - rad)
		k[i] = float32(math.Exp(-d * d / (2 * sigma * sigma)))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	tmp := make([]float32, len(p))
	for y := range h {
		convolveRow(p[y*w:(y+1)*w], tmp[y*w:(y+1)*w], k)
	}
	convolveColumns(tmp, p, w, h, k)
}

// convolveRow filters one row; edges are clamped.
func convolveRow(src, dst []float32, k []float32) {
	rad, n := len(k)/2, len(src)
	for i := range n {
		s := float32(0)
		if i >= rad && i+rad < n {
			for j, kv := range k {
				s += kv * src[i-rad+j]
			}
		} else {
			for j, kv := range k {
				s += kv * src[min(max(i+j-rad, 0), n-1)]
			}
		}
		dst[i] = s
	}
}

// convolveColumns filters down the columns a whole row at a time, which
// keeps memory access sequential (column by column is 4× slower on 8 MP).
func convolveColumns(src, dst []float32, w, h int, k []float32) {
	rad := len(k) / 2
	for y := range h {
		out := dst[y*w : (y+1)*w]
		clear(out)
		for j, kv := range k {
			yy := min(max(y+j-rad, 0), h-1)
			in := src[yy*w : (yy+1)*w]
			for x, v := range in {
				out[x] += kv * v
			}
		}
	}
}
