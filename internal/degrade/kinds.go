package degrade

import (
	"fmt"
	"math/rand/v2"
)

// kinds draws a shot of each category. Module sizes are in pixels; the
// 35 mm print at a phone's 12 MP gives 6–10, webcams 3–6.
var kinds = map[string]func(b *builder) (*shot, error){
	"clean": func(b *builder) (*shot, error) {
		return b.single(b.between(4, 6), 0, 0)
	},
	"rotate": func(b *builder) (*shot, error) {
		s, err := b.single(b.between(4, 6), b.sign()*b.between(1, 45), 0)
		if err == nil {
			b.mayJPEG(&s.cam)
		}
		return s, err
	},
	"rot90": func(b *builder) (*shot, error) {
		return b.single(b.between(4, 6), float64(90*(1+b.index%3))+b.between(-3, 3), 0)
	},
	"perspective": func(b *builder) (*shot, error) {
		s, err := b.single(b.between(4, 7), b.between(-20, 20), b.between(0.05, 0.15))
		if err == nil {
			b.mayJPEG(&s.cam)
		}
		return s, err
	},
	"blur": func(b *builder) (*shot, error) {
		m := b.between(4, 7)
		s, err := b.single(m, b.between(-10, 10), 0)
		if err == nil {
			s.cam.blur = m * b.between(0.25, 0.6)
		}
		return s, err
	},
	"noise": func(b *builder) (*shot, error) {
		s, err := b.single(b.between(4, 6), b.between(-10, 10), 0)
		if err == nil {
			s.cam.noise = b.between(12, 45)
		}
		return s, err
	},
	"jpeg": func(b *builder) (*shot, error) {
		s, err := b.single(b.between(3, 5), b.between(-10, 10), 0)
		if err == nil {
			s.cam.jpeg = 30 + b.r.IntN(31)
			b.tint(&s.cam)
		}
		return s, err
	},
	"lowcontrast": func(b *builder) (*shot, error) {
		s, err := b.single(b.between(4, 6), b.between(-10, 10), 0)
		if err == nil {
			s.cam.lo = b.between(70, 130)
			s.cam.hi = s.cam.lo + b.between(30, 70)
		}
		return s, err
	},
	"glare":    glareShot,
	"inverted": invertedShot,
	"two":      twoShot,
	"small":    smallShot,
	"scan150":  scanShot,
	"webcam":   webcamShot,
	"photo":    photoShot,
	"phone":    phoneShot,
}

// build draws the shot of case index of category cat.
func build(cat string, index int, r *rand.Rand) (*shot, error) {
	k, ok := kinds[cat]
	if !ok {
		return nil, fmt.Errorf("unknown category %q", cat)
	}
	return k(&builder{r: r, index: index})
}
