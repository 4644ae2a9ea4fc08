package camera

import (
	"context"
	"io"
	"time"
)

// Recording is a Source that plays frames back: tests, the screenshot
// tool, and platforms without a camera driver.
type Recording struct {
	Frames []Frame
	// Interval paces the frames like a camera (0: as fast as read).
	Interval time.Duration
	// Loop plays the frames again instead of ending with io.EOF.
	Loop bool

	next int
	tick *time.Ticker
}

// Next implements Source.
func (r *Recording) Next(ctx context.Context) (Frame, error) {
	if r.next >= len(r.Frames) {
		if !r.Loop || len(r.Frames) == 0 {
			return Frame{}, io.EOF
		}
		r.next = 0
	}
	if r.Interval > 0 {
		if r.tick == nil {
			r.tick = time.NewTicker(r.Interval)
		}
		select {
		case <-ctx.Done():
			return Frame{}, ctx.Err()
		case <-r.tick.C:
		}
	} else if ctx.Err() != nil {
		return Frame{}, ctx.Err()
	}
	f := r.Frames[r.next]
	r.next++
	f.Data = append([]byte(nil), f.Data...) // the receiver owns it, as from a camera
	f.Time = time.Now()
	return f, nil
}

// Close implements Source.
func (r *Recording) Close() error {
	if r.tick != nil {
		r.tick.Stop()
	}
	return nil
}

// Replay is a System with one camera that plays a recording: it makes the
// scan screen demonstrable where no camera exists.
type Replay struct {
	Name   string
	Frames func() []Frame
	// Interval paces the frames (default 33 ms, a 30 fps camera).
	Interval time.Duration
}

// Devices implements System.
func (r Replay) Devices() ([]Device, error) {
	return []Device{{ID: "replay", Name: r.Name}}, nil
}

// Open implements System.
func (r Replay) Open(string) (Source, error) {
	iv := r.Interval
	if iv == 0 {
		iv = 33 * time.Millisecond
	}
	return &Recording{Frames: r.Frames(), Interval: iv, Loop: true}, nil
}
