package stats

import (
	"cmp"
	"slices"
)

// K is the anonymity threshold: no published count is below it.
const K = 10

// protect decides how each cell of one table is published.
//
// Primary suppression: every count below K (0 included, so that a missing
// row cannot tell a 0 from a 1) is Small.
//
// Complementary suppression: the table's total is public (it is every
// table's total, and any table without a Small cell gives it away), so a
// lone Small cell would be the total minus the rest. When there is any
// Small cell, the smallest shown cells are Withheld, one at a time, until
// an attacker cannot pin down the Small cells' sum. That attacker knows
// the total, the shown cells, that a Withheld cell is at least K and —
// since this rule is public — at most b, the smallest cell still shown.
// The sum of the Small cells is then known only to lie in
// [true − Σ(b − w), true + Σ(w − K)] over the Withheld cells w; we
// withhold until both margins are at least K (or nothing is left to
// withhold). So no Small cell, nor their sum, can be recovered: the sum is
// uncertain by at least K either way, and a single cell by as much.
func protect(counts []int) []Mark {
	marks := make([]Mark, len(counts))
	var shown []int
	for i, n := range counts {
		if n < K {
			marks[i] = Small
		} else {
			shown = append(shown, i)
		}
	}
	if len(shown) == len(counts) {
		return marks
	}
	slices.SortStableFunc(shown, func(a, b int) int { return cmp.Compare(counts[a], counts[b]) })
	var withheld []int
	for len(shown) > 0 && !safe(counts, withheld, counts[shown[0]]) {
		marks[shown[0]] = Withheld
		withheld = append(withheld, shown[0])
		shown = shown[1:]
	}
	return marks
}

// safe reports whether withholding the cells withheld, with b the
// smallest cell still shown, leaves both margins at least K.
func safe(counts, withheld []int, b int) bool {
	if len(withheld) == 0 {
		return false
	}
	up, down := 0, 0
	for _, i := range withheld {
		up += counts[i] - K
		down += b - counts[i]
	}
	return up >= K && down >= K
}
