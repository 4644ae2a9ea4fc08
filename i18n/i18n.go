// Package i18n translates user-facing text. Spanish is the source
// language; English and Quechua (Southern Quechua, qu) are kept complete:
// a test fails when a catalog misses a key or a format verb differs.
package i18n

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/minedu-cla/cla/assets"
)

// Lang is a language code.
type Lang string

// Supported languages, Spanish first.
const (
	ES Lang = "es"
	EN Lang = "en"
	QU Lang = "qu"
)

// Langs lists the supported languages in display order.
var Langs = []Lang{ES, EN, QU}

var (
	once     sync.Once
	catalogs map[Lang]map[string]string
	loadErr  error
)

func load() {
	catalogs = map[Lang]map[string]string{}
	for _, l := range Langs {
		b, err := assets.I18n.ReadFile("i18n/" + string(l) + ".json")
		if err != nil {
			loadErr = err
			return
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			loadErr = fmt.Errorf("i18n: %s.json: %w", l, err)
			return
		}
		catalogs[l] = m
	}
}

// Catalog returns the messages of l (for tests and tools).
func Catalog(l Lang) (map[string]string, error) {
	once.Do(load)
	return catalogs[l], loadErr
}

// Parse returns the supported language named by s ("es", "es_PE.UTF-8",
// "EN", "quechua"…), or false.
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, l := range Langs {
		if strings.HasPrefix(s, string(l)) {
			return l, true
		}
	}
	return "", false
}

// FromEnv picks the language from CLA_LANG, else from the first of LC_ALL,
// LC_MESSAGES and LANG that is set (as POSIX does: LC_ALL=C over
// LANG=en_US means no localisation); Spanish when that names no supported
// language (C, POSIX, C.UTF-8, another language).
func FromEnv() Lang {
	if l, ok := Parse(os.Getenv("CLA_LANG")); ok {
		return l
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" {
			if l, ok := Parse(s); ok {
				return l
			}
			return ES
		}
	}
	return ES
}

// T returns message key in l, formatted with args. A key missing in l
// falls back to Spanish, then to the key itself.
func T(l Lang, key string, args ...any) string {
	once.Do(load)
	f, ok := catalogs[l][key]
	if !ok {
		if f, ok = catalogs[ES][key]; !ok {
			f = key
		}
	}
	if len(args) == 0 {
		return f
	}
	return fmt.Sprintf(f, args...)
}
