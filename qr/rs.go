package qr

// Reed–Solomon over GF(256) with the QR polynomial x⁸+x⁴+x³+x²+1 (0x11d)
// and generator roots α⁰…αⁿ⁻¹.

var gfExp, gfLog = func() (exp [512]byte, log [256]byte) {
	x := 1
	for i := range 255 {
		exp[i], log[x] = byte(x), byte(i)
		x <<= 1
		if x&0x100 != 0 {
			x ^= 0x11d
		}
	}
	for i := 255; i < 512; i++ {
		exp[i] = exp[i-255]
	}
	return exp, log
}()

func gfMul(a, b byte) byte {
	if a == 0 || b == 0 {
		return 0
	}
	return gfExp[int(gfLog[a])+int(gfLog[b])]
}

// generator returns ∏(x − αⁱ) for i < n, highest coefficient first.
func generator(n int) []byte {
	g := []byte{1}
	for i := range n {
		next := make([]byte, len(g)+1)
		for j, c := range g {
			next[j] ^= c
			next[j+1] ^= gfMul(c, gfExp[i])
		}
		g = next
	}
	return g
}

// ecBytes returns the n error correction bytes of data under gen.
func ecBytes(data, gen []byte) []byte {
	n := len(gen) - 1
	rem := make([]byte, n)
	for _, d := range data {
		factor := d ^ rem[0]
		copy(rem, rem[1:])
		rem[n-1] = 0
		if factor != 0 {
			for j := range n {
				rem[j] ^= gfMul(gen[j+1], factor)
			}
		}
	}
	return rem
}

// interleave splits data into the version's blocks (the shorter ones
// first), adds each block's error correction and interleaves them: data
// bytes column by column, then error correction bytes.
func interleave(data []byte, lay *layout) []byte {
	nBlocks := lay.blocks
	long := lay.totalBytes % nBlocks // blocks with one more data byte
	short := lay.dataBytes / nBlocks
	ecLen := lay.totalBytes/nBlocks - short
	gen := generator(ecLen)
	blocks := make([][]byte, nBlocks)
	ecs := make([][]byte, nBlocks)
	off := 0
	for b := range nBlocks {
		n := short
		if b >= nBlocks-long {
			n++
		}
		blocks[b], ecs[b] = data[off:off+n], ecBytes(data[off:off+n], gen)
		off += n
	}
	out := make([]byte, 0, lay.totalBytes)
	for i := range short + 1 {
		for _, blk := range blocks {
			if i < len(blk) {
				out = append(out, blk[i])
			}
		}
	}
	for i := range ecLen {
		for _, ec := range ecs {
			out = append(out, ec[i])
		}
	}
	return out
}
