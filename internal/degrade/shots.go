package degrade

import "math"

// glareShot puts a lamp's reflection on the code: a bright blob that
// washes out part of it (strength up to +260 grey levels).
func glareShot(b *builder) (*shot, error) {
	s, err := b.single(b.between(4, 6), b.between(-15, 15), 0)
	if err != nil {
		return nil, err
	}
	side := float64(min(s.scene.w, s.scene.h))
	s.cam.glare = glare{cx: float64(s.scene.w) * b.between(0.3, 0.7), cy: float64(s.scene.h) * b.between(0.3, 0.7),
		radius: side * b.between(0.08, 0.25), strength: b.between(100, 260)}
	s.cam.shade = b.between(0, 0.4)
	b.mayJPEG(&s.cam)
	return s, nil
}

// invertedShot is a light code on a dark ground (a phone in dark mode).
func invertedShot(b *builder) (*shot, error) {
	s, err := b.single(b.between(4, 6), b.between(-30, 30), b.between(0, 0.05))
	if err == nil {
		s.cam.invert = true
		b.mayJPEG(&s.cam)
	}
	return s, err
}

// twoShot is two sheets side by side, each with its own code.
func twoShot(b *builder) (*shot, error) {
	var texts []string
	var syms []*symbol
	m := b.between(3.5, 5)
	w, h := 0, 0
	for i := range 2 {
		t, err := b.text(texts...)
		if err != nil {
			return nil, err
		}
		bits, err := encode(t)
		if err != nil {
			return nil, err
		}
		side := float64(len(bits)) * m * 1.45
		w, h = int(2.3*side), int(1.3*side)
		p := placement{cx: side * (0.6 + 1.1*float64(i)), cy: float64(h) / 2, module: m,
			angle: b.between(-25, 25), tilt: b.between(0, 0.05), margin: b.between(2, 4)}
		s, err := place(bits, p, b.jitter)
		if err != nil {
			return nil, err
		}
		texts, syms = append(texts, t), append(syms, s)
	}
	c := b.camera()
	b.mayJPEG(&c)
	return &shot{scene: scene{w: w, h: h, desk: b.between(0.2, 0.5), symbols: syms}, cam: c, texts: texts}, nil
}

// smallShot prints modules of about 2, 3 or 4 pixels, by turns.
func smallShot(b *builder) (*shot, error) {
	m := float64(2+b.index%3) + b.between(0, 0.3)
	angle := 0.0
	if b.r.IntN(2) == 0 {
		angle = b.between(-10, 10)
	}
	s, err := b.single(m, angle, 0)
	if err == nil {
		s.cam.blur = b.between(0.3, 0.6)
		b.mayJPEG(&s.cam)
	}
	return s, err
}

// scanShot is an A4 page scanned at 150 dpi (1240×1754) with the code
// printed 35 mm wide (≈ 207 px: 2.5–3 px a module) among lines of text.
func scanShot(b *builder) (*shot, error) {
	t, err := b.text()
	if err != nil {
		return nil, err
	}
	bits, err := encode(t)
	if err != nil {
		return nil, err
	}
	const w, h, dpi, mm = 1240, 1754, 150.0, 35.0
	m := mm / 25.4 * dpi / float64(len(bits)-8)
	side := float64(len(bits)) * m
	p := placement{cx: b.between(side, w-side), cy: b.between(side, h-side), module: m,
		angle: b.between(-1.5, 1.5), margin: 2 * h / m}
	s, err := place(bits, p, b.jitter)
	if err != nil {
		return nil, err
	}
	s.words = newText(b.r, s.n, s.margin, m)
	c := camera{lo: b.between(10, 40), hi: b.between(225, 250), blur: b.between(0.5, 0.9), noise: b.between(1, 4)}
	b.mayJPEG(&c)
	return &shot{scene: scene{w: w, h: h, desk: paperLevel, symbols: []*symbol{s}}, cam: c, texts: []string{t}}, nil
}

// webcamShot is a 1280×720 or 1920×1080 frame of a sheet held up to a
// webcam: soft focus, sensor noise, uneven light, MJPEG.
func webcamShot(b *builder) (*shot, error) {
	w, h := 1280, 720
	if b.index%3 == 2 {
		w, h = 1920, 1080
	}
	return b.frame(w, h, b.between(0.35, 0.7), b.between(-30, 30), func(c *camera, m float64) {
		c.blur = b.between(0.6, 0.3*m+0.6)
		c.noise = b.between(4, 10)
		c.shade = b.between(0, 0.4)
		c.jpeg = 60 + b.r.IntN(26)
		b.tint(c)
	})
}

// photoShot is a phone photo of the paper: any angle, tilt, blur, low
// contrast, glare now and then, JPEG at quality 30–60.
func photoShot(b *builder) (*shot, error) {
	return b.frame(1600, 1200, b.between(0.3, 0.6), b.between(0, 360), func(c *camera, m float64) {
		c.blur = m * b.between(0.1, 0.35)
		c.noise = b.between(3, 8)
		c.lo, c.hi = b.between(30, 70), b.between(170, 230)
		if b.r.IntN(3) == 0 {
			c.glare = glare{cx: b.between(400, 1200), cy: b.between(300, 900), radius: b.between(80, 250),
				strength: b.between(60, 160)}
		}
		c.jpeg = 30 + b.r.IntN(31)
		b.tint(c)
	})
}

// phoneShot is a full-size 8 MP phone photo (3264×2448) of the printed
// code from 20–40 cm: 5–9 px a module, the code a small part of the frame,
// any angle, JPEG as phones save it.
func phoneShot(b *builder) (*shot, error) {
	return b.frame(3264, 2448, b.between(0.12, 0.25), b.between(0, 360), func(c *camera, m float64) {
		c.blur = m * b.between(0.1, 0.3)
		c.noise = b.between(3, 8)
		c.shade = b.between(0, 0.3)
		c.jpeg = 70 + b.r.IntN(21)
		b.tint(c)
	})
}

// frame places one code filling frac of the frame height, tilted, and
// lets adjust set the camera for the module size in pixels.
func (b *builder) frame(w, h int, frac, angle float64, adjust func(c *camera, m float64)) (*shot, error) {
	t, err := b.text()
	if err != nil {
		return nil, err
	}
	bits, err := encode(t)
	if err != nil {
		return nil, err
	}
	a := angle * math.Pi / 180
	m := frac * float64(h) / float64(len(bits)) / (math.Abs(math.Cos(a)) + math.Abs(math.Sin(a)))
	p := placement{cx: float64(w) * b.between(0.35, 0.65), cy: float64(h) * b.between(0.4, 0.6), module: m,
		angle: angle, tilt: b.between(0, 0.1), margin: b.between(4, 15)}
	s, err := place(bits, p, b.jitter)
	if err != nil {
		return nil, err
	}
	s.words = newText(b.r, s.n, s.margin, m)
	c := b.camera()
	adjust(&c, m)
	return &shot{scene: scene{w: w, h: h, desk: b.between(0.15, 0.5), symbols: []*symbol{s}}, cam: c,
		texts: []string{t}}, nil
}
