package credential_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/internal/sample"
)

// seedVectors adds the QR texts of the committed test vectors.
func seedVectors(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "vectors", "credential", "*.json"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		var v struct{ QR string }
		if err := json.Unmarshal(b, &v); err != nil {
			f.Fatal(err)
		}
		f.Add(v.QR)
	}
}

// FuzzOpen: any text either fails with a status other than valid, or is
// one of the codes signer signed.
func FuzzOpen(f *testing.F) {
	seedVectors(f)
	signed := map[string]bool{}
	for _, st := range []credential.Student{sample.Student(), sample.ShortStudent()} {
		for _, n := range []int{1, 5, 13} {
			text, _, _, err := sample.Sealed(signer, st, n)
			if err != nil {
				f.Fatal(err)
			}
			msg, _ := credential.Decode(text)
			signed[string(msg)] = true
			f.Add(text)
			link, err := credential.Link("https://cla.minedu.gob.pe", text)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(link)
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, _, err := credential.Open(text, keys)
		status := credential.StatusOf(err)
		if err != nil {
			if status == credential.Valid {
				t.Fatalf("error %v maps to valid", err)
			}
			return
		}
		msg, _ := credential.Decode(text)
		if !signed[string(msg)] {
			t.Fatalf("an unsigned code opened: %+v", c)
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("opened claims do not validate: %v", err)
		}
	})
}

func FuzzOpenRecord(f *testing.F) {
	_, _, doc, err := sample.Sealed(signer, sample.Student(), 13)
	if err != nil {
		f.Fatal(err)
	}
	_, _, short, _ := sample.Sealed(signer, sample.ShortStudent(), 2)
	f.Add(doc)
	f.Add(short)
	f.Fuzz(func(t *testing.T, b []byte) {
		r, _, err := credential.OpenRecord(b, keys)
		if err != nil {
			return
		}
		if !bytes.Equal(b, doc) && !bytes.Equal(b, short) {
			t.Fatalf("an unsigned record opened: %+v", r.Student)
		}
	})
}
