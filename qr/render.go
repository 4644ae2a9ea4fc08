package qr

import (
	"bytes"
	"image"
	"image/png"
	"strings"
)

// Quiet is the light border the standard asks around a symbol, in modules.
const Quiet = 4

// Image draws the code with scale pixels a module and the quiet zone:
// black on white, 8-bit grey.
func (c *Code) Image(scale int) *image.Gray {
	side := (c.Size + 2*Quiet) * scale
	img := image.NewGray(image.Rect(0, 0, side, side))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	for y := range c.Size {
		for x := range c.Size {
			if !c.Dark(x, y) {
				continue
			}
			for dy := range scale {
				row := img.Pix[((y+Quiet)*scale+dy)*img.Stride:]
				for dx := range scale {
					row[(x+Quiet)*scale+dx] = 0
				}
			}
		}
	}
	return img
}

// PNG encodes Image(scale) as a PNG file.
func (c *Code) PNG(scale int) ([]byte, error) {
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&b, c.Image(scale)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Terminal draws the code for a terminal with dark text on a light
// background or the reverse alike: two modules a character cell, upper
// and lower half blocks, the quiet zone included, dark modules as spaces
// on light blocks (phone cameras read it either way on most screens).
func (c *Code) Terminal() string {
	dark := func(x, y int) bool {
		x, y = x-Quiet, y-Quiet
		return x >= 0 && y >= 0 && x < c.Size && y < c.Size && c.Dark(x, y)
	}
	side := c.Size + 2*Quiet
	var b strings.Builder
	for y := 0; y < side; y += 2 {
		for x := range side {
			top, bottom := !dark(x, y), y+1 < side && !dark(x, y+1)
			switch {
			case top && bottom:
				b.WriteRune('█')
			case top:
				b.WriteRune('▀')
			case bottom:
				b.WriteRune('▄')
			default:
				b.WriteByte(' ')
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}
