// Multiplication and squaring for targets without a 64×64→128-bit multiply
// instruction (this project's addition to the vendored library; see
// ../README.md).
//
// On GOARCH=wasm, math/bits.Mul64 is not an intrinsic: each call is four
// 32×32-bit multiplies plus carry handling in plain Go, and feMulGeneric
// makes 25 of them. Here every limb of 51 bits is split in two, giving ten
// limbs of 26 and 25 bits in the mixed radix 2^25.5 of the ref10 code
// (positions 0, 26, 51, 77, 102, 128, 153, 179, 204, 230), so that every
// partial product fits in a uint64 and a plain 64-bit multiply suffices.
//
// These functions carry no build tag so that native tests can compare them
// with feMulGeneric and feSquareGeneric; only fe_wasm.go wires them in.

package field

const (
	maskLow25Bits uint64 = (1 << 25) - 1
	maskLow26Bits uint64 = (1 << 26) - 1
)

// feMul32 sets v = a * b, like feMulGeneric, from products of values below
// 2^27 only. It accepts limbs below 2^53 (the Element invariant is 2^52)
// and returns limbs below 2^52.
//
// Bounds. With limbs below 2^53, every f and g below is below 2^27 (even
// ones below 2^26). Each column h sums ten products with a factor of at
// most 2·19 = 38, so h < 10 · 38 · 2^26 · 2^27 < 2^62. Each carry is then
// at most (2^62 + 2^37) >> 25 < 2^38, and 19 times the top one is below
// 2^43, so after the single carry pass h0 < 2^26 + 2^43, the other even
// limbs are below 2^26 and the odd ones below 2^25: the recombined limbs
// are below 2^51 + 2^43 < 2^52.
func feMul32(v, a, b *Element) {
	f0 := a.l0 & maskLow26Bits
	f1 := a.l0 >> 26
	f2 := a.l1 & maskLow26Bits
	f3 := a.l1 >> 26
	f4 := a.l2 & maskLow26Bits
	f5 := a.l2 >> 26
	f6 := a.l3 & maskLow26Bits
	f7 := a.l3 >> 26
	f8 := a.l4 & maskLow26Bits
	f9 := a.l4 >> 26

	g0 := b.l0 & maskLow26Bits
	g1 := b.l0 >> 26
	g2 := b.l1 & maskLow26Bits
	g3 := b.l1 >> 26
	g4 := b.l2 & maskLow26Bits
	g5 := b.l2 >> 26
	g6 := b.l3 & maskLow26Bits
	g7 := b.l3 >> 26
	g8 := b.l4 & maskLow26Bits
	g9 := b.l4 >> 26

	// fi·gj lands at position pos(i)+pos(j), which is pos(i+j) plus one bit
	// when i and j are both odd (hence the doubled odd f); columns at or
	// above 2^255 wrap around times 19 (2^255 = 19 mod p).
	g1_19 := 19 * g1
	g2_19 := 19 * g2
	g3_19 := 19 * g3
	g4_19 := 19 * g4
	g5_19 := 19 * g5
	g6_19 := 19 * g6
	g7_19 := 19 * g7
	g8_19 := 19 * g8
	g9_19 := 19 * g9
	f1_2 := 2 * f1
	f3_2 := 2 * f3
	f5_2 := 2 * f5
	f7_2 := 2 * f7
	f9_2 := 2 * f9

	h0 := f0*g0 + f1_2*g9_19 + f2*g8_19 + f3_2*g7_19 + f4*g6_19 + f5_2*g5_19 + f6*g4_19 + f7_2*g3_19 + f8*g2_19 + f9_2*g1_19
	h1 := f0*g1 + f1*g0 + f2*g9_19 + f3*g8_19 + f4*g7_19 + f5*g6_19 + f6*g5_19 + f7*g4_19 + f8*g3_19 + f9*g2_19
	h2 := f0*g2 + f1_2*g1 + f2*g0 + f3_2*g9_19 + f4*g8_19 + f5_2*g7_19 + f6*g6_19 + f7_2*g5_19 + f8*g4_19 + f9_2*g3_19
	h3 := f0*g3 + f1*g2 + f2*g1 + f3*g0 + f4*g9_19 + f5*g8_19 + f6*g7_19 + f7*g6_19 + f8*g5_19 + f9*g4_19
	h4 := f0*g4 + f1_2*g3 + f2*g2 + f3_2*g1 + f4*g0 + f5_2*g9_19 + f6*g8_19 + f7_2*g7_19 + f8*g6_19 + f9_2*g5_19
	h5 := f0*g5 + f1*g4 + f2*g3 + f3*g2 + f4*g1 + f5*g0 + f6*g9_19 + f7*g8_19 + f8*g7_19 + f9*g6_19
	h6 := f0*g6 + f1_2*g5 + f2*g4 + f3_2*g3 + f4*g2 + f5_2*g1 + f6*g0 + f7_2*g9_19 + f8*g8_19 + f9_2*g7_19
	h7 := f0*g7 + f1*g6 + f2*g5 + f3*g4 + f4*g3 + f5*g2 + f6*g1 + f7*g0 + f8*g9_19 + f9*g8_19
	h8 := f0*g8 + f1_2*g7 + f2*g6 + f3_2*g5 + f4*g4 + f5_2*g3 + f6*g2 + f7_2*g1 + f8*g0 + f9_2*g9_19
	h9 := f0*g9 + f1*g8 + f2*g7 + f3*g6 + f4*g5 + f5*g4 + f6*g3 + f7*g2 + f8*g1 + f9*g0

	carry32(v, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9)
}

