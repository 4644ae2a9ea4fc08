package inflate

import (
	"bytes"
	"compress/zlib"
	"errors"
	"testing"
)

func deflate(b []byte, level int, dict []byte) []byte {
	var buf bytes.Buffer
	w, _ := zlib.NewWriterLevelDict(&buf, level, dict)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// withCMF returns z with CMF cmf and the check bits fixed.
func withCMF(z []byte, cmf byte) []byte {
	c := bytes.Clone(z)
	c[0] = cmf
	c[1] &^= 0x1f
	c[1] += byte((31 - (uint(c[0])<<8|uint(c[1]))%31) % 31)
	return c
}

func TestZlib(t *testing.T) {
	t.Parallel()
	msg := bytes.Repeat([]byte("CLA constancia "), 50)
	for name, tt := range map[string]struct {
		z    []byte
		want error // nil: ok; errAny: any error
	}{
		"best":            {deflate(msg, zlib.BestCompression, nil), nil},
		"stored (longer)": {deflate(msg, zlib.NoCompression, nil), nil},
		"fastest":         {deflate(msg, zlib.BestSpeed, nil), nil},
		"preset dict":     {deflate(msg, zlib.BestCompression, []byte("constancia")), errAny},
		"small window":    {withCMF(deflate(msg, zlib.NoCompression, nil), 0x28), errAny},
		"bad check bits":  {append([]byte{0x78, 0xdb}, deflate(msg, 9, nil)[2:]...), errAny},
		"bad adler":       {append(deflate(msg, 9, nil)[:len(deflate(msg, 9, nil))-1], 0), errAny},
		"trailing byte":   {append(deflate(msg, 9, nil), 0), errAny},
		"truncated":       {deflate(msg, 9, nil)[:10], errAny},
		"over the cap":    {deflate(make([]byte, 1001), 9, nil), ErrTooBig},
		"empty":           {nil, errAny},
	} {
		out, err := Zlib(tt.z, 1000)
		switch {
		case tt.want == nil && (err != nil || !bytes.Equal(out, msg)):
			t.Errorf("%s: %v", name, err)
		case tt.want == errAny && err == nil, tt.want != nil && tt.want != errAny && !errors.Is(err, tt.want):
			t.Errorf("%s: %v, want %v", name, err, tt.want)
		}
	}
	if z := withCMF(deflate(msg, zlib.NoCompression, nil), 0x28); z[0] != 0x28 || (uint(z[0])<<8|uint(z[1]))%31 != 0 {
		t.Fatalf("withCMF: % x", z[:2])
	}
}

var errAny = errors.New("any error")

func FuzzZlib(f *testing.F) {
	f.Add(deflate([]byte("CLA"), 9, nil))
	f.Add(deflate(bytes.Repeat([]byte{0}, 2000), 9, nil))
	f.Add(deflate([]byte("CLA"), 0, nil))
	f.Fuzz(func(t *testing.T, z []byte) {
		out, err := Zlib(z, 1024)
		if err != nil {
			return
		}
		if len(out) > 1024 || z[0] != CMF || z[1]&fdict != 0 {
			t.Fatalf("accepted % x → %d bytes", z[:2], len(out))
		}
	})
}
