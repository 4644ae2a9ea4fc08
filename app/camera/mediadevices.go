//go:build (windows || darwin) && cgo

package camera

import (
	"fmt"

	"github.com/pion/mediadevices/pkg/driver"
	_ "github.com/pion/mediadevices/pkg/driver/camera" // DirectShow on Windows, AVFoundation on macOS
	"github.com/pion/mediadevices/pkg/io/video"
	"github.com/pion/mediadevices/pkg/prop"
)

// Supported says whether this build can use a camera: on Windows and
// macOS through pion/mediadevices (DirectShow, AVFoundation).
const Supported = true

// NewSystem returns the cameras of this computer.
func NewSystem() System { return mediaDevices{} }

type mediaDevices struct{}

func cameras() []driver.Driver {
	return driver.GetManager().Query(driver.FilterVideoRecorder())
}

// Devices lists the cameras the system reports, by the driver's ID (stable
// while the camera stays plugged in the same port) and label.
func (mediaDevices) Devices() ([]Device, error) {
	var out []Device
	for _, d := range cameras() {
		name := d.Info().Label
		if name == "" {
			name = d.ID()
		}
		out = append(out, Device{ID: d.ID(), Name: name})
	}
	if len(out) == 0 {
		return nil, ErrNoCamera
	}
	return out, nil
}

// Open starts the camera id at the size closest to 1280×720 it offers
// (see wantWidth in the Linux driver: larger frames only cost time).
func (mediaDevices) Open(id string) (Source, error) {
	var d driver.Driver
	for _, c := range cameras() {
		if c.ID() == id {
			d = c
		}
	}
	if d == nil {
		return nil, ErrNoCamera
	}
	if err := d.Open(); err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrBusy, err)
	}
	rec, ok := d.(driver.VideoRecorder)
	if !ok {
		d.Close()
		return nil, ErrUnsupported
	}
	ps := d.Properties()
	sizes := make([][2]int, len(ps))
	for i, p := range ps {
		sizes[i] = [2]int{p.Width, p.Height}
	}
	var want prop.Media
	if i := closestSize(sizes); i >= 0 {
		want = ps[i]
	}
	r, err := rec.VideoRecord(want)
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("%w (%v)", ErrUnsupported, err)
	}
	var read video.Reader = r
	return newReaderSource(read.Read, d.Close), nil
}
