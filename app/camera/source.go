// Package camera reads webcam frames for the scan screen and looks for a
// CLA code in them without ever holding up the preview: frames come from
// a Source (V4L2 on Linux, recorded frames in tests), every frame goes to
// the preview, and only the newest frame goes to the decoder when it is
// free — the rest are dropped, not queued.
package camera

import (
	"context"
	"errors"
	"time"
)

// Format is a frame's pixel layout.
type Format int

// Formats a Source delivers.
const (
	// YUYV is packed 4:2:2: Y0 U Y1 V for each pair of pixels.
	YUYV Format = iota + 1
	// MJPEG is one JPEG image a frame, often without Huffman tables.
	MJPEG
	// Gray is one luminance byte a pixel (recorded frames, tests).
	Gray
)

// Frame is one picture from a camera. Data belongs to the receiver: a
// Source copies it out of driver buffers before handing it over.
type Frame struct {
	Format        Format
	Width, Height int
	Data          []byte
	Time          time.Time
}

// Source delivers frames. Next blocks until the next frame, ctx ends
// (ctx.Err()) or the device fails; io.EOF ends a recording. Close
// releases the device; it is safe to call once Next has returned.
type Source interface {
	Next(ctx context.Context) (Frame, error)
	Close() error
}

// Device is a camera that can be opened.
type Device struct {
	ID   string // e.g. /dev/video0
	Name string // e.g. "HD Webcam C270"
}

// Errors a user is told about in words.
var (
	// ErrNoCamera: no camera is connected (or none this build can use).
	ErrNoCamera = errors.New("camera: no camera found")
	// ErrBusy: another program holds the camera.
	ErrBusy = errors.New("camera: the camera is in use by another program")
	// ErrUnsupported: the camera offers neither MJPEG nor YUYV.
	ErrUnsupported = errors.New("camera: the camera offers no format this program reads")
)

// System lists and opens the cameras of this computer.
type System interface {
	Devices() ([]Device, error)
	Open(id string) (Source, error)
}
