// Package camtest synthesises what a webcam sees when someone holds a
// constancia up to it: a QR code sliding into view, out of focus at first,
// then still and sharp. Tests of the scan path and the screenshot tool
// play it through camera.Recording.
package camtest

import (
	"bytes"
	"image"
	"image/draw"
	"image/jpeg"

	"github.com/skip2/go-qrcode"

	"github.com/minedu-cla/cla/app/camera"
)

// Scene describes a sequence.
type Scene struct {
	Text          string
	Width, Height int // frame size (default 640×480)
	Module        int // pixels a QR module (default 4: the scanner's floor)
	// Moving frames slide the code from outside the left edge to the
	// centre while the blur radius falls from Blur to 0; Still frames
	// follow, sharp and centred.
	Moving, Still int
	Blur          int
}

func (s *Scene) defaults() {
	if s.Width == 0 {
		s.Width, s.Height = 640, 480
	}
	if s.Module == 0 {
		s.Module = 4
	}
}

// Grays returns the frames as grey pictures.
func (s Scene) Grays() ([]*image.Gray, error) {
	s.defaults()
	q, err := qrcode.New(s.Text, qrcode.High)
	if err != nil {
		return nil, err
	}
	bits := q.Bitmap() // includes the 4-module quiet zone
	side := len(bits) * s.Module
	code := image.NewGray(image.Rect(0, 0, side, side))
	for y := range side {
		for x := range side {
			v := uint8(235) // paper under office light, not pure white
			if bits[y/s.Module][x/s.Module] {
				v = 30
			}
			code.Pix[y*side+x] = v
		}
	}
	cx, cy := (s.Width-side)/2, (s.Height-side)/2
	var out []*image.Gray
	for i := range s.Moving + s.Still {
		x, blur := cx, 0
		if i < s.Moving {
			t := float64(i) / float64(max(s.Moving-1, 1))
			x = int(float64(-side) + t*float64(cx+side))
			blur = int(float64(s.Blur) * (1 - t))
		}
		out = append(out, s.frame(code, x, cy, blur, i))
	}
	return out, nil
}

func (s Scene) frame(code *image.Gray, x, y, blur, seed int) *image.Gray {
	f := image.NewGray(image.Rect(0, 0, s.Width, s.Height))
	for i := range f.Pix { // a desk: darker, with a little sensor noise
		f.Pix[i] = uint8(90 + (i*7+seed*13)%11)
	}
	draw.Draw(f, code.Bounds().Add(image.Pt(x, y)), code, image.Point{}, draw.Src)
	if blur > 0 {
		boxBlur(f, blur)
		boxBlur(f, blur) // twice: close to a Gaussian, like defocus
	}
	return f
}

// boxBlur blurs g in place with a (2r+1)² box, rows then columns.
func boxBlur(g *image.Gray, r int) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	tmp := make([]uint8, max(w, h))
	pass := func(n int, at func(int) *uint8) {
		sum := 0
		for i := -r; i <= r; i++ {
			sum += int(*at(min(max(i, 0), n-1)))
		}
		for i := range n {
			tmp[i] = uint8(sum / (2*r + 1))
			sum += int(*at(min(i+r+1, n-1))) - int(*at(max(i-r, 0)))
		}
		for i := range n {
			*at(i) = tmp[i]
		}
	}
	for y := range h {
		pass(w, func(i int) *uint8 { return &g.Pix[y*g.Stride+i] })
	}
	for x := range w {
		pass(h, func(i int) *uint8 { return &g.Pix[i*g.Stride+x] })
	}
}

// YUYV returns the frames as a YUYV camera sends them.
func (s Scene) YUYV() ([]camera.Frame, error) {
	gs, err := s.Grays()
	if err != nil {
		return nil, err
	}
	return YUYV(gs), nil
}

// YUYV packs grey pictures as YUYV frames.
func YUYV(gs []*image.Gray) []camera.Frame {
	out := make([]camera.Frame, len(gs))
	for i, g := range gs {
		out[i] = grayYUYV(g)
	}
	return out
}

// grayYUYV packs a grey picture as YUYV (neutral chroma), fast.
func grayYUYV(g *image.Gray) camera.Frame {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	data := make([]byte, w*h*2)
	for i, v := range g.Pix[:w*h] {
		data[2*i], data[2*i+1] = v, 128
	}
	return camera.Frame{Format: camera.YUYV, Width: w, Height: h, Data: data}
}

// MJPEG returns the frames as many UVC cameras send them: JPEG at quality
// 80 with the Huffman tables (DHT segments) left out.
func (s Scene) MJPEG() ([]camera.Frame, error) {
	gs, err := s.Grays()
	if err != nil {
		return nil, err
	}
	return MJPEG(gs)
}

// MJPEG encodes grey pictures as table-less MJPEG frames.
func MJPEG(gs []*image.Gray) ([]camera.Frame, error) {
	out := make([]camera.Frame, len(gs))
	for i, g := range gs {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, g, &jpeg.Options{Quality: 80}); err != nil {
			return nil, err
		}
		out[i] = camera.Frame{Format: camera.MJPEG, Width: g.Rect.Dx(), Height: g.Rect.Dy(), Data: StripDHT(buf.Bytes())}
	}
	return out, nil
}

// StripDHT removes every DHT segment from a JPEG.
func StripDHT(j []byte) []byte {
	out := append([]byte(nil), j[:2]...)
	i := 2
	for i+4 <= len(j) {
		marker := j[i+1]
		if marker == 0xda { // SOS: the rest is entropy-coded data
			break
		}
		n := 2 + (int(j[i+2])<<8 | int(j[i+3]))
		if marker != 0xc4 {
			out = append(out, j[i:i+n]...)
		}
		i += n
	}
	return append(out, j[i:]...)
}
