package scan

// Caps on what a picture may cost, checked before decoding pixels.
const (
	// MaxPixels caps a picture at 40 megapixels: a 12 MP phone photo or
	// an A4 page scanned at 600 dpi (4960×7016 = 34.8 MP) fit; a
	// decompression bomb (a small PNG claiming 100k×100k) does not.
	MaxPixels = 40_000_000
	// MaxSide caps either side, so that a 1×40M strip is refused too.
	MaxSide = 20_000
	// MaxFileBytes caps a file read by File or Reader: a 40 MP JPEG is
	// 10–25 MB, a 600-dpi grey PNG page ~30 MB.
	MaxFileBytes = 64 << 20
	// MaxDecodedBytes caps the memory of the decoded picture before it is
	// reduced to 8-bit grey: 40 MP of 8-bit RGBA is 160 MB, the same as
	// PNG at 16 bits a channel would need for 20 MP.
	MaxDecodedBytes = 160 << 20
	// MaxCodes caps how many codes one picture may yield; a page of
	// constancias has one, a collage of a class a few dozen.
	MaxCodes = 64
)

// Budgets of the pipeline (pixels of the grey planes it works on).
const (
	// detectPixels: pictures larger than this are first searched
	// downscaled by an integer box factor (~2.4 MP, a 1080p frame is
	// 2.07 MP and is searched as is). A 35 mm code on a 12 MP photo of an
	// A4 page is ≥ 600 px wide, still ≥ 4 px a module at ¼ area.
	detectPixels = 2_400_000
	// upscalePixels caps the 2× upscale retry for small codes (2–3 px a
	// module): gozxing needs ~4 px a module. 12 MP keeps a 1080p frame
	// (8.3 MP upscaled) and an A4 150-dpi scan (8.7 MP) in.
	upscalePixels = 12_000_000
)
