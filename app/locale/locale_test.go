package locale_test

import (
	"bytes"
	"log"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"github.com/minedu-cla/cla/app/locale"
)

// TestCLocale: under a C or POSIX locale (bare, with a codeset, as LC_ALL
// over another LANG, or none at all) Fyne's locale lookup logs no "Fyne
// error" and finds Spanish, the app's language; CLA_LANG names it when
// set; a real locale is left alone.
func TestCLocale(t *testing.T) {
	for _, c := range []struct {
		all, lang, language, cla string
		want                     string // Fyne's language after Fix
	}{
		{"", "C", "", "", "es"},
		{"", "POSIX", "", "", "es"},
		{"", "C.UTF-8", "", "", "es"},
		{"C", "en_US.UTF-8", "", "", "es"},
		{"POSIX.UTF-8", "", "", "", "es"},
		{"", "", "", "", "es"},
		{"", "C.UTF-8", "", "en", "en"},
		{"", "es_PE.UTF-8", "", "", "es"},
		{"", "en_GB.UTF-8", "", "", "en"},
	} {
		t.Setenv("LC_ALL", c.all)
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", c.lang)
		t.Setenv("LANGUAGE", c.language)
		t.Setenv("CLA_LANG", c.cla)
		locale.Fix()
		var buf bytes.Buffer
		log.SetOutput(&buf)
		got := lang.SystemLocale().LanguageString()
		log.SetOutput(os.Stderr)
		if strings.Contains(buf.String(), "Fyne error") || !strings.HasPrefix(got, c.want) {
			t.Errorf("LC_ALL=%q LANG=%q CLA_LANG=%q: Fyne reads %q, want %q; log: %s", c.all, c.lang, c.cla, got, c.want, buf.String())
		}
	}
}
