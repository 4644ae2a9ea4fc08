package pdf

import "strings"

// wrap breaks s into lines no wider than w in the current font: at
// spaces, and inside a word wider than a line (a 100-byte surname must not
// run off the page).
func (r *renderer) wrap(s string, w float64) []string {
	if s == "" {
		return []string{""}
	}
	space := r.width(" ")
	var lines []string
	line, lineW := "", 0.0
	for i, word := range strings.Split(s, " ") {
		ww := r.width(word)
		switch {
		case i > 0 && lineW+space+ww <= w+eps:
			line, lineW = line+" "+word, lineW+space+ww
			continue
		case i > 0:
			lines = append(lines, line)
		}
		if ww > w+eps {
			parts := r.breakWord(word, w)
			lines = append(lines, parts[:len(parts)-1]...)
			word = parts[len(parts)-1]
			ww = r.width(word)
		}
		line, lineW = word, ww
	}
	return append(lines, line)
}

// breakWord cuts a word wider than w into pieces that fit, between
// characters.
func (r *renderer) breakWord(word string, w float64) []string {
	var parts []string
	start, partW := 0, 0.0
	for i, c := range word {
		cw := r.width(string(c))
		if partW+cw > w+eps && i > start {
			parts = append(parts, word[start:i])
			start, partW = i, 0
		}
		partW += cw
	}
	return append(parts, word[start:])
}
