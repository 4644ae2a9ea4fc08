package idnum

import "testing"

func FuzzParseDNI(f *testing.F) {
	for _, s := range []string{"10117410", "10117410-2", "10117410-G", "10812543-h", " 25543680 - 1", "", "-", "1-1-1", "１0117410"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDNI(s)
		if err != nil {
			return
		}
		// Whatever parses is 8 digits, and its printed form parses back
		// to the same number with a matching check character.
		if len(d) != DNILen || !allDigits(string(d)) {
			t.Fatalf("ParseDNI(%q) = %q", s, d)
		}
		again, err := ParseDNI(d.WithCheck())
		if err != nil || again != d {
			t.Fatalf("round trip %q: %q, %v", d.WithCheck(), again, err)
		}
	})
}

func FuzzParseCE(f *testing.F) {
	for _, s := range []string{"001234567", "e12345678ab", "123456789012", "ABCDEFGHI", "0-0-0-0-0-0-0-0-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCE(s)
		if err != nil {
			return
		}
		if len(c) < CEMinLen || len(c) > CEMaxLen || !alnum(string(c)) {
			t.Fatalf("ParseCE(%q) = %q", s, c)
		}
		if again, err := ParseCE(string(c)); err != nil || again != c {
			t.Fatalf("not idempotent: %q -> %q, %v", c, again, err)
		}
	})
}

func FuzzParseStudentCode(f *testing.F) {
	for _, s := range []string{"00000012345678", "0000 0012 3456 78", "1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseStudentCode(s)
		if err != nil {
			return
		}
		if len(c) != StudentCodeLen || !allDigits(string(c)) {
			t.Fatalf("ParseStudentCode(%q) = %q", s, c)
		}
	})
}
