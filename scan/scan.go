// Package scan finds and decodes the QR codes in pictures: webcam frames,
// phone photos of paper, scans, images from PDF pages.
//
// It is built on gozxing's binarizer, finder-pattern scan and decoder, with
// what measurably helps on such pictures (README.md has the numbers):
//
//   - a grey plane read straight from the image's buffers, not through At;
//   - a pipeline of views, cheapest first, stopping at the first that finds
//     a code: the picture (shrunk if over 2.4 MP), its negative, its
//     contrast stretched, full resolution, upscaled 2×, halved, and crops
//     around finder candidates upscaled 2×;
//   - in each view, every plausible triple of finder candidates, and a pair
//     completed by a third found by template, not only gozxing's pick;
//   - for each triple, gozxing's binary grid first, then a grid refined on
//     the finder and alignment patterns in grey (perspective guessed from
//     the finders' module sizes, size read by trying the versions around
//     the estimate), sampled in grey and sharpened against blur;
//   - found codes masked and the view searched again while finder
//     candidates are left unexplained, for pictures holding several codes.
//
// Every entry point is safe on hostile input: dimensions are capped before
// pixels are decoded (limits.go), a panic inside gozxing counts as "no
// code", work per picture is bounded, and the context is checked between
// views.
package scan

import (
	"context"
	"image"
)

// Image returns the text of every QR code found in img, without
// duplicates, in reading order (top to bottom, left to right). It returns
// ErrNoCode when none is found, ErrImageTooLarge beyond MaxPixels or
// MaxSide. If ctx ends first, it returns the codes found so far, or
// ctx.Err() if none. *image.Gray, *image.YCbCr, *image.NYCbCrA,
// *image.RGBA, *image.NRGBA and *image.Paletted are read from their
// buffers; other types through At.
func Image(ctx context.Context, img image.Image) ([]string, error) {
	if img == nil {
		return nil, ErrUnsupported
	}
	b := img.Bounds()
	if err := checkSize(b.Dx(), b.Dy()); err != nil {
		return nil, err
	}
	return run(ctx, toPlane(img))
}

// Gray is the fast path for frames already in 8-bit luminance, such as a
// webcam's Y plane (YUYV: every other byte; NV12/I420: the first plane):
// pix holds height rows of width bytes, stride apart. pix is copied, never
// changed. A frame without a code runs every view before ErrNoCode
// (~45 ms for 720p here); a camera loop can bound that with ctx.
func Gray(ctx context.Context, pix []byte, width, height, stride int) ([]string, error) {
	if width <= 0 || height <= 0 || stride < width {
		return nil, ErrUnsupported
	}
	if err := checkSize(width, height); err != nil {
		return nil, err
	}
	if len(pix) < (height-1)*stride+width {
		return nil, ErrUnsupported
	}
	p := newPlane(width, height)
	for y := range height {
		copy(p.pix[y*width:(y+1)*width], pix[y*stride:])
	}
	return run(ctx, p)
}

func checkSize(w, h int) error {
	switch {
	case w <= 0 || h <= 0:
		return ErrNoCode
	case w > MaxSide || h > MaxSide || w*h > MaxPixels:
		return ErrImageTooLarge
	}
	return nil
}

// run searches p (which it may change) and shapes the answer. detect
// recovers from gozxing's panics itself; this recover is the last line for
// a bug of this package, which must not take a verifier down with it.
func run(ctx context.Context, p *plane) (texts []string, err error) {
	if min(p.w, p.h) < minSide/4 {
		return nil, ErrNoCode
	}
	defer func() {
		if recover() != nil {
			texts, err = nil, ErrNoCode
		}
	}()
	found, err := search(ctx, p, tuning{})
	if len(found) > 0 {
		return inReadingOrder(found), nil
	}
	if err != nil {
		return nil, err
	}
	return nil, ErrNoCode
}
