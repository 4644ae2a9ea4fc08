package degrade

import "math/rand/v2"

// NoCode renders a w×h webcam frame of a sheet of printed text with no QR
// code on it, as JPEG: what a verifier's camera sees most of the time.
func NoCode(seed uint64, w, h int) ([]byte, error) {
	r := rand.New(rand.NewPCG(seed, 0xc0de))
	b := &builder{r: r}
	blank := make([][]bool, 85) // a version-17-sized blank patch of paper
	for i := range blank {
		blank[i] = make([]bool, 85)
	}
	m := 0.5 * float64(h) / 85
	p := placement{cx: float64(w) / 2, cy: float64(h) / 2, module: m, angle: b.between(-20, 20),
		tilt: b.between(0, 0.08), margin: 20}
	s, err := place(blank, p, b.jitter)
	if err != nil {
		return nil, err
	}
	s.words = newText(r, s.n, s.margin, m)
	c := b.camera()
	c.noise, c.jpeg = b.between(4, 8), 75
	b.tint(&c)
	sc := scene{w: w, h: h, desk: b.between(0.2, 0.5), symbols: []*symbol{s}}
	data, _, err := c.shoot(sc.render(), w, h, r)
	return data, err
}
