package pdf

import (
	"bytes"
	"compress/zlib"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"
	"github.com/minedu-cla/cla/assets"
)

var update = flag.Bool("update", false, "regenerate the Windows-1252 font definitions in assets/fonts")

// TestFontDefs checks that the fast font definitions are the TrueType
// files of assets/fonts cut to Windows-1252; with -update it writes them.
// The .z files are compared inflated: zlib output may change with Go.
func TestFontDefs(t *testing.T) {
	dir := t.TempDir()
	for _, ff := range fontFiles {
		ttf, err := fs.ReadFile(assets.Fonts, ff.ttf)
		if err != nil {
			t.Fatal(err)
		}
		jsonDef, z, err := makeFontDef(ttf, filepath.Base(ff.fast), dir)
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			dst := filepath.Join("..", "..", "assets", ff.fast)
			if err := os.WriteFile(dst+".json", jsonDef, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dst+".z", z, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		oldJSON, _ := fs.ReadFile(assets.Fonts, ff.fast+".json")
		oldZ, _ := fs.ReadFile(assets.Fonts, ff.fast+".z")
		if !bytes.Equal(oldJSON, jsonDef) || !bytes.Equal(inflate(t, oldZ), inflate(t, z)) {
			t.Errorf("%s is stale: go test ./issuer/pdf -run TestFontDefs -update", ff.fast)
		}
	}
}

// makeFontDef cuts ttf to Windows-1252 and makes the fpdf definition
// (JSON, and the compressed font it names as name.z).
func makeFontDef(ttf []byte, name, dir string) (jsonDef, z []byte, err error) {
	cut := fpdf.UTF8CutFont(ttf, string(cp1252Runes()))
	ttfPath := filepath.Join(dir, name+".ttf")
	mapPath := filepath.Join(dir, "cp1252.map")
	if err := os.WriteFile(ttfPath, cut, 0o644); err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(mapPath, []byte(cp1252Map()), 0o644); err != nil {
		return nil, nil, err
	}
	if err := fpdf.MakeFont(ttfPath, mapPath, dir, nil, true); err != nil {
		return nil, nil, err
	}
	if jsonDef, err = os.ReadFile(filepath.Join(dir, name+".json")); err != nil {
		return nil, nil, err
	}
	z, err = os.ReadFile(filepath.Join(dir, name+".z"))
	return jsonDef, z, err
}

// cp1252Map writes the code page in fpdf's map format ("!E9 U+00E9 name");
// MakeFont reads the code points, and the names only for encodings other
// than Windows-1252.
func cp1252Map() string {
	var b strings.Builder
	for c := 0; c < 256; c++ {
		r, ok := cp1252Rune(byte(c))
		if !ok {
			fmt.Fprintf(&b, "!%02X U+%04X .notdef\n", c, c)
			continue
		}
		fmt.Fprintf(&b, "!%02X U+%04X uni%04X\n", c, r, r)
	}
	return b.String()
}

func inflate(t *testing.T, z []byte) []byte {
	t.Helper()
	r, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
