package i18n

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"testing"

	"github.com/minedu-cla/cla/assets"
)

var verbs = regexp.MustCompile(`%[-+# 0]*[0-9]*(\.[0-9]+)?[vTtbcdoOqxXUeEfFgGsp%]`)

// TestCatalogsComplete: every language has every key, and the same format
// verbs in the same order.
func TestCatalogsComplete(t *testing.T) {
	es, err := Catalog(ES)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) == 0 {
		t.Fatal("empty Spanish catalog")
	}
	for _, l := range Langs[1:] {
		c, _ := Catalog(l)
		for k, v := range es {
			tr, ok := c[k]
			if !ok {
				t.Errorf("%s: missing %q", l, k)
				continue
			}
			if tr == "" {
				t.Errorf("%s: empty %q", l, k)
			}
			if a, b := verbs.FindAllString(v, -1), verbs.FindAllString(tr, -1); !slices.Equal(a, b) {
				t.Errorf("%s: %q has verbs %v, Spanish has %v", l, k, b, a)
			}
		}
		for k := range c {
			if _, ok := es[k]; !ok {
				t.Errorf("%s: %q is not in the Spanish catalog", l, k)
			}
		}
	}
}

// TestNoDuplicateKeys: JSON decoding keeps the last of two equal keys
// silently; a catalog must not have any.
func TestNoDuplicateKeys(t *testing.T) {
	for _, l := range Langs {
		b, err := assets.I18n.ReadFile("i18n/" + string(l) + ".json")
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		seen := map[string]bool{}
		dec.Token() // {
		for dec.More() {
			k, _ := dec.Token()
			var v string
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("%s: %v", l, err)
			}
			if seen[k.(string)] {
				t.Errorf("%s: key %q twice", l, k)
			}
			seen[k.(string)] = true
		}
	}
}

func TestParseAndFallback(t *testing.T) {
	for in, want := range map[string]Lang{"es_PE.UTF-8": ES, "EN": EN, "qu_PE": QU, "quechua": QU} {
		if got, ok := Parse(in); !ok || got != want {
			t.Errorf("Parse(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := Parse("fr_FR"); ok {
		t.Error("French parsed")
	}
	if got := T(EN, "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key = %q", got)
	}
	t.Setenv("CLA_LANG", "")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "en_US.UTF-8")
	if FromEnv() != EN {
		t.Error("LANG=en_US not English")
	}
	t.Setenv("LANG", "C.UTF-8")
	if FromEnv() != ES {
		t.Error("default is not Spanish")
	}
}
