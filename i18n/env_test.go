package i18n

import "testing"

// TestFromEnvCLocale: the first locale variable set decides, as in POSIX:
// LC_ALL=C (or POSIX) over LANG=en_US means no localisation, so the
// default, Spanish; CLA_LANG still wins over all.
func TestFromEnvCLocale(t *testing.T) {
	for _, c := range []struct {
		all, messages, lang, cla string
		want                     Lang
	}{
		{"C", "", "en_US.UTF-8", "", ES},
		{"POSIX", "", "en_US.UTF-8", "", ES},
		{"C.UTF-8", "en_US.UTF-8", "", "", ES},
		{"", "C", "en_US.UTF-8", "", ES},
		{"", "", "C", "", ES},
		{"", "", "POSIX", "", ES},
		{"C", "", "", "qu", QU},
		{"", "en_GB.UTF-8", "es_PE.UTF-8", "", EN},
		{"", "", "en_US.UTF-8", "", EN},
	} {
		t.Setenv("LC_ALL", c.all)
		t.Setenv("LC_MESSAGES", c.messages)
		t.Setenv("LANG", c.lang)
		t.Setenv("CLA_LANG", c.cla)
		if got := FromEnv(); got != c.want {
			t.Errorf("LC_ALL=%q LC_MESSAGES=%q LANG=%q CLA_LANG=%q: %s, want %s", c.all, c.messages, c.lang, c.cla, got, c.want)
		}
	}
}
