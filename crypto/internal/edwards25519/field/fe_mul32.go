// Multiplication and squaring for targets without a 64×64→128-bit multiply
// instruction (this project's addition to the vendored library; see
// ../README.md).
//
// On GOARCH=wasm, math/bits.Mul64 is not an intrinsic: each call is four
// 32×32-bit multiplies plus carry handling in plain Go, and feMulGeneric
// makes 25 of them. Here every limb of 51 bits is split in two, 26 bits and
// the rest, so that every partial product fits in a uint64 and a plain
// 64-bit multiply suffices; the columns are those of ten limbs of 26 and 25
// bits in the mixed radix 2^25.5 of the ref10 code (positions 0, 26, 51,
// 77, 102, 128, 153, 179, 204, 230), carried and joined back into five
// 51-bit limbs at the end.
//
// These functions carry no build tag so that native tests can compare them
// with feMulGeneric and feSquareGeneric; only fe_wasm.go wires them in.

package field

const (
	maskLow25Bits uint64 = (1 << 25) - 1
	maskLow26Bits uint64 = (1 << 26) - 1
)

// feMul32 sets v = a * b, like feMulGeneric, from products of values below
// 2^28 only. It accepts limbs below 2^53 (the Element invariant is 2^52)
// and returns limbs below 2^52.
//
// Each limb splits into lo (26 bits) and hi (the rest), and each limb
// product into lo·lo + (lo·hi' + hi·lo')·2^26 + hi·hi'·2^52, whose middle
// term is (lo+hi)(lo'+hi') - lo·lo' - hi·hi' (Karatsuba). By linearity the
// subtraction is done once per column rather than per product: 75 products
// instead of the 100 of a ten-limb schoolbook multiplication, and fewer
// values live at once, which on wasm means fewer spills to the stack.
//
// Bounds, with limbs below 2^53: lo < 2^26, hi < 2^27, lo+hi < 3·2^26. A
// column is at most five products, four of them times 19, so ll < 77·2^52,
// hh < 77·2^54 and mm < 77·9·2^52 < 2^61.5; the odd columns mm-ll-hh are
// exact and non-negative (they are sums of lo·hi' + hi·lo'), and the even
// ones ll + 2·hh (h0 = ll0 + 38·hh4 < 2^61.6) stay below 2^62 too. Each
// carry is then below 2^37 + 1, 19 times the top one below 2^42, so after
// the one carry pass h0 < 2^26 + 2^42, the other even columns are below
// 2^26 and the odd ones below 2^25: the joined limbs are below 2^51 + 2^42.
func feMul32(v, a, b *Element) {
	al0, ah0 := a.l0&maskLow26Bits, a.l0>>26
	al1, ah1 := a.l1&maskLow26Bits, a.l1>>26
	al2, ah2 := a.l2&maskLow26Bits, a.l2>>26
	al3, ah3 := a.l3&maskLow26Bits, a.l3>>26
	al4, ah4 := a.l4&maskLow26Bits, a.l4>>26
	bl0, bh0 := b.l0&maskLow26Bits, b.l0>>26
	bl1, bh1 := b.l1&maskLow26Bits, b.l1>>26
	bl2, bh2 := b.l2&maskLow26Bits, b.l2>>26
	bl3, bh3 := b.l3&maskLow26Bits, b.l3>>26
	bl4, bh4 := b.l4&maskLow26Bits, b.l4>>26

	// Three five-limb products with 51-bit spacing, columns at or above
	// 2^255 wrapped around times 19 (2^255 = 19 mod p), as in feMulGeneric.
	// The wrapped products of a column are summed before the one
	// multiplication by 19: a precomputed 19·b would be moved back out of
	// each product by the compiler, costing one multiplication per product.
	ll0 := al0*bl0 + 19*(al1*bl4+al2*bl3+al3*bl2+al4*bl1)
	ll1 := al0*bl1 + al1*bl0 + 19*(al2*bl4+al3*bl3+al4*bl2)
	ll2 := al0*bl2 + al1*bl1 + al2*bl0 + 19*(al3*bl4+al4*bl3)
	ll3 := al0*bl3 + al1*bl2 + al2*bl1 + al3*bl0 + 19*(al4*bl4)
	ll4 := al0*bl4 + al1*bl3 + al2*bl2 + al3*bl1 + al4*bl0

	hh0 := ah0*bh0 + 19*(ah1*bh4+ah2*bh3+ah3*bh2+ah4*bh1)
	hh1 := ah0*bh1 + ah1*bh0 + 19*(ah2*bh4+ah3*bh3+ah4*bh2)
	hh2 := ah0*bh2 + ah1*bh1 + ah2*bh0 + 19*(ah3*bh4+ah4*bh3)
	hh3 := ah0*bh3 + ah1*bh2 + ah2*bh1 + ah3*bh0 + 19*(ah4*bh4)
	hh4 := ah0*bh4 + ah1*bh3 + ah2*bh2 + ah3*bh1 + ah4*bh0

	as0, as1, as2, as3, as4 := al0+ah0, al1+ah1, al2+ah2, al3+ah3, al4+ah4
	bs0, bs1, bs2, bs3, bs4 := bl0+bh0, bl1+bh1, bl2+bh2, bl3+bh3, bl4+bh4

	// Ten columns at the mixed-radix positions 0, 26, 51, 77, …, 230:
	// column k of lo·lo at 51k, of the middle terms at 51k+26, of hi·hi at
	// 51k+52 = 51(k+1)+1, hence doubled into the next even column, the top
	// one wrapping around as 2·19 = 38.
	h1 := as0*bs0 + 19*(as1*bs4+as2*bs3+as3*bs2+as4*bs1) - ll0 - hh0
	h3 := as0*bs1 + as1*bs0 + 19*(as2*bs4+as3*bs3+as4*bs2) - ll1 - hh1
	h5 := as0*bs2 + as1*bs1 + as2*bs0 + 19*(as3*bs4+as4*bs3) - ll2 - hh2
	h7 := as0*bs3 + as1*bs2 + as2*bs1 + as3*bs0 + 19*(as4*bs4) - ll3 - hh3
	h9 := as0*bs4 + as1*bs3 + as2*bs2 + as3*bs1 + as4*bs0 - ll4 - hh4

	h0 := ll0 + 38*hh4
	h2 := ll1 + hh0<<1
	h4 := ll2 + hh1<<1
	h6 := ll3 + hh2<<1
	h8 := ll4 + hh3<<1

	// One carry pass through the ten columns (each below 2^62), the top
	// carry wrapping around times 19, then pairs of columns joined into
	// 51-bit limbs. (Written out here and in feSquare32: as a function it
	// would not be inlined, and a call costs on wasm.)
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

// feSquare32 sets v = a * a, like feSquareGeneric, from products of values
// below 2^28 only, on the ten 26- and 25-bit limbs directly (55 products;
// a Karatsuba split as in feMul32 measured no faster here). Same bounds as
// feMul32, limbs below 2^53 in and below 2^52 out: with odd limbs below
// 2^27 and even ones below 2^26, the largest column, h0, is below
// (1 + 38·(8+1+8+1+4))·2^52 < 2^62, and the carry pass is the same.
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
	f7_2 := 2 * f7

	// The cross terms fi·fj (i≠j) appear twice, odd·odd ones doubled once
	// more, and the wrapped ones times 19, as in feMul32 (2·19 = 38).
	h0 := f0*f0 + 38*(f1_2*f9+f2*f8+f3_2*f7+f4*f6+f5*f5)
	h1 := f0_2*f1 + 38*(f2*f9+f3*f8+f4*f7+f5*f6)
	h2 := f0_2*f2 + f1_2*f1 + 19*((f3_2*f9+f4*f8+f5_2*f7)<<1+f6*f6)
	h3 := f0_2*f3 + f1_2*f2 + 38*(f4*f9+f5*f8+f6*f7)
	h4 := f0_2*f4 + f1_2*f3_2 + f2*f2 + 38*(f5_2*f9+f6*f8+f7*f7)
	h5 := f0_2*f5 + f1_2*f4 + f2_2*f3 + 38*(f6*f9+f7*f8)
	h6 := f0_2*f6 + f1_2*f5_2 + f2_2*f4 + f3_2*f3 + 19*((f7_2*f9)<<1+f8*f8)
	h7 := f0_2*f7 + f1_2*f6 + f2_2*f5 + f3_2*f4 + 38*(f8*f9)
	h8 := f0_2*f8 + f1_2*f7_2 + f2_2*f6 + f3_2*f5_2 + f4*f4 + 38*(f9*f9)
	h9 := f0_2*f9 + f1_2*f8 + f2_2*f7 + f3_2*f6 + f4_2*f5

	// The same carry pass as in feMul32.
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
