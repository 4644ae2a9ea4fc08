// Tests of fe_mul32.go, this project's addition to the vendored library
// (see ../README.md). They run on every GOARCH: feMul32 and feSquare32 carry
// no build tag, so the native run checks them too.

package field

import (
	"math/big"
	mathrand "math/rand"
	"runtime"
	"testing"
	"testing/quick"
)

// sameElement reports whether feMul/feSquare's result a matches the generic
// one, b. Where they are the amd64 assembly, a twin of the generic code, the
// limbs must be identical; on wasm they are feMul32/feSquare32, whose limbs
// are another representation of the same field element.
func sameElement(a, b Element) bool {
	if runtime.GOARCH == "wasm" {
		return a.Equal(&b) == 1
	}
	return a == b
}

// limbsBig returns l0 + l1·2^51 + … + l4·2^204 mod p, read from the limbs
// themselves (not through Bytes, which is built on the code under test).
func limbsBig(v *Element) *big.Int {
	n := new(big.Int)
	for _, l := range []uint64{v.l4, v.l3, v.l2, v.l1, v.l0} {
		n.Lsh(n, 51)
		n.Add(n, new(big.Int).SetUint64(l))
	}
	return n.Mod(n, bigP)
}

// checkMul32 checks feMul32(a, b) and, when a == b, feSquare32(a) against
// math/big and against the generic code, and that the limbs are below 2^52.
func checkMul32(t *testing.T, a, b Element) {
	t.Helper()
	want := new(big.Int).Mul(limbsBig(&a), limbsBig(&b))
	want.Mod(want, bigP)

	var got, gen Element
	feMul32(&got, &a, &b)
	feMulGeneric(&gen, &a, &b)
	if !isInBounds(&got) || limbsBig(&got).Cmp(want) != 0 || got.Equal(&gen) != 1 {
		t.Fatalf("feMul32(%#v, %#v) = %#v, want %v (generic %#v)", a, b, got, want, gen)
	}
	if a != b {
		return
	}
	feSquare32(&got, &a)
	feSquareGeneric(&gen, &a)
	if !isInBounds(&got) || limbsBig(&got).Cmp(want) != 0 || got.Equal(&gen) != 1 {
		t.Fatalf("feSquare32(%#v) = %#v, want %v (generic %#v)", a, got, want, gen)
	}
}

func TestFeMul32Random(t *testing.T) {
	// Generate gives random limbs below 2^52 half the time and the
	// library's weird edge-case limbs the other half.
	f := func(a, b Element) bool {
		checkMul32(t, a, b)
		checkMul32(t, a, a)
		return true
	}
	if err := quick.Check(f, quickCheckConfig(256)); err != nil {
		t.Error(err)
	}
}

// extremeLimbs are limb values at and around the edges of the split into
// 26- and 25-bit halves and of the bounds: 2^52-1 is the largest limb the
// library allows between operations (the Element invariant), and 2^53-1 the
// largest feMul32 is documented to accept.
var extremeLimbs = []uint64{
	0, 1, 2, 18, 19, 20,
	1<<25 - 1, 1 << 25, 1<<26 - 1, 1 << 26, 1<<26 + 1,
	1<<51 - 20, 1<<51 - 19, 1<<51 - 1, 1 << 51, 1<<51 + 1,
	1<<51 + 1<<26 - 1, 1<<51 + 19*(1<<13-1), // carryPropagate's largest l0
	1<<52 - 19, 1<<52 - 1,
	1<<53 - 1,
}

// extremeElements returns elements whose limbs all come from extremeLimbs:
// every uniform one (all five limbs equal), every one with a single limb
// different from zero or from the all-max value, and random mixtures.
func extremeElements(rng *mathrand.Rand, random int) []Element {
	var out []Element
	max52 := Element{1<<52 - 1, 1<<52 - 1, 1<<52 - 1, 1<<52 - 1, 1<<52 - 1}
	for _, l := range extremeLimbs {
		out = append(out, Element{l, l, l, l, l})
		for i := 0; i < 5; i++ {
			for _, base := range []Element{{}, max52} {
				e := base
				*limb(&e, i) = l
				out = append(out, e)
			}
		}
	}
	for i := 0; i < random; i++ {
		var e Element
		for j := 0; j < 5; j++ {
			*limb(&e, j) = extremeLimbs[rng.Intn(len(extremeLimbs))]
		}
		out = append(out, e)
	}
	return out
}

