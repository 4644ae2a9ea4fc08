package qr

// The mask penalty of ISO/IEC 18004 §8.8.2 as ZXing computes it (weights
// N1 3, N2 3, N3 40, N4 10), so that the same mask wins. Rows of the grid
// and of its transpose are scored alike: columns read as rows stay in
// cache.

// penalty scores a size×size grid of 0 and 1; t is scratch of the same size.
func penalty(g, t []byte, size int) int {
	for y := range size {
		for x := range size {
			t[x*size+y] = g[y*size+x]
		}
	}
	p := blocks(g, size) + balance(g)
	for i := range size {
		row, col := g[i*size:(i+1)*size], t[i*size:(i+1)*size]
		p += runs(row) + runs(col) + finderLike(row) + finderLike(col)
	}
	return p
}

// runs: 3 + (n − 5) for each run of n ≥ 5 same modules in a line.
func runs(line []byte) int {
	p, n := 0, 1
	for j := 1; j < len(line); j++ {
		if line[j] == line[j-1] {
			n++
			continue
		}
		if n >= 5 {
			p += 3 + n - 5
		}
		n = 1
	}
	if n >= 5 {
		p += 3 + n - 5
	}
	return p
}

// blocks: 3 for each 2×2 block of one colour.
func blocks(g []byte, size int) int {
	p := 0
	for y := range size - 1 {
		r, s := g[y*size:(y+1)*size], g[(y+1)*size:(y+2)*size]
		for x := range size - 1 {
			if v := r[x]; v == r[x+1] && v == s[x] && v == s[x+1] {
				p += 3
			}
		}
	}
	return p
}

// finderLike: 40 for each 1:1:3:1:1 dark-light pattern in a line with
// four light modules (or the edge) on one side.
func finderLike(l []byte) int {
	n := 0
	for x := 0; x+6 < len(l); x++ {
		if l[x] == 1 && l[x+1] == 0 && l[x+2] == 1 && l[x+3] == 1 && l[x+4] == 1 && l[x+5] == 0 && l[x+6] == 1 &&
			(allLight(l[max(x-4, 0):x]) || allLight(l[x+7:min(x+11, len(l))])) {
			n++
		}
	}
	return 40 * n
}

func allLight(l []byte) bool {
	for _, v := range l {
		if v == 1 {
			return false
		}
	}
	return true
}

// balance: 10 for each full 5 % the dark share is away from half.
func balance(g []byte) int {
	dark := 0
	for _, v := range g {
		dark += int(v)
	}
	d := 2*dark - len(g)
	return max(d, -d) * 10 / len(g) * 10
}
