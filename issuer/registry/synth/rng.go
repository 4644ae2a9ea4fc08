package synth

import "math/bits"

// rng is splitmix64: tiny, fast and fully specified here, so a seed gives
// the same population on every Go version and platform (math/rand's
// algorithms are not promised to stay put).
type rng struct{ s uint64 }

// newRNG derives an independent stream for one (seed, a, b): a family, a
// child's history. Streams never depend on each other, so any family can be
// generated alone, in any order.
func newRNG(seed, a, b uint64) *rng {
	return &rng{s: mix(seed ^ mix(a^0x9e3779b97f4a7c15) ^ mix(b+0x6a09e667f3bcc909))}
}

func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	return mix(r.s)
}

// intn returns a number in [0, n) (Lemire's multiply-shift; the bias for
// the small n used here is below 2^-50).
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}

// between returns a number in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// chance returns true with probability per thousand.
func (r *rng) chance(perMille int) bool { return r.intn(1000) < perMille }

// pick returns a random element of list.
func pick[T any](r *rng, list []T) T { return list[r.intn(len(list))] }
