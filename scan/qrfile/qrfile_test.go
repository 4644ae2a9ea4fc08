package qrfile

import (
	"bytes"
	"context"
	"image/png"
	"testing"

	"github.com/minedu-cla/cla/internal/sample"
	"github.com/minedu-cla/cla/internal/testpdf"
	"github.com/skip2/go-qrcode"
)

func TestTexts(t *testing.T) {
	text, _, doc, err := sample.Sealed(sample.Key("qrfile"), sample.ShortStudent(), 3)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := qrcode.New(text, qrcode.High)
	var photo bytes.Buffer
	png.Encode(&photo, q.Image(400))
	pdf, err := testpdf.Make([]testpdf.Page{{Text: "1"}, {QR: text}, {QR: text}}, map[string][]byte{"r.cla": doc})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"png": photo.Bytes(), "pdf": pdf} {
		got, err := Texts(context.Background(), data)
		if err != nil || len(got) != 1 || got[0] != text {
			t.Errorf("%s: %d texts, %v", name, len(got), err)
		}
	}
	blank, _ := testpdf.Make([]testpdf.Page{{Text: "nada"}}, nil)
	if got, err := Texts(context.Background(), blank); err != nil || len(got) != 0 {
		t.Errorf("blank PDF: %v %v", got, err)
	}
	if _, err := Texts(context.Background(), []byte("%PDF-1.7 roto")); err == nil {
		t.Error("a broken PDF read without error")
	}
}
