package registry

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

func joinName(names, s1, s2 string) string {
	return strings.Join(strings.Fields(names+" "+s1+" "+s2), " ")
}

// checkNames checks given names and first surname are present and every
// part is clean text.
func checkNames(names, s1, s2 string) error {
	if err := checkName(names, true); err != nil {
		return fmt.Errorf("registry: names: %w", err)
	}
	if err := checkName(s1, true); err != nil {
		return fmt.Errorf("registry: first surname: %w", err)
	}
	if err := checkName(s2, false); err != nil {
		return fmt.Errorf("registry: second surname: %w", err)
	}
	return nil
}

// checkName accepts printable UTF-8 within MaxNameLen with no leading or
// trailing space; the message never quotes the name.
func checkName(s string, required bool) error {
	switch {
	case s == "" && required:
		return fmt.Errorf("missing")
	case len(s) > MaxNameLen || !utf8.ValidString(s) || strings.TrimSpace(s) != s:
		return fmt.Errorf("malformed")
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return fmt.Errorf("malformed")
		}
	}
	return nil
}
