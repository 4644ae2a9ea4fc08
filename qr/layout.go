package qr

import (
	"sync"

	"github.com/makiuchi-d/gozxing/qrcode/decoder"
)

// layout is what a version fixes, computed once: its capacity at level
// Q, its function patterns and the path of its data modules.
type layout struct {
	size                  int
	totalBytes, dataBytes int
	blocks                int
	fixed                 []byte  // function patterns; free cells 0
	path                  []int32 // data cells in placement order
	formatA, formatB      [15]int32
	maskBits              [8][]byte // 1 where mask m inverts a data cell, along path
}

const free = 2 // a cell no pattern has claimed yet

var layouts [41]struct {
	once sync.Once
	lay  *layout
}

// layoutFor returns version v's layout (1 ≤ v ≤ 40).
func layoutFor(v int) *layout {
	l := &layouts[v]
	l.once.Do(func() { l.lay = newLayout(v) })
	return l.lay
}

func newLayout(v int) *layout {
	ver, _ := decoder.Version_GetVersionForNumber(v)
	ec := ver.GetECBlocksForLevel(decoder.ErrorCorrectionLevel_Q)
	size := 17 + 4*v
	lay := &layout{size: size, totalBytes: ver.GetTotalCodewords(), blocks: ec.GetNumBlocks()}
	lay.dataBytes = lay.totalBytes - ec.GetTotalECCodewords()
	g := make([]byte, size*size)
	for i := range g {
		g[i] = free
	}
	set := func(x, y int, b byte) { g[y*size+x] = b }
	finders(set, size)
	set(8, size-8, 1) // the dark module
	alignment(g, set, size, ver.GetAlignmentPatternCenters())
	for i := 8; i < size-8; i++ { // timing patterns
		if g[6*size+i] == free {
			set(i, 6, byte((i+1)%2))
		}
		if g[i*size+6] == free {
			set(6, i, byte((i+1)%2))
		}
	}
	lay.reserveFormat(set)
	if v >= 7 {
		versionInfo(set, size, v)
	}
	lay.path = dataPath(g, size)
	for i, c := range g {
		if c == free {
			g[i] = 0
		}
	}
	lay.fixed = g
	for m := range 8 {
		lay.maskBits[m] = make([]byte, len(lay.path))
		for k, cell := range lay.path {
			if maskBit(m, int(cell)%size, int(cell)/size) {
				lay.maskBits[m][k] = 1
			}
		}
	}
	return lay
}

// finders draws the three finder patterns and their light separators.
func finders(set func(x, y int, b byte), size int) {
	for _, o := range [][2]int{{0, 0}, {size - 7, 0}, {0, size - 7}} {
		for dy := -1; dy <= 7; dy++ {
			for dx := -1; dx <= 7; dx++ {
				x, y := o[0]+dx, o[1]+dy
				if x < 0 || y < 0 || x >= size || y >= size {
					continue
				}
				ring := max(abs(dx-3), abs(dy-3)) // 0 centre … 3 edge, 4 separator
				set(x, y, dark(ring != 2 && ring != 4))
			}
		}
	}
}

// alignment draws the 5×5 alignment patterns centred where no finder is.
func alignment(g []byte, set func(x, y int, b byte), size int, centres []int) {
	for _, cy := range centres {
		for _, cx := range centres {
			if g[cy*size+cx] != free {
				continue
			}
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					set(cx+dx, cy+dy, dark(max(abs(dx), abs(dy)) != 1))
				}
			}
		}
	}
}

// reserveFormat notes the two copies of the 15 format bits (bit i, least
// significant first) and claims their cells.
func (lay *layout) reserveFormat(set func(x, y int, b byte)) {
	a := [15][2]int{{8, 0}, {8, 1}, {8, 2}, {8, 3}, {8, 4}, {8, 5}, {8, 7}, {8, 8},
		{7, 8}, {5, 8}, {4, 8}, {3, 8}, {2, 8}, {1, 8}, {0, 8}}
	for i := range 15 {
		x2, y2 := lay.size-1-i, 8
		if i >= 8 {
			x2, y2 = 8, lay.size-7+(i-8)
		}
		lay.formatA[i] = int32(a[i][1]*lay.size + a[i][0])
		lay.formatB[i] = int32(y2*lay.size + x2)
		set(a[i][0], a[i][1], 0)
		set(x2, y2, 0)
	}
}

// versionInfo draws the two copies of the 18-bit version information
// (versions 7 and up): bit 3i+j at column i, row size−11+j, and mirrored.
func versionInfo(set func(x, y int, b byte), size, v int) {
	bits := v<<12 | bch(v, 0x1f25)
	for i := range 6 {
		for j := range 3 {
			b := byte(bits >> (3*i + j) & 1)
			set(i, size-11+j, b)
			set(size-11+j, i, b)
		}
	}
}

// dataPath lists the free cells in placement order: two-column strips
// from the right, up then down, skipping the vertical timing column.
func dataPath(g []byte, size int) []int32 {
	var path []int32
	dir := -1
	y := size - 1
	for x := size - 1; x > 0; x -= 2 {
		if x == 6 {
			x--
		}
		for ; y >= 0 && y < size; y += dir {
			for i := range 2 {
				if g[y*size+x-i] == free {
					path = append(path, int32(y*size+x-i))
				}
			}
		}
		dir = -dir
		y += dir
	}
	return path
}

// maskBit reports whether mask m inverts the module at column x, row y.
func maskBit(m, x, y int) bool {
	switch m {
	case 0:
		return (y+x)%2 == 0
	case 1:
		return y%2 == 0
	case 2:
		return x%3 == 0
	case 3:
		return (y+x)%3 == 0
	case 4:
		return (y/2+x/3)%2 == 0
	case 5:
		return (y*x)%2+(y*x)%3 == 0
	case 6:
		return ((y*x)%2+(y*x)%3)%2 == 0
	}
	return ((y*x)%3+(y+x)%2)%2 == 0
}

// bch appends the remainder of value·x^deg(poly) divided by poly.
func bch(value, poly int) int {
	deg := bitLen(poly) - 1
	v := value << deg
	for bitLen(v) > deg {
		v ^= poly << (bitLen(v) - bitLen(poly))
	}
	return v
}

func bitLen(v int) int {
	n := 0
	for ; v > 0; v >>= 1 {
		n++
	}
	return n
}

func abs(v int) int { return max(v, -v) }

func dark(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// fill writes the final codewords along the path under mask m, and the
// format bits for level Q and m, into grid.
func (lay *layout) fill(grid, final []byte, m int) {
	copy(grid, lay.fixed)
	mb := lay.maskBits[m]
	nBits := len(final) * 8
	for k, cell := range lay.path {
		var bit byte
		if k < nBits {
			bit = final[k/8] >> (7 - k%8) & 1
		}
		grid[cell] = bit ^ mb[k]
	}
	const levelQ = 0b11
	format := (levelQ<<3|m)<<10 | bch(levelQ<<3|m, 0x537)
	format ^= 0x5412
	for i := range 15 {
		b := byte(format >> i & 1)
		grid[lay.formatA[i]] = b
		grid[lay.formatB[i]] = b
	}
}
