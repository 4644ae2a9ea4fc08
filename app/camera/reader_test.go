package camera_test

import (
	"context"
	"errors"
	"image"
	"image/color"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/minedu-cla/cla/app/camera"
	"github.com/minedu-cla/cla/scan"
)

// ycbcr is a grey picture as a Windows or macOS driver hands it over
// (4:2:0, chroma flat), inside a larger buffer (a sub-image).
func ycbcr(g *image.Gray) image.Image {
	b := g.Bounds()
	big := image.NewYCbCr(image.Rect(0, 0, b.Dx()+16, b.Dy()+8), image.YCbCrSubsampleRatio420)
	for i := range big.Cb {
		big.Cb[i], big.Cr[i] = 128, 128
	}
	for y := 0; y < b.Dy(); y++ {
		copy(big.Y[big.YOffset(8, 4+y):], g.Pix[y*g.Stride:y*g.Stride+b.Dx()])
	}
	return big.SubImage(image.Rect(8, 4, 8+b.Dx(), 4+b.Dy()))
}

// TestReaderSourceFindsCode: the scene as a Windows camera delivers it
// (YCbCr pictures from a blocking Read) goes through the reader source and
// the real pump and decoder, and the code is found.
func TestReaderSourceFindsCode(t *testing.T) {
	gs := sceneGrays(t)
	var mu sync.Mutex
	i := 0
	read := func() (image.Image, func(), error) {
		time.Sleep(33 * time.Millisecond) // 30 fps
		mu.Lock()
		defer mu.Unlock()
		if i == len(gs) {
			return nil, nil, io.EOF
		}
		i++
		return ycbcr(gs[i-1]), func() {}, nil
	}
	closed := 0
	src := camera.NewReaderSource(read, func() error { closed++; return nil })
	var found []string
	p := &camera.Pump{Source: src, Decode: scan.Gray, Accept: isCLA,
		Found: func(s string) { mu.Lock(); found = append(found, s); mu.Unlock() }}
	if err := p.Run(context.Background()); err != nil { // io.EOF ends a recording without an error
		t.Errorf("the pump ended with %v", err)
	}
	src.Close()
	src.Close()
	mu.Lock()
	defer mu.Unlock()
	if len(found) == 0 || found[0] != code(t) {
		t.Fatalf("found %d codes, want %q", len(found), code(t)[:20])
	}
	if closed != 1 {
		t.Errorf("the device was closed %d times", closed)
	}
}

// TestReaderSourceKeepsNewest: a slow reader of a fast camera gets the
// newest frame each time, never an older one after a newer; a Next that
// waits on a camera that stopped sending ends with its context; closing
// unblocks the driver.
func TestReaderSourceKeepsNewest(t *testing.T) {
	n := 0
	stop := make(chan struct{})
	read := func() (image.Image, func(), error) {
		select {
		case <-stop:
			return nil, nil, errors.New("device closed")
		case <-time.After(time.Millisecond):
		}
		n++
		g := image.NewGray(image.Rect(0, 0, 2, 1))
		g.Pix[0], g.Pix[1] = byte(n), byte(n>>8)
		return g, nil, nil
	}
	src := camera.NewReaderSource(read, func() error { close(stop); return nil })
	last := -1
	for range 20 {
		f, err := src.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got := int(f.Data[0]) | int(f.Data[1])<<8
		if got <= last {
			t.Fatalf("frame %d after frame %d", got, last)
		}
		last = got
		time.Sleep(5 * time.Millisecond) // slower than the camera: frames are dropped
	}
	if last < 40 {
		t.Errorf("the newest frame after 20 slow reads is %d: frames queued instead of dropped", last)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	// After Close the driver's read fails; Next says the camera stopped.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for {
		if _, err := src.Next(ctx); err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatal("Next still waits after the device was closed")
			}
			break
		}
	}

	// A camera that never sends: Next returns when its context ends.
	blocked := camera.NewReaderSource(func() (image.Image, func(), error) { select {} }, func() error { return nil })
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := blocked.Next(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Next on a silent camera: %v", err)
	}
}

func TestClosestSizeAndGray(t *testing.T) {
	for _, c := range []struct {
		sizes [][2]int
		want  int
	}{
		{[][2]int{{640, 480}, {1920, 1080}, {1280, 720}}, 2},
		{[][2]int{{640, 480}, {1920, 1080}, {1024, 768}}, 2},
		{[][2]int{{3840, 2160}, {320, 240}}, 1},
		{nil, -1},
	} {
		if got := camera.ClosestSize(c.sizes); got != c.want {
			t.Errorf("ClosestSize(%v) = %d, want %d", c.sizes, got, c.want)
		}
	}
	g := image.NewGray(image.Rect(0, 0, 5, 3))
	for i := range g.Pix {
		g.Pix[i] = byte(10 * i)
	}
	rgba := image.NewRGBA(g.Bounds())
	for y := 0; y < 3; y++ {
		for x := 0; x < 5; x++ {
			rgba.Set(x, y, color.Gray{Y: g.GrayAt(x, y).Y})
		}
	}
	for name, img := range map[string]image.Image{"ycbcr": ycbcr(g), "gray": g.SubImage(g.Bounds()), "rgba": rgba} {
		f := camera.GrayFrame(img)
		if f.Format != camera.Gray || f.Width != 5 || f.Height != 3 || string(f.Data) != string(g.Pix) {
			t.Errorf("%s: frame %dx%d %v, want %v", name, f.Width, f.Height, f.Data, g.Pix)
		}
	}
}
