package scan

// shrink returns p reduced by the integer factor k, each output pixel the
// mean of a k×k box: it averages sensor noise away as it goes.
func (p *plane) shrink(k int) *plane {
	if k <= 1 {
		return p
	}
	q := newPlane(p.w/k, p.h/k)
	sums := make([]uint32, q.w)
	for y := range q.h {
		clear(sums)
		for dy := range k {
			row := p.pix[(y*k+dy)*p.w:]
			for x := range sums {
				s := uint32(0)
				for _, v := range row[x*k : x*k+k] {
					s += uint32(v)
				}
				sums[x] += s
			}
		}
		out := q.pix[y*q.w : (y+1)*q.w]
		n := uint32(k * k)
		for x, s := range sums {
			out[x] = uint8((s + n/2) / n)
		}
	}
	return q
}

// double returns p upscaled 2× bilinearly (pixel centres aligned): a code
// of 2–3 px a module becomes 4–6, enough for gozxing's finder patterns and
// grid sampling.
func (p *plane) double() *plane {
	q := newPlane(2*p.w, 2*p.h)
	for y := range q.h {
		// Output row y samples source row (y-0.5)/2: weights ¾ and ¼.
		y0, y1 := neighbours(y, p.h)
		r0, r1 := p.pix[y0*p.w:(y0+1)*p.w], p.pix[y1*p.w:(y1+1)*p.w]
		out := q.pix[y*q.w : (y+1)*q.w]
		for x := range out {
			x0, x1 := neighbours(x, p.w)
			a := 3*uint32(r0[x0]) + uint32(r0[x1])
			b := 3*uint32(r1[x0]) + uint32(r1[x1])
			out[x] = uint8((3*a + b + 8) / 16)
		}
	}
	return q
}

// neighbours returns the nearer and the farther source index for output
// index i of a 2× upscale of n samples, clamped at the edges.
func neighbours(i, n int) (near, far int) {
	near = i / 2
	if i%2 == 0 {
		far = near - 1
	} else {
		far = near + 1
	}
	return near, min(max(far, 0), n-1)
}

// crop returns a copy of the rectangle [x0, x1) × [y0, y1) of p.
func (p *plane) crop(x0, y0, x1, y1 int) *plane {
	q := newPlane(x1-x0, y1-y0)
	for y := range q.h {
		copy(q.pix[y*q.w:(y+1)*q.w], p.pix[(y0+y)*p.w+x0:])
	}
	return q
}