func limb(e *Element, i int) *uint64 {
	return [...]*uint64{&e.l0, &e.l1, &e.l2, &e.l3, &e.l4}[i]
}

func TestFeMul32Extremes(t *testing.T) {
	rng := mathrand.New(mathrand.NewSource(1))
	n := 150
	if testing.Short() {
		n = 40
	}
	elems := extremeElements(rng, n)
	for _, a := range elems {
		for _, b := range elems {
			checkMul32(t, a, b)
		}
	}
}

// TestFeMul32LibraryBounds feeds feMul32 the largest limbs the library's own
// operations produce: sums and differences (carryPropagate'd, not reduced),
// Mult32 results (not carried at all) and previous products.
func TestFeMul32LibraryBounds(t *testing.T) {
	rng := mathrand.New(mathrand.NewSource(2))
	max52 := Element{1<<52 - 1, 1<<52 - 1, 1<<52 - 1, 1<<52 - 1, 1<<52 - 1}
	var sum, diff, m32, prod Element
	sum.Add(&max52, &max52)
	diff.Subtract(&Element{}, &max52)
	m32.Mult32(&max52, 1<<32-1)
	feMul32(&prod, &max52, &max52)
	inputs := []Element{max52, sum, diff, m32, prod}
	for i := 0; i < 200; i++ {
		x := generateFieldElement(rng)
		y := generateWeirdFieldElement(rng)
		var e Element
		switch i % 4 {
		case 0:
			e.Add(&x, &y)
		case 1:
			e.Subtract(&x, &y)
		case 2:
			e.Mult32(&x, rng.Uint32())
		case 3:
			feMul32(&e, &x, &y)
		}
		inputs = append(inputs, e)
	}
	for _, a := range inputs {
		if !isInBounds(&a) {
			t.Fatalf("library produced limbs over 52 bits: %#v", a)
		}
		for _, b := range inputs {
			checkMul32(t, a, b)
		}
	}
}

// TestFeMul32Chain squares and multiplies a long chain with both the
// generic and the 32-bit code, feeding each step's output back in.
func TestFeMul32Chain(t *testing.T) {
	rng := mathrand.New(mathrand.NewSource(3))
	for n := 0; n < 20; n++ {
		x, y := generateFieldElement(rng), generateWeirdFieldElement(rng)
		g, h := x, x
		for i := 0; i < 500; i++ {
			if i%7 == 0 {
				feMulGeneric(&g, &g, &y)
				feMul32(&h, &h, &y)
			} else {
				feSquareGeneric(&g, &g)
				feSquare32(&h, &h)
			}
			if g.Equal(&h) != 1 || !isInBounds(&h) {
				t.Fatalf("chain from %#v, %#v diverged at step %d: %#v vs generic %#v", x, y, i, h, g)
			}
		}
	}
}

func TestFeMul32Aliasing(t *testing.T) {
	rng := mathrand.New(mathrand.NewSource(4))
	for i := 0; i < 100; i++ {
		x, y := generateFieldElement(rng), generateWeirdFieldElement(rng)
		var want Element
		feMul32(&want, &x, &y)
		a, b := x, y
		feMul32(&a, &a, &b)
		c, d := x, y
		feMul32(&d, &c, &d)
		if a != want || d != want {
			t.Fatalf("feMul32 with aliasing: %#v, %#v, want %#v", a, d, want)
		}
		feSquare32(&want, &x)
		a = x
		feSquare32(&a, &a)
		if a != want {
			t.Fatalf("feSquare32 with aliasing: %#v, want %#v", a, want)
		}
	}
}

func BenchmarkMultiplyGeneric(b *testing.B) {
	x := new(Element).One()
	y := new(Element).Add(x, x)
	for b.Loop() {
		feMulGeneric(x, x, y)
	}
}

func BenchmarkMultiply32(b *testing.B) {
	x := new(Element).One()
	y := new(Element).Add(x, x)
	for b.Loop() {
		feMul32(x, x, y)
	}
}

func BenchmarkSquareGeneric(b *testing.B) {
	x := new(Element).Add(feOne, feOne)
	for b.Loop() {
		feSquareGeneric(x, x)
	}
}

func BenchmarkSquare32(b *testing.B) {
	x := new(Element).Add(feOne, feOne)
	for b.Loop() {
		feSquare32(x, x)
	}
}
