package scan

import (
	"bytes"
	"image"
	"image/jpeg"
	"testing"
)

func TestJPEGCost(t *testing.T) {
	t.Parallel()
	enc := func(img image.Image) []byte {
		var b bytes.Buffer
		if err := jpeg.Encode(&b, img, nil); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	tests := []struct {
		name string
		data []byte
		want float64
	}{
		{"grey", enc(image.NewGray(image.Rect(0, 0, 16, 16))), 1},
		{"colour 4:2:0", enc(image.NewRGBA(image.Rect(0, 0, 16, 16))), 1.5},
		{"not a jpeg", []byte("\xff\xd8\xffjunk"), 16},
		{"truncated", []byte("\xff\xd8"), 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := jpegCost(tt.data, image.Config{}); got != tt.want {
				t.Errorf("jpegCost = %v, want %v", got, tt.want)
			}
		})
	}
}
