package stats

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestProtect(t *testing.T) {
	t.Parallel()
	S, W, H := Small, Withheld, Shown
	for _, tc := range []struct {
		name   string
		counts []int
		want   []Mark
	}{
		{"nothing small", []int{10, 50, 300}, []Mark{H, H, H}},
		{"empty", nil, []Mark{}},
		{"all small", []int{0, 3, 9}, []Mark{S, S, S}},
		{"one small, one big gap", []int{3, 40, 500}, []Mark{S, W, H}},
		// 20 alone leaves 21−20 = 1 below: 21 goes too; then 500 − 20 +
		// 500 − 21 is plenty.
		{"close neighbours", []int{3, 20, 21, 500}, []Mark{S, W, W, H}},
		// 10 has no room above K: withholding it hides nothing.
		{"a ten is not enough", []int{4, 10, 30, 80}, []Mark{S, W, W, H}},
		{"zeros count as small", []int{0, 0, 100, 200}, []Mark{S, S, W, H}},
		{"nothing left to withhold", []int{2, 12}, []Mark{S, W}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := protect(tc.counts); !slices.Equal(got, tc.want) {
				t.Errorf("protect(%v) = %v, want %v", tc.counts, got, tc.want)
			}
		})
	}
}

// TestNoSmallCellRecoverable: an attacker who knows the rule, the total
// and every published cell enumerates every table consistent with them.
// When the rule's margins are met, each Small cell could still be
// anything from 0 to 9. When they cannot be (too few large cells), every
// cell is suppressed: the residual case docs/AUDIT.md describes. No table
// is ever left with a single suppressed cell.
func TestNoSmallCellRecoverable(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		counts := make([]int, 2+rng.IntN(4))
		for i := range counts {
			if rng.IntN(3) == 0 {
				counts[i] = rng.IntN(K)
			} else {
				counts[i] = K + rng.IntN(40)
			}
		}
		marks := protect(counts)
		suppressed, small, withheld := 0, 0, false
		for i, m := range marks {
			switch {
			case m == Shown && counts[i] < K:
				t.Fatalf("%v: a count below K shown", counts)
			case m == Small && counts[i] >= K:
				t.Fatalf("%v: %d marked small", counts, counts[i])
			}
			if m != Shown {
				suppressed++
			}
			if m == Small {
				small++
			}
			withheld = withheld || m == Withheld
		}
		if suppressed == 1 {
			t.Fatalf("%v %v: a lone suppressed cell", counts, marks)
		}
		if !withheld {
			continue
		}
		var held []int
		b, shown := 1<<20, false
		for i, m := range marks {
			if m == Withheld {
				held = append(held, i)
			}
			if m == Shown {
				b, shown = min(b, counts[i]), true
			}
		}
		if !safe(counts, held, b) {
			if shown {
				t.Fatalf("%v %v: margins not met, yet cells are shown", counts, marks)
			}
			continue
		}
		for i, m := range marks {
			if m != Small {
				continue
			}
			if got := feasible(counts, marks, i); len(got) != K {
				t.Fatalf("%v %v: cell %d could only be %v", counts, marks, i, got)
			}
		}
	}
}

// feasible returns the values cell i can take in a table consistent with
// what is published: the shown cells, the total, Small cells in [0, K),
// Withheld ones in [K, b], b the smallest shown cell.
func feasible(counts []int, marks []Mark, i int) []int {
	total, rest, b := 0, 0, 1<<20
	var hidden []int
	for j, n := range counts {
		total += n
		switch marks[j] {
		case Shown:
			rest += n
			b = min(b, n)
		default:
			hidden = append(hidden, j)
		}
	}
	seen := map[int]bool{}
	var walk func(k, left, vi int)
	walk = func(k, left, vi int) {
		if k == len(hidden) {
			if left == 0 {
				seen[vi] = true
			}
			return
		}
		lo, hi := 0, K-1
		if marks[hidden[k]] == Withheld {
			lo, hi = K, b
		}
		for v := lo; v <= min(hi, left); v++ {
			nvi := vi
			if hidden[k] == i {
				nvi = v
			}
			walk(k+1, left-v, nvi)
		}
	}
	walk(0, total-rest, -1)
	out := make([]int, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}
