package pdfdoc

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/minedu-cla/cla/internal/testpdf"
)

// FuzzRead: no PDF makes the reader panic, hang or hand over an image
// larger than the caps. Seeds: a PDF like the issuer's (a QR image and an
// attachment), a scanned page, and the bombs of testpdf.Bombs (a JPEG
// whose header claims 20000×20000, Flate streams of 256 MiB behind small
// images and as page content).
func FuzzRead(f *testing.F) {
	pdf, err := testpdf.Make([]testpdf.Page{{QR: "CLA1:FUZZ", Text: "Constancia"}}, map[string][]byte{"record.cose": []byte("x")})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(pdf)
	f.Add(testpdf.Raw([]testpdf.RawImage{{Dict: "/Width 2 /Height 2 /ColorSpace /DeviceRGB /BitsPerComponent 8", Stream: make([]byte, 12)}}, nil, ""))
	for _, b := range testpdf.Bombs() {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// A reading that hangs is a failure the fuzzer keeps, with the
		// stacks of where it hung.
		hung := time.AfterFunc(hangAfter, func() {
			buf := make([]byte, 1<<20)
			panic(fmt.Sprintf("read still running after %v:\n%s", hangAfter, buf[:runtime.Stack(buf, true)]))
		})
		defer hung.Stop()
		c, err := Each(context.Background(), data, func(im PageImage) error {
			b := im.Image.Bounds()
			if int64(b.Dx())*int64(b.Dy()) > MaxImagePixels {
				t.Errorf("image of %dx%d handed over", b.Dx(), b.Dy())
			}
			return nil
		})
		if err != nil {
			if !errors.Is(err, ErrNotPDF) {
				t.Errorf("error %v is not ErrNotPDF", err)
			}
			return
		}
		if c.Pages > MaxPages || len(c.Attachments) > MaxAttachments {
			t.Errorf("%d pages, %d attachments", c.Pages, len(c.Attachments))
		}
		for _, a := range c.Attachments {
			if len(a.Data) > MaxAttachment {
				t.Errorf("attachment of %d bytes", len(a.Data))
			}
		}
	})
}

// hangAfter is far beyond any real read (a constancia takes ~2 ms, a
// scanned 10-page folder ~1 s).
const hangAfter = 20 * time.Second

// TestBombs: each bomb is refused as too large, or read without the
// parts the caps refuse: no image bigger than its dictionary says, no image
// from a JPEG whose own header claims 400 Mpx. (Memory: qrfile's
// TestHostileFilesMemory.)
func TestBombs(t *testing.T) {
	for name, data := range testpdf.Bombs() {
		t.Run(name, func(t *testing.T) {
			var px []int
			_, err := Each(context.Background(), data, func(im PageImage) error {
				px = append(px, im.Image.Bounds().Dx()*im.Image.Bounds().Dy())
				return nil
			})
			if err != nil && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v, want ErrTooLarge or a bounded read", err)
			}
			for _, n := range px {
				if n > 6000*6000 || (strings.HasPrefix(name, "jpeg") || strings.HasPrefix(name, "three-jpeg")) {
					t.Errorf("an image of %d pixels handed over", n)
				}
			}
		})
	}
}
