package synth

// perm is a keyed bijection on [0, n): a 4-round balanced Feistel network
// on 2·half bits, cycle-walked into range. It turns a person's slot number
// into a document number and back, so a lookup by DNI finds its family in
// O(1) with no index in memory. It is a shuffle, not encryption.
type perm struct {
	n    uint64
	half uint
	keys [4]uint64
}

func newPerm(seed, tag, n uint64) perm {
	p := perm{n: n}
	for uint64(1)<<(2*p.half) < n {
		p.half++
	}
	for i := range p.keys {
		p.keys[i] = mix(seed ^ mix(tag<<8|uint64(i)))
	}
	return p
}

func (p perm) round(x uint64, k uint64) uint64 {
	return mix(x^k) & (1<<p.half - 1)
}

func (p perm) feistel(x uint64) uint64 {
	l, r := x>>p.half, x&(1<<p.half-1)
	for _, k := range p.keys {
		l, r = r, l^p.round(r, k)
	}
	return l<<p.half | r
}

func (p perm) unfeistel(x uint64) uint64 {
	l, r := x>>p.half, x&(1<<p.half-1)
	for i := len(p.keys) - 1; i >= 0; i-- {
		l, r = r^p.round(l, p.keys[i]), l
	}
	return l<<p.half | r
}

// forward maps x in [0, n) to [0, n).
func (p perm) forward(x uint64) uint64 {
	for {
		x = p.feistel(x)
		if x < p.n {
			return x
		}
	}
}

// inverse undoes forward.
func (p perm) inverse(y uint64) uint64 {
	for {
		y = p.unfeistel(y)
		if y < p.n {
			return y
		}
	}
}
