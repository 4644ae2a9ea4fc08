package credential

import (
	"testing"
	"unicode"
)

// TestRefusedTable: the pinned table is exactly Cc, Cf, White_Space but
// U+0020, and U+FFFD of Unicode 15.0.0. With another Unicode in the
// runtime the comparison means nothing, and the table stays as it is.
func TestRefusedTable(t *testing.T) {
	t.Parallel()
	if unicode.Version != "15.0.0" {
		t.Skipf("Go's tables are Unicode %s; the pinned table is 15.0.0", unicode.Version)
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want := unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.White_Space, r) && r != ' ' ||
			r == unicode.ReplacementChar
		if refusedRune(r) != want {
			t.Fatalf("%U: refused %v, Unicode 15.0.0 says %v", r, refusedRune(r), want)
		}
	}
	for i := 1; i < len(refused); i++ {
		if refused[i].lo <= refused[i-1].hi+1 || refused[i].lo > refused[i].hi {
			t.Fatalf("ranges %d and %d overlap, touch or are backwards", i-1, i)
		}
	}
}

func TestCheckText(t *testing.T) {
	t.Parallel()
	for s, ok := range map[string]bool{
		"MARÍA DE LOS ÁNGELES": true, "ÑAUPARI": true, "O'HIGGINS": true, "\U00013440": true,
		"ANA\u00adMARÍA": false, "ANA\U00013439": false, "ANA\U0001343f": false, "ANA\ufffd": false,
		"ANA\u00a0RUIZ": false, "ANA\u200bRUIZ": false, "ANA\tRUIZ": false, "ANA\u2028": false, "ANA\u202fRUIZ": false,
		"ANA\U000e0041": false, " ANA": false, "ANA ": false, "": false,
	} {
		if err := checkText("name", s, MaxName, true); (err == nil) != ok {
			t.Errorf("%q: %v, want ok %v", s, err, ok)
		}
	}
}
