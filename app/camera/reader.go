package camera

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"sync"
	"time"
)

// The camera drivers of Windows and macOS (pion/mediadevices) hand out
// decoded pictures from a blocking Read. readerSource makes a Source of
// one: a goroutine reads, keeps only the newest frame (the decoder and
// preview never fall behind the camera), and Next honours ctx even when
// the driver blocks. It is here, without build tags, so that its tests run
// on every system.

type readerSource struct {
	close  func() error
	frames chan Frame
	done   chan struct{}
	once   sync.Once
	mu     sync.Mutex
	err    error
}

// newReaderSource starts reading with read; close releases the device
// (and makes a blocked read return).
func newReaderSource(read func() (image.Image, func(), error), close func() error) *readerSource {
	s := &readerSource{close: close, frames: make(chan Frame, 1), done: make(chan struct{})}
	go s.loop(read)
	return s
}

func (s *readerSource) loop(read func() (image.Image, func(), error)) {
	defer close(s.frames)
	for {
		img, release, err := read()
		if err != nil {
			s.mu.Lock()
			s.err = err
			s.mu.Unlock()
			return
		}
		f := grayFrame(img)
		if release != nil {
			release()
		}
		select {
		case <-s.done:
			return
		default:
		}
		select { // drop the frame nobody took: only the newest waits
		case <-s.frames:
		default:
		}
		s.frames <- f
	}
}

// errClosed ends a source whose driver stopped without saying why.
var errClosed = errors.New("camera: the camera stopped")

func (s *readerSource) Next(ctx context.Context) (Frame, error) {
	select {
	case <-ctx.Done():
		return Frame{}, ctx.Err()
	case f, ok := <-s.frames:
		if ok {
			return f, nil
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.err == nil {
			return Frame{}, errClosed
		}
		return Frame{}, fmt.Errorf("camera: %w", s.err)
	}
}

func (s *readerSource) Close() error {
	var err error
	s.once.Do(func() {
		close(s.done)
		err = s.close()
	})
	return err
}

// closestSize is the index of the size nearest 1280×720 in pixels (see
// wantWidth: larger frames only cost decoding time), or -1 for none.
func closestSize(sizes [][2]int) int {
	const want = 1280 * 720
	best, bestD := -1, 0
	for i, s := range sizes {
		d := s[0]*s[1] - want
		if d < 0 {
			d = -d
		}
		if best < 0 || d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

// grayFrame copies a picture's luminance out of the driver's buffer (the
// decoder reads only luminance; the preview shows it grey).
func grayFrame(img image.Image) Frame {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	out := make([]byte, w*h)
	switch m := img.(type) {
	case *image.YCbCr:
		for y := 0; y < h; y++ {
			i := m.YOffset(b.Min.X, b.Min.Y+y)
			copy(out[y*w:(y+1)*w], m.Y[i:i+w])
		}
	case *image.Gray:
		for y := 0; y < h; y++ {
			i := m.PixOffset(b.Min.X, b.Min.Y+y)
			copy(out[y*w:(y+1)*w], m.Pix[i:i+w])
		}
	default:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				out[y*w+x] = color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y
			}
		}
	}
	return Frame{Format: Gray, Width: w, Height: h, Data: out, Time: time.Now()}
}
