package camera

import "image"

// The reader source is used by the Windows and macOS drivers only; its
// tests run everywhere.
var (
	NewReaderSource = func(read func() (image.Image, func(), error), close func() error) Source {
		return newReaderSource(read, close)
	}
	ClosestSize = closestSize
	GrayFrame   = grayFrame
)
