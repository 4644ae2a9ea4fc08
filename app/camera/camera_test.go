package camera_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minedu-cla/cla/app/camera"
	"github.com/minedu-cla/cla/app/camera/camtest"
	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/internal/testissuer"
	"github.com/minedu-cla/cla/scan"
)

var (
	codeOnce sync.Once
	codeText string
	grays    []*image.Gray // the scene, made once: blurring 60 frames is slow under -race
)

// code is a real CLA code of 13 school years (QR version 14–15).
func code(t testing.TB) string {
	codeOnce.Do(func() {
		codeText = testissuer.New("camera", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)).Issue(13).Text
	})
	return codeText
}

func scene(t testing.TB) camtest.Scene {
	return camtest.Scene{Text: code(t), Moving: 24, Still: 36, Blur: 6}
}

// sceneGrays returns the scene's frames as grey pictures.
func sceneGrays(t testing.TB) []*image.Gray {
	t.Helper()
	code(t)
	if grays == nil {
		gs, err := scene(t).Grays()
		if err != nil {
			t.Fatal(err)
		}
		grays = gs
	}
	return grays
}

// releaseAtEnd closes release when its source runs out.
type releaseAtEnd struct {
	camera.Source
	release chan struct{}
}

func (r *releaseAtEnd) Next(ctx context.Context) (camera.Frame, error) {
	f, err := r.Source.Next(ctx)
	if errors.Is(err, io.EOF) {
		close(r.release)
	}
	return f, err
}

func isCLA(s string) bool { return strings.HasPrefix(s, credential.Prefix) }

// TestPreviewNeverBlocked: with the decoder stuck on its first frame,
// every frame of the recording still reaches the preview, and the frames
// that came while it was busy are dropped, not queued.
func TestPreviewNeverBlocked(t *testing.T) {
	frames := camtest.YUYV(sceneGrays(t))
	release := make(chan struct{})
	var calls atomic.Int64
	// The decoder is let go only when the recording has ended, that is
	// after the pump offered it the last frame: releasing it earlier (say
	// from the last preview) races with that final offer.
	p := &camera.Pump{
		Source: &releaseAtEnd{Source: &camera.Recording{Frames: frames}, release: release},
		Decode: func(ctx context.Context, pix []byte, w, h, stride int) ([]string, error) {
			calls.Add(1)
			<-release // a decode that takes as long as the whole recording
			return nil, scan.ErrNoCode
		},
	}
	var previewed int
	p.Preview = func(camera.Picture) { previewed++ }
	done := make(chan error, 1)
	go func() { done <- p.Run(context.Background()) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute): // a deadlock guard, not a speed limit
		t.Fatalf("the pump stalled behind the decoder: %d of %d frames previewed", previewed, len(frames))
	}
	st := p.Stats()
	if st.Frames != int64(len(frames)) || previewed != len(frames) {
		t.Errorf("previewed %d (stats %d) of %d frames", previewed, st.Frames, len(frames))
	}
	if calls.Load() != 1 || st.Dropped != int64(len(frames)-1) {
		t.Errorf("decoder called %d times, %d frames dropped; want 1 and %d", calls.Load(), st.Dropped, len(frames)-1)
	}
}

// TestDetectsCodeMovingIntoView plays the scene at camera pace (30 fps)
// through the real decoder, as YUYV and as MJPEG without Huffman tables.
func TestDetectsCodeMovingIntoView(t *testing.T) {
	gs := sceneGrays(t)
	for _, tc := range []struct {
		name   string
		frames func() ([]camera.Frame, error)
	}{
		{"yuyv", func() ([]camera.Frame, error) { return camtest.YUYV(gs), nil }},
		{"mjpeg-no-dht", func() ([]camera.Frame, error) { return camtest.MJPEG(gs) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			frames, err := tc.frames()
			if err != nil {
				t.Fatal(err)
			}
			var found []string
			var foundAt int64
			var mu sync.Mutex
			p := &camera.Pump{Source: &camera.Recording{Frames: frames, Interval: 33 * time.Millisecond},
				Decode: scan.Gray, Accept: isCLA}
			var previewed atomic.Int64
			p.Preview = func(camera.Picture) { previewed.Add(1) }
			p.Found = func(text string) {
				mu.Lock()
				defer mu.Unlock()
				if found == nil {
					foundAt = previewed.Load()
				}
				found = append(found, text)
			}
			p.BadFrame = func(err error) { t.Error(err) }
			if err := p.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			st := p.Stats()
			t.Logf("%d frames previewed, %d decoded, %d dropped; first detection while frame %d was shown", st.Frames, st.Decoded, st.Dropped, foundAt)
			if st.Frames != int64(len(frames)) {
				t.Errorf("previewed %d of %d frames", st.Frames, len(frames))
			}
			if len(found) == 0 || found[0] != code(t) {
				t.Fatalf("the code was not detected within the %d frames", len(frames))
			}
			if foundAt <= 1 {
				t.Errorf("detected at frame %d: the first frames hold no readable code, the scene is wrong", foundAt)
			}
		})
	}
}

