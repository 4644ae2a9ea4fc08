package pdf

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"
)

// testRenderer is a renderer on an empty document, for measuring.
func testRenderer(t *testing.T, unicode bool) *renderer {
	t.Helper()
	faces, err := loadFaces()
	if err != nil {
		t.Fatal(err)
	}
	f := fpdf.New("P", "mm", "A4", "")
	addFaces(f, faces, unicode)
	f.AddPage()
	r := &renderer{f: f, unicode: unicode}
	r.font(regular, sizeCell)
	return r
}

func TestWrap(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		width float64
		lines int
	}{
		{"empty", "", 20, 1},
		{"fits", "COMUNICACIÓN", 50, 1},
		{"at spaces", "DESARROLLO PERSONAL, CIUDADANÍA Y CÍVICA", 30, 3},
		{"inside a long word", strings.Repeat("W", 100), 20, 13},
		{"double spaces kept", "A  B", 50, 1},
	}
	for _, unicode := range []bool{false, true} {
		r := testRenderer(t, unicode)
		for _, tc := range tests {
			t.Run(fmt.Sprintf("%s/unicode=%v", tc.name, unicode), func(t *testing.T) {
				got := r.wrap(tc.text, tc.width)
				if len(got) != tc.lines {
					t.Errorf("%d lines %q, want %d", len(got), got, tc.lines)
				}
				for _, l := range got {
					if w := r.width(l); w > tc.width+eps {
						t.Errorf("line %q is %.2f mm, over %.2f", l, w, tc.width)
					}
				}
				if squash(strings.Join(got, " ")) != squash(tc.text) {
					t.Errorf("lines %q lose text of %q", got, tc.text)
				}
			})
		}
	}
}

// TestResultFits: the situación final and head cells never break inside
// a word (the layout constants were chosen for it).
func TestResultFits(t *testing.T) {
	r := testRenderer(t, false)
	tests := []struct {
		kind  rowKind
		words []string
	}{
		{resultRow, strings.Fields("PROMOVIDO REQUIERE RECUPERACIÓN PERMANECE EN EL GRADO")},
		{headRow, []string{"0403691-0", "2099", "5 años", "6.°"}},
		{markRow, []string{"AD", "EXO", "20"}},
	}
	for _, tc := range tests {
		st := styles[tc.kind]
		r.font(st.cellFont, st.cellSize)
		for _, w := range tc.words {
			if got := r.width(w); got > colW-2*st.cellPad {
				t.Errorf("%q is %.2f mm, the column holds %.2f", w, got, colW-2*st.cellPad)
			}
		}
	}
}

func TestOverflowDetected(t *testing.T) {
	tests := []struct {
		name    string
		x, top  float64
		overrun bool
	}{
		{"inside", marginX, 100, false},
		{"past the right margin", pageW - marginX - 1, 100, true},
		{"left of the margin", marginX - 1, 100, true},
		{"into the footer", marginX, bodyEnd - 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := testRenderer(t, false)
			r.line(tc.x, tc.top, 50, "MATEMÁTICA", left, bodyEnd)
			if got := errors.Is(r.err, ErrOverflow); got != tc.overrun {
				t.Errorf("overflow %v, want %v", got, tc.overrun)
			}
		})
	}
}
