// Package degrade generates a deterministic set of damaged pictures of real
// CLA QR codes, to measure decoders against each other (scan
// against zbarimg). Every parameter is drawn from a seeded generator, so a
// decoder cannot be tuned to a fixed handful of pictures.
package degrade

import (
	"fmt"
	"math/rand/v2"
	"sync"
)

// Case is one picture and every QR text a decoder must read from it.
type Case struct {
	Name     string // e.g. "blur-003.png"
	Category string
	Texts    []string
	Format   string // "png" or "jpeg"
	Data     []byte
}

// Spec is a case before rendering: cheap to list, deterministic to render.
type Spec struct {
	Category string
	Index    int
	Seed     uint64
}

// Categories are the kinds of damage, in report order.
var Categories = []string{"clean", "rotate", "rot90", "perspective", "blur", "noise", "jpeg",
	"lowcontrast", "glare", "inverted", "two", "small", "scan150", "webcam", "photo", "phone"}

// Specs lists n cases of every category.
func Specs(seed uint64, n int) []Spec {
	var s []Spec
	for _, c := range Categories {
		for i := range n {
			s = append(s, Spec{Category: c, Index: i, Seed: seed})
		}
	}
	return s
}

// Render draws the picture of s.
func (s Spec) Render() (Case, error) {
	r := rand.New(rand.NewPCG(s.Seed, uint64(s.Index)<<8|uint64(catIndex(s.Category))))
	sh, err := build(s.Category, s.Index, r)
	if err != nil {
		return Case{}, fmt.Errorf("%s %d: %w", s.Category, s.Index, err)
	}
	data, format, err := sh.cam.shoot(sh.scene.render(), sh.scene.w, sh.scene.h, r)
	if err != nil {
		return Case{}, err
	}
	ext := map[string]string{"png": "png", "jpeg": "jpg"}[format]
	return Case{Name: fmt.Sprintf("%s-%03d.%s", s.Category, s.Index, ext), Category: s.Category,
		Texts: sh.texts, Format: format, Data: data}, nil
}

func catIndex(c string) int {
	for i, k := range Categories {
		if k == c {
			return i
		}
	}
	return len(Categories)
}

// poolSize is how many distinct real QR texts the set draws from.
const poolSize = 32

var pool = sync.OnceValues(func() ([]string, error) {
	texts := make([]string, poolSize)
	for i := range texts {
		t, err := Text(i)
		if err != nil {
			return nil, err
		}
		texts[i] = t
	}
	return texts, nil
})
