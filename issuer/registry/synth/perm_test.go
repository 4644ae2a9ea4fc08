package synth

import "testing"

func TestPermBijective(t *testing.T) {
	t.Parallel()
	for _, n := range []uint64{1, 2, 10, 1000, 4096, 10007} {
		p := newPerm(42, 1, n)
		seen := make([]bool, n)
		for x := uint64(0); x < n; x++ {
			y := p.forward(x)
			if y >= n || seen[y] {
				t.Fatalf("n=%d: forward(%d) = %d repeats or out of range", n, x, y)
			}
			seen[y] = true
			if p.inverse(y) != x {
				t.Fatalf("n=%d: inverse(forward(%d)) = %d", n, x, p.inverse(y))
			}
		}
	}
}

func TestPermLargeDomains(t *testing.T) {
	t.Parallel()
	for _, n := range []uint64{1e8, 1e9, 1e14} {
		p := newPerm(7, 2, n)
		for x := uint64(0); x < 2000; x++ {
			y := p.forward(x)
			if y >= n || p.inverse(y) != x {
				t.Fatalf("n=%d x=%d y=%d", n, x, y)
			}
		}
	}
}

func TestRNGDeterministic(t *testing.T) {
	t.Parallel()
	a, b := newRNG(1, 2, 3), newRNG(1, 2, 3)
	c := newRNG(1, 2, 4)
	same := true
	for i := 0; i < 100; i++ {
		x := a.next()
		if x != b.next() {
			t.Fatal("same seed, different stream")
		}
		same = same && x == c.next()
	}
	if same {
		t.Fatal("different streams are equal")
	}
	r := newRNG(9, 9, 9)
	for i := 0; i < 10000; i++ {
		if v := r.between(3, 5); v < 3 || v > 5 {
			t.Fatalf("between = %d", v)
		}
	}
}