// TestSceneIsHardAtFirst: the scene is a fair test — the first frames
// (out of view, blurred) hold no readable code, the last ones do.
func TestSceneIsHardAtFirst(t *testing.T) {
	gs := sceneGrays(t)
	decodes := func(g *image.Gray) bool {
		texts, _ := scan.Gray(context.Background(), g.Pix, g.Rect.Dx(), g.Rect.Dy(), g.Stride)
		return len(texts) > 0
	}
	if !decodes(gs[len(gs)-1]) {
		t.Errorf("the last, sharp frame does not decode")
	}
	first := -1
	for i, g := range gs {
		if decodes(g) {
			first = i
			break
		}
	}
	t.Logf("first frame that decodes on its own: %d of %d", first, len(gs))
	if first < 4 {
		t.Errorf("frame %d already decodes: the code should enter the view blurred", first)
	}
}

func TestHuffmanTables(t *testing.T) {
	img := image.NewYCbCr(image.Rect(0, 0, 64, 48), image.YCbCrSubsampleRatio420)
	for i := range img.Y {
		img.Y[i] = uint8(i * 37)
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(i*11), uint8(255-i*5)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	want, err := jpeg.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	stripped := camtest.StripDHT(buf.Bytes())
	if _, err := jpeg.Decode(bytes.NewReader(stripped)); err == nil {
		t.Fatal("a JPEG without DHT decoded: the test proves nothing")
	}
	fixed := camera.WithHuffmanTables(stripped)
	got, err := jpeg.Decode(bytes.NewReader(fixed))
	if err != nil {
		t.Fatalf("with the standard tables: %v", err)
	}
	a, b := want.(*image.YCbCr), got.(*image.YCbCr)
	if !bytes.Equal(a.Y, b.Y) || !bytes.Equal(a.Cb, b.Cb) || !bytes.Equal(a.Cr, b.Cr) {
		t.Error("the frame decodes to other pixels than with its own tables")
	}
	if !bytes.Equal(camera.WithHuffmanTables(buf.Bytes()), buf.Bytes()) {
		t.Error("a JPEG with tables was changed")
	}
	for _, junk := range [][]byte{nil, {0xff}, {0xff, 0xd8}, {0xff, 0xd8, 0xff, 0xe0, 0xff, 0xff}, []byte("not a jpeg")} {
		camera.WithHuffmanTables(junk) // must not panic
	}
}

func TestDecodeFrames(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 4, 2))
	for i := range src.Pix {
		src.Pix[i] = uint8(i * 9)
	}
	f := camera.EncodeYUYV(src)
	pic, err := camera.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if pic.Width != 4 || pic.Height != 2 || pic.Image.Bounds() != src.Bounds() {
		t.Fatalf("decoded %d×%d", pic.Width, pic.Height)
	}
	for x := range 4 {
		if want := f.Data[2*x]; pic.Y[x] != want {
			t.Errorf("Y[%d] = %d, want %d", x, pic.Y[x], want)
		}
	}
	for _, bad := range []camera.Frame{
		{Format: camera.YUYV, Width: 4, Height: 2, Data: make([]byte, 15)},
		{Format: camera.YUYV, Width: 3, Height: 2, Data: make([]byte, 12)},
		{Format: camera.MJPEG, Data: []byte{0xff, 0xd8, 0xff, 0xd9}},
		{Format: camera.Gray, Width: 4, Height: 4, Data: make([]byte, 15)},
		{Format: 99},
	} {
		if _, err := camera.Decode(bad); err == nil {
			t.Errorf("format %d, %d bytes for %d×%d: no error", bad.Format, len(bad.Data), bad.Width, bad.Height)
		}
	}
}

// TestNoCameraHere: these machines have no camera; the system says so
// with the error the UI turns into words.
func TestNoCameraHere(t *testing.T) {
	devs, err := camera.NewSystem().Devices()
	if len(devs) > 0 {
		t.Skipf("this machine has a camera: %v", devs)
	}
	if !errors.Is(err, camera.ErrNoCamera) && !errors.Is(err, camera.ErrBusy) {
		t.Errorf("Devices() = %v, want ErrNoCamera", err)
	}
	if _, err := camera.NewSystem().Open("/dev/video-none"); !errors.Is(err, camera.ErrNoCamera) {
		t.Errorf("Open(missing) = %v, want ErrNoCamera", err)
	}
}

// BenchmarkDecode: what the pump does to each frame before the preview
// (target: well under a 30 fps frame, 33 ms, at 1280×720), next to the
// baseline of decoding a JPEG that has its tables.
func BenchmarkDecode(b *testing.B) {
	s := camtest.Scene{Text: "CLA1:BENCH", Width: 1280, Height: 720, Moving: 1}
	yuyv, err := s.YUYV()
	if err != nil {
		b.Fatal(err)
	}
	mjpeg, err := s.MJPEG()
	if err != nil {
		b.Fatal(err)
	}
	g, _ := s.Grays()
	var withTables bytes.Buffer
	if err := jpeg.Encode(&withTables, g[0], &jpeg.Options{Quality: 80}); err != nil {
		b.Fatal(err)
	}
	b.Run("yuyv-720p", func(b *testing.B) {
		for b.Loop() {
			if _, err := camera.Decode(yuyv[0]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("mjpeg-no-dht-720p", func(b *testing.B) {
		for b.Loop() {
			if _, err := camera.Decode(mjpeg[0]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline-jpeg-with-dht-720p", func(b *testing.B) {
		for b.Loop() {
			if _, err := jpeg.Decode(bytes.NewReader(withTables.Bytes())); err != nil {
				b.Fatal(err)
			}
		}
	})
}
