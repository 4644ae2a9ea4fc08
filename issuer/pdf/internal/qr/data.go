package qr

import "strings"

// alnumSet is the alphanumeric mode's alphabet, in value order.
const alnumSet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

func alphanumeric(s string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(alnumSet, s[i]) < 0 {
			return false
		}
	}
	return true
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

// dataCodewords encodes text in version v and pads it to capacity bytes:
// mode, count, characters, up to four terminator bits, zero bits to a
// byte, then 0xEC 0x11 alternately.
func dataCodewords(text string, alnum bool, v, capacity int) []byte {
	w := &bitWriter{buf: make([]byte, 0, capacity)}
	if alnum {
		w.write(0b0010, 4)
		w.write(len(text), countBits(v, true))
		for i := 0; i+1 < len(text); i += 2 {
			w.write(45*strings.IndexByte(alnumSet, text[i])+strings.IndexByte(alnumSet, text[i+1]), 11)
		}
		if len(text)%2 == 1 {
			w.write(strings.IndexByte(alnumSet, text[len(text)-1]), 6)
		}
	} else {
		w.write(0b0100, 4)
		w.write(len(text), countBits(v, false))
		for i := 0; i < len(text); i++ {
			w.write(int(text[i]), 8)
		}
	}
	w.write(0, min(4, capacity*8-w.n))
	if w.n%8 != 0 {
		w.write(0, 8-w.n%8)
	}
	for i := 0; len(w.buf) < capacity; i++ {
		w.buf = append(w.buf, [2]byte{0xEC, 0x11}[i%2])
	}
	w.n = capacity * 8
	return w.buf
}
