package demo

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/keyfile"
	"github.com/minedu-cla/cla/i18n"
)

func TestRunTwice(t *testing.T) {
	dir := t.TempDir()
	o := Options{Dir: dir, Lang: i18n.ES, Now: time.Now, Rand: rand.Reader,
		KDF: keyfile.Params{Time: 1, MemoryKiB: 64, Threads: 1}}
	var out bytes.Buffer
	if err := Run(o, &out); err != nil {
		t.Fatal(err, out.String())
	}
	for _, want := range []string{"Claves de desarrollo creadas", "CLA1:", "VÁLIDA", "HUAMANÑAHUI VILLAVICENCIO, MARÍA DE LOS ÁNGELES"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	first, _ := os.ReadFile(filepath.Join(dir, "keyset.cose"))
	out.Reset()
	o.Lang = i18n.EN
	if err := Run(o, &out); err != nil {
		t.Fatal(err)
	}
	again, _ := os.ReadFile(filepath.Join(dir, "keyset.cose"))
	if !bytes.Equal(first, again) || !strings.Contains(out.String(), "reused") || !strings.Contains(out.String(), "VALID") {
		t.Errorf("second run did not reuse the keys:\n%s", out.String())
	}
	for _, f := range []string{"root.key", "signing.key"} {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", f, err, st.Mode())
		}
	}
}
