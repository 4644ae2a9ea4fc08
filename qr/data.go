package qr

import "strings"

// alnumSet is the alphanumeric mode's alphabet, in value order.
const alnumSet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// mode is how a segment's characters are packed.
type mode int

const (
	numeric      mode = iota // 10 bits for 3 digits
	alphanumeric             // 11 bits for 2 characters of alnumSet
	byteMode                 // 8 bits a byte
)

// chooseMode picks the densest mode that holds all of s, as ZXing does
// (the empty text is byte mode).
func chooseMode(s string) mode {
	digits, alnum := false, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] >= '0' && s[i] <= '9':
			digits = true
		case strings.IndexByte(alnumSet, s[i]) >= 0:
			alnum = true
		default:
			return byteMode
		}
	}
	switch {
	case alnum:
		return alphanumeric
	case digits:
		return numeric
	}
	return byteMode
}

// indicator is the mode's 4-bit header.
func (m mode) indicator() int { return [...]int{0b0001, 0b0010, 0b0100}[m] }

// countBits is the width of the character count field in version v.
func (m mode) countBits(v int) int {
	class := 0
	switch {
	case v >= 27:
		class = 2
	case v >= 10:
		class = 1
	}
	return [...][3]int{{10, 12, 14}, {9, 11, 13}, {8, 16, 16}}[m][class]
}

// payloadBits is the size of n packed characters.
func (m mode) payloadBits(n int) int {
	switch m {
	case numeric:
		return 10*(n/3) + [3]int{0, 4, 7}[n%3]
	case alphanumeric:
		return 11*(n/2) + 6*(n%2)
	}
	return 8 * n
}

// bitWriter appends bits, most significant first.
type bitWriter struct {
	buf []byte
	n   int // bits written
}

func (w *bitWriter) write(v, bits int) {
	for i := bits - 1; i >= 0; i-- {
		if w.n%8 == 0 {
			w.buf = append(w.buf, 0)
		}
		if v>>i&1 == 1 {
			w.buf[w.n/8] |= 0x80 >> (w.n % 8)
		}
		w.n++
	}
}

// segment is a run of the text packed in one mode.
type segment struct {
	text string
	mode mode
}

// bits is the size of the segments in version v, headers included, or -1
// when a segment's count does not fit its field.
func bits(segs []segment, v int) int {
	n := 0
	for _, s := range segs {
		cb := s.mode.countBits(v)
		if len(s.text) >= 1<<cb {
			return -1
		}
		n += 4 + cb + s.mode.payloadBits(len(s.text))
	}
	return n
}

// minAlnumRun is the shortest run of alphanumeric characters worth a
// segment of its own between bytes: its header (4 + 11 bits, or 13 from
// version 27) and the byte segment it splits (4 + 16) cost about what
// 2.5 bits a character saves over 16 characters.
const minAlnumRun = 16

// mixed splits text into alphanumeric runs and byte runs, for texts that
// are alphanumeric but for a few characters (the constancia's link: an
// uppercase URL, "#", base32). Short alphanumeric runs stay in the bytes
// around them. It returns nil when the split is one segment.
func mixed(text string) []segment {
	var segs []segment
	start := 0
	for start < len(text) {
		end := start
		isAlnum := strings.IndexByte(alnumSet, text[start]) >= 0
		for end < len(text) && (strings.IndexByte(alnumSet, text[end]) >= 0) == isAlnum {
			end++
		}
		m := byteMode
		if isAlnum && (end-start >= minAlnumRun || start == 0 && end == len(text)) {
			m = alphanumeric
		}
		if k := len(segs) - 1; k >= 0 && segs[k].mode == m {
			segs[k].text = text[start-len(segs[k].text) : end]
		} else {
			segs = append(segs, segment{text[start:end], m})
		}
		start = end
	}
	if len(segs) < 2 {
		return nil
	}
	return segs
}

// dataCodewords encodes the segments in version v and pads them to
// capacity bytes: for each, mode, count, characters; then up to four
// terminator bits, zero bits to a byte, then 0xEC 0x11 alternately.
func dataCodewords(segs []segment, v, capacity int) []byte {
	w := &bitWriter{buf: make([]byte, 0, capacity)}
	for _, s := range segs {
		writeSegment(w, s.text, s.mode, v)
	}
	w.write(0, min(4, capacity*8-w.n))
	if w.n%8 != 0 {
		w.write(0, 8-w.n%8)
	}
	for i := 0; len(w.buf) < capacity; i++ {
		w.buf = append(w.buf, [2]byte{0xEC, 0x11}[i%2])
	}
	return w.buf
}

func writeSegment(w *bitWriter, text string, m mode, v int) {
	w.write(m.indicator(), 4)
	w.write(len(text), m.countBits(v))
	switch m {
	case numeric:
		for i := 0; i < len(text); i += 3 {
			group := text[i:min(i+3, len(text))]
			n := 0
			for _, c := range []byte(group) {
				n = 10*n + int(c-'0')
			}
			w.write(n, [4]int{0, 4, 7, 10}[len(group)])
		}
	case alphanumeric:
		for i := 0; i+1 < len(text); i += 2 {
			w.write(45*strings.IndexByte(alnumSet, text[i])+strings.IndexByte(alnumSet, text[i+1]), 11)
		}
		if len(text)%2 == 1 {
			w.write(strings.IndexByte(alnumSet, text[len(text)-1]), 6)
		}
	default:
		for i := 0; i < len(text); i++ {
			w.write(int(text[i]), 8)
		}
	}
}
