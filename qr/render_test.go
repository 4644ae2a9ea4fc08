package qr

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"

	"github.com/minedu-cla/cla/scan"
)

// TestPNGReads: a staff enrolment URI (byte mode: lowercase, '?', '&')
// and a CLA code (alphanumeric) drawn as PNG are read back by the
// project's QR reader (gozxing underneath).
func TestPNGReads(t *testing.T) {
	for _, text := range []string{
		"otpauth://totp/CLA%20MINEDU:ana.quispe?secret=JBSWY3DPEHPK3PXPJBSWY3DP&issuer=CLA%20MINEDU&algorithm=SHA1&digits=6&period=30",
		"CLA1:" + strings.Repeat("6BFOXN*TS0BI$ZDFRH", 20),
		"HTTPS://CLA.MINEDU.GOB.PE/V#" + strings.Repeat("2GPHQAZ7RLN5WKDM", 25), // mixed: alphanumeric, byte, alphanumeric
		"#" + strings.Repeat("ABC", 10) + "#" + strings.Repeat("XYZ", 3) + "~",  // mixed, short runs kept in bytes
	} {
		c, err := Encode(text)
		if err != nil {
			t.Fatal(err)
		}
		b, err := c.PNG(4)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if img.Bounds().Dx() != (c.Size+2*Quiet)*4 {
			t.Errorf("image %d px wide", img.Bounds().Dx())
		}
		got, err := scan.Image(context.Background(), img)
		if err != nil || len(got) != 1 || got[0] != text {
			t.Fatalf("read %q, %v; want %q", got, err, text)
		}
	}
}

// TestTerminal: one line per two module rows, quiet zone included, and
// the finder pattern's dark row drawn as spaces.
func TestTerminal(t *testing.T) {
	c, err := Encode("otpauth://totp/x?secret=JBSWY3DP")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(c.Terminal(), "\n"), "\n")
	side := c.Size + 2*Quiet
	if len(lines) != (side+1)/2 {
		t.Fatalf("%d lines for %d rows", len(lines), side)
	}
	for _, l := range lines {
		if n := len([]rune(l)); n != side {
			t.Fatalf("line of %d cells, want %d", n, side)
		}
	}
	// Row 4 (the finder's top edge, dark from column 4 to 10) and row 5
	// share line 2: columns 4..10 are dark on top.
	if cells := []rune(lines[2]); cells[0] != '█' || cells[Quiet] == '█' {
		t.Errorf("line 2 starts %q", string(cells[:Quiet+1]))
	}
}