// feSquare32 sets v = a * a, like feSquareGeneric, from products of values
// below 2^27 only. Same bounds as feMul32: limbs below 2^53 in, below 2^52
// out (each column is again at most ten products' worth times 38).
func feSquare32(v, a *Element) {
	f0 := a.l0 & maskLow26Bits
	f1 := a.l0 >> 26
	f2 := a.l1 & maskLow26Bits
	f3 := a.l1 >> 26
	f4 := a.l2 & maskLow26Bits
	f5 := a.l2 >> 26
	f6 := a.l3 & maskLow26Bits
	f7 := a.l3 >> 26
	f8 := a.l4 & maskLow26Bits
	f9 := a.l4 >> 26

	f0_2 := 2 * f0
	f1_2 := 2 * f1
	f2_2 := 2 * f2
	f3_2 := 2 * f3
	f4_2 := 2 * f4
	f5_2 := 2 * f5
	f6_2 := 2 * f6
	f7_2 := 2 * f7
	f5_38 := 38 * f5
	f6_19 := 19 * f6
	f7_38 := 38 * f7
	f8_19 := 19 * f8
	f9_38 := 38 * f9

	// The cross terms fi·fj (i≠j) appear twice; odd·odd ones once more
	// doubled, and the wrapped ones times 19, as in feMul32.
	h0 := f0*f0 + f1_2*f9_38 + f2_2*f8_19 + f3_2*f7_38 + f4_2*f6_19 + f5*f5_38
	h1 := f0_2*f1 + f2*f9_38 + f3_2*f8_19 + f4*f7_38 + f5_2*f6_19
	h2 := f0_2*f2 + f1_2*f1 + f3_2*f9_38 + f4_2*f8_19 + f5_2*f7_38 + f6*f6_19
	h3 := f0_2*f3 + f1_2*f2 + f4*f9_38 + f5_2*f8_19 + f6*f7_38
	h4 := f0_2*f4 + f1_2*f3_2 + f2*f2 + f5_2*f9_38 + f6_2*f8_19 + f7*f7_38
	h5 := f0_2*f5 + f1_2*f4 + f2_2*f3 + f6*f9_38 + f7_2*f8_19
	h6 := f0_2*f6 + f1_2*f5_2 + f2_2*f4 + f3_2*f3 + f7_2*f9_38 + f8*f8_19
	h7 := f0_2*f7 + f1_2*f6 + f2_2*f5 + f3_2*f4 + f8*f9_38
	h8 := f0_2*f8 + f1_2*f7_2 + f2_2*f6 + f3_2*f5_2 + f4*f4 + f9*f9_38
	h9 := f0_2*f9 + f1_2*f8 + f2_2*f7 + f3_2*f6 + f4_2*f5

	carry32(v, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9)
}

// carry32 sets v to h0 + h1·2^26 + h2·2^51 + … + h9·2^230 (each hi below
// 2^62), reduced to limbs below 2^52: one carry pass through the ten
// columns, the top carry wrapping around times 19, then pairs of columns
// joined into 51-bit limbs.
func carry32(v *Element, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9 uint64) {
	h1 += h0 >> 26
	h0 &= maskLow26Bits
	h2 += h1 >> 25
	h1 &= maskLow25Bits
	h3 += h2 >> 26
	h2 &= maskLow26Bits
	h4 += h3 >> 25
	h3 &= maskLow25Bits
	h5 += h4 >> 26
	h4 &= maskLow26Bits
	h6 += h5 >> 25
	h5 &= maskLow25Bits
	h7 += h6 >> 26
	h6 &= maskLow26Bits
	h8 += h7 >> 25
	h7 &= maskLow25Bits
	h9 += h8 >> 26
	h8 &= maskLow26Bits
	h0 += mul19(h9 >> 25)
	h9 &= maskLow25Bits

	v.l0 = h0 + h1<<26
	v.l1 = h2 + h3<<26
	v.l2 = h4 + h5<<26
	v.l3 = h6 + h7<<26
	v.l4 = h8 + h9<<26
}
