//go:build linux

package camera

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/blackjack/webcam"
)

// Supported says whether this build can use a camera (V4L2 on Linux).
const Supported = true

// V4L2 fourcc codes (blackjack/webcam does not name them).
const (
	fourccYUYV webcam.PixelFormat = 0x56595559
	fourccMJPG webcam.PixelFormat = 0x47504A4D
)

// Preferred capture size: 1280×720 resolves a CLA code (version ≤ 15, 77
// modules) at ≥ 4 px a module when it fills a third of the frame, and
// decodes in ~10 ms; larger frames only cost time.
const wantWidth, wantHeight = 1280, 720

// NewSystem returns the V4L2 cameras of this computer.
func NewSystem() System { return v4l2{} }

type v4l2 struct{}

// Devices lists /dev/video* nodes that capture video (UVC cameras also
// expose metadata nodes, which webcam.Open refuses).
func (v4l2) Devices() ([]Device, error) {
	paths, _ := filepath.Glob("/dev/video*")
	sort.Strings(paths)
	var out []Device
	busy := false
	for _, p := range paths {
		cam, err := webcam.Open(p)
		if err != nil {
			busy = busy || errors.Is(err, syscall.EBUSY)
			continue
		}
		name, err := cam.GetName()
		if err != nil || strings.TrimSpace(name) == "" {
			name = filepath.Base(p)
		}
		cam.Close()
		out = append(out, Device{ID: p, Name: strings.TrimSpace(name)})
	}
	switch {
	case len(out) > 0:
		return out, nil
	case busy:
		return nil, ErrBusy
	}
	return nil, ErrNoCamera
}

// Open starts streaming from the camera at path id.
func (v4l2) Open(id string) (Source, error) {
	cam, err := webcam.Open(id)
	if err != nil {
		return nil, deviceError(err)
	}
	s := &device{cam: cam}
	if err := s.configure(); err != nil {
		cam.Close()
		return nil, err
	}
	_ = cam.SetBufferCount(4) // 4, not 256: fewer frames queued means a fresher picture; fails only while streaming
	if err := cam.StartStreaming(); err != nil {
		cam.Close()
		return nil, deviceError(err)
	}
	return s, nil
}

func deviceError(err error) error {
	switch {
	case errors.Is(err, syscall.EBUSY) || strings.Contains(err.Error(), "device or resource busy"):
		return fmt.Errorf("%w: %v", ErrBusy, err)
	case errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENODEV) || errors.Is(err, syscall.ENOENT):
		return fmt.Errorf("%w: %v", ErrNoCamera, err)
	}
	return fmt.Errorf("camera: %w", err)
}

type device struct {
	cam    *webcam.Webcam
	format Format
	w, h   int
	sizes  [][2]int // sizes offered in the chosen format
}

// configure picks MJPEG (small frames over USB 2) else YUYV, at the
// offered size closest to 1280×720 without exceeding it.
func (d *device) configure() error {
	formats := d.cam.GetSupportedFormats()
	var pf webcam.PixelFormat
	switch {
	case formats[fourccMJPG] != "":
		pf, d.format = fourccMJPG, MJPEG
	case formats[fourccYUYV] != "":
		pf, d.format = fourccYUYV, YUYV
	default:
		return ErrUnsupported
	}
	best := [2]int{640, 480}
	for _, fs := range d.cam.GetSupportedFrameSizes(pf) {
		for _, sz := range [][2]int{{int(fs.MaxWidth), int(fs.MaxHeight)}, {int(fs.MinWidth), int(fs.MinHeight)}} {
			d.sizes = append(d.sizes, sz)
			if sz[0] <= wantWidth && sz[1] <= wantHeight && sz[0]*sz[1] > best[0]*best[1] {
				best = sz
			}
		}
	}
	_, w, h, err := d.cam.SetImageFormat(pf, uint32(best[0]), uint32(best[1]))
	if err != nil {
		return deviceError(err)
	}
	d.w, d.h = int(w), int(h)
	return nil
}

// Next waits for the next frame and copies it out of the driver's buffer
// before giving the buffer back.
func (d *device) Next(ctx context.Context) (Frame, error) {
	for {
		if err := ctx.Err(); err != nil {
			return Frame{}, err
		}
		err := d.cam.WaitForFrame(200) // ms: how often ctx is looked at
		var timeout *webcam.Timeout
		switch {
		case errors.As(err, &timeout):
			continue
		case err != nil:
			return Frame{}, deviceError(err)
		}
		buf, idx, err := d.cam.GetFrame()
		if err != nil {
			if errors.Is(err, syscall.EAGAIN) {
				continue
			}
			return Frame{}, deviceError(err)
		}
		data := append([]byte(nil), buf...)
		_ = d.cam.ReleaseFrame(idx)
		if len(data) == 0 {
			continue
		}
		d.fixSize(len(data))
		return Frame{Format: d.format, Width: d.w, Height: d.h, Data: data}, nil
	}
}

// fixSize checks a YUYV frame's length against the size asked for: the
// driver may have picked another (webcam.SetImageFormat reports the size
// requested, not the one set). MJPEG frames carry their own size.
// A size that fits no offered one is left for Decode to report as a bad
// frame.
func (d *device) fixSize(n int) {
	if d.format != YUYV || n == d.w*d.h*2 {
		return
	}
	for _, sz := range d.sizes {
		if sz[0]*sz[1]*2 == n {
			d.w, d.h = sz[0], sz[1]
			return
		}
	}
}

// Close stops streaming and releases the camera.
func (d *device) Close() error { return d.cam.Close() }
