package scan

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"os"
)

// File decodes the QR codes of a PNG or JPEG file, recognised by its
// content, not its name. See Image for the answer; files over MaxFileBytes
// and pictures over the caps of limits.go give ErrImageTooLarge before
// their pixels are decoded.
func File(ctx context.Context, path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Reader(ctx, f)
}

// Reader is File for a stream (an image extracted from a PDF, an upload).
func Reader(ctx context.Context, r io.Reader) ([]string, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileBytes {
		return nil, ErrImageTooLarge
	}
	return Bytes(ctx, data)
}

// Bytes is File for an encoded picture in memory.
func Bytes(ctx context.Context, data []byte) ([]string, error) {
	img, err := decode(data)
	if err != nil {
		return nil, err
	}
	return Image(ctx, img)
}

// decode checks the header against the caps, then decodes the pixels.
func decode(data []byte) (image.Image, error) {
	f, ok := sniff(data)
	if !ok {
		return nil, ErrUnsupported
	}
	cfg, err := f.config(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnsupported, f.name, err)
	}
	if err := checkSize(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	if float64(cfg.Width)*float64(cfg.Height)*f.cost(data, cfg) > MaxDecodedBytes {
		return nil, ErrImageTooLarge
	}
	img, err := f.decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnsupported, f.name, err)
	}
	return img, nil
}

// format is a picture format this package reads.
type format struct {
	name   string
	magic  string
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
	cost   func(data []byte, cfg image.Config) float64 // bytes a pixel while decoding
}

var formats = []format{
	{"png", "\x89PNG\r\n\x1a\n", png.DecodeConfig, png.Decode, pngCost},
	{"jpeg", "\xff\xd8\xff", jpeg.DecodeConfig, jpeg.Decode, jpegCost},
}

func sniff(data []byte) (format, bool) {
	for _, f := range formats {
		if bytes.HasPrefix(data, []byte(f.magic)) {
			return f, true
		}
	}
	return format{}, false
}
