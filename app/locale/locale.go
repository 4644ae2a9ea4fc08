// Package locale makes the process locale one Fyne can read, before Fyne
// reads it. Under LANG=C.UTF-8 (or LC_ALL=C…) Fyne's start-up logs "Fyne
// error: Error parsing user locale C" and its own words (file dialogs)
// fall back to English, while the app speaks Spanish (i18n.FromEnv).
//
// Fyne looks the locale up in its lang package's init, before main runs,
// so the fix runs in this package's init: main imports it for that alone.
// It imports only os and strings, which Fyne's lang package depends on
// too (through text/template); and since Go initialises, at each step,
// the first ready package in import-path order, this one (ready once os
// and strings are) comes before text/template and so before Fyne.
package locale

import (
	"os"
	"strings"
)

func init() { Fix() }

// Fix names the app's language for Fyne when the locale that decides (the
// first of LC_ALL, LC_MESSAGES and LANG that is set) is C or POSIX, with
// or without a codeset, or none is set: LANGUAGE becomes the app's
// language (CLA_LANG's, else Spanish) unless the user set it, and a bare
// C or POSIX becomes C.UTF-8, so that LANGUAGE is read (gettext ignores it
// under a bare C). A real locale is left alone.
func Fix() {
	name, value := "", ""
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" {
			name, value = v, s
			break
		}
	}
	base, _, _ := strings.Cut(value, ".")
	if base != "" && base != "C" && base != "POSIX" {
		return
	}
	if value == "C" || value == "POSIX" {
		os.Setenv(name, "C.UTF-8")
	}
	if os.Getenv("LANGUAGE") == "" {
		os.Setenv("LANGUAGE", appLang())
	}
}

// appLang is CLA_LANG's language when it names one the app has, else
// Spanish (the rule of i18n.FromEnv, which this package cannot import
// without losing its place before Fyne).
func appLang() string {
	l := strings.ToLower(strings.TrimSpace(os.Getenv("CLA_LANG")))
	for _, s := range []string{"es", "en", "qu"} {
		if strings.HasPrefix(l, s) {
			return s
		}
	}
	return "es"
}
