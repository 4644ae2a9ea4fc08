package degrade

import (
	"math"
	"math/rand/v2"
)

// shot is a scene, the camera that takes it, and the texts in it.
type shot struct {
	scene scene
	cam   camera
	texts []string
}

// builder draws the parameters of one case.
type builder struct {
	r     *rand.Rand
	index int
}

// between returns a uniform draw in [lo, hi).
func (b *builder) between(lo, hi float64) float64 { return lo + (hi-lo)*b.r.Float64() }

func (b *builder) jitter() float64 { return 2*b.r.Float64() - 1 }

// camera returns a decent camera: full contrast, a little blur and noise.
func (b *builder) camera() camera {
	return camera{lo: b.between(15, 40), hi: b.between(205, 240), blur: b.between(0.4, 0.7),
		noise: b.between(1.5, 4)}
}

// text picks a QR text from the pool, different from those in avoid.
func (b *builder) text(avoid ...string) (string, error) {
	texts, err := pool()
	if err != nil {
		return "", err
	}
	for {
		t := texts[b.r.IntN(len(texts))]
		if !contains(avoid, t) {
			return t, nil
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// single is a shot of one code on a sheet, centred in a canvas that holds
// it at any angle with some room.
func (b *builder) single(module, angle, tilt float64) (*shot, error) {
	t, err := b.text()
	if err != nil {
		return nil, err
	}
	bits, err := encode(t)
	if err != nil {
		return nil, err
	}
	a := angle * math.Pi / 180
	side := float64(len(bits)) * module * (math.Abs(math.Cos(a)) + math.Abs(math.Sin(a))) * (1 + 2*tilt)
	w := int(side * b.between(1.15, 1.5))
	h := int(side * b.between(1.15, 1.5))
	p := placement{cx: float64(w) * b.between(0.45, 0.55), cy: float64(h) * b.between(0.45, 0.55),
		module: module, angle: angle, tilt: tilt, margin: b.between(3, 25)}
	s, err := place(bits, p, b.jitter)
	if err != nil {
		return nil, err
	}
	s.words = newText(b.r, s.n, s.margin, module)
	return &shot{scene: scene{w: w, h: h, desk: b.between(0.2, 0.6), symbols: []*symbol{s}},
		cam: b.camera(), texts: []string{t}}, nil
}

// sign returns ±1 at random.
func (b *builder) sign() float64 {
	if b.r.IntN(2) == 0 {
		return -1
	}
	return 1
}

// mayJPEG makes half the shots JPEG at a good quality (a phone's default).
func (b *builder) mayJPEG(c *camera) {
	if b.r.IntN(2) == 0 {
		c.jpeg = 75 + b.r.IntN(20)
	}
}

// tint makes the picture colour under a warm or cool light.
func (b *builder) tint(c *camera) {
	c.tint = [3]float64{b.between(0.9, 1.05), b.between(0.9, 1.0), b.between(0.75, 1.0)}
}
