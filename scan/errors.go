package scan

import "errors"

// Errors callers branch on.
var (
	// ErrNoCode: the picture was read but holds no QR code this package
	// can decode.
	ErrNoCode = errors.New("no QR code found")
	// ErrImageTooLarge: the picture exceeds MaxPixels, MaxSide,
	// MaxDecodedBytes or MaxFileBytes; nothing was decoded.
	ErrImageTooLarge = errors.New("image too large")
	// ErrUnsupported: the bytes are not a PNG or JPEG picture, or the
	// buffer given to Gray does not match its dimensions.
	ErrUnsupported = errors.New("unsupported image")
)
