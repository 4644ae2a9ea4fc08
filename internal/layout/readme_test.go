package layout

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var ticked = regexp.MustCompile("`([^`]+)`")

// TestReadmeLayout: README's layout table names every package of the
// module (itself, an ancestor below the top folder, or by its name in the
// row of a top folder such as `tools/`), and every path in its first
// column exists.
func TestReadmeLayout(t *testing.T) {
	root := filepath.Join("..", "..")
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start := strings.Index(text, "## Layout")
	if start < 0 {
		t.Fatal("README.md has no ## Layout section")
	}
	section := text[start+len("## Layout"):]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	named := map[string]bool{}        // paths in first cells
	inTopRow := map[string][]string{} // "tools" → every ticked word of its row
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 3 || strings.HasPrefix(strings.TrimSpace(cells[1]), "---") {
			continue
		}
		for _, m := range ticked.FindAllStringSubmatch(cells[1], -1) {
			p := strings.TrimSuffix(m[1], "/")
			named[p] = true
			if _, err := os.Stat(filepath.Join(root, p)); err != nil {
				t.Errorf("README layout names %s, which does not exist", m[1])
			}
			if m[1] == p+"/" && !strings.Contains(p, "/") {
				for _, w := range ticked.FindAllStringSubmatch(line, -1) {
					inTopRow[p] = append(inTopRow[p], w[1])
				}
			}
		}
	}
	_, pkgs, err := List(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		dir, err := filepath.Rel(mustAbs(t, root), p.Dir)
		if err != nil {
			t.Fatal(err)
		}
		dir = filepath.ToSlash(dir)
		if !isNamed(dir, named, inTopRow) {
			t.Errorf("README layout table does not name %s", dir)
		}
	}
}

func isNamed(dir string, named map[string]bool, inTopRow map[string][]string) bool {
	if dir == "." {
		return named["main.go"]
	}
	parts := strings.Split(dir, "/")
	for i := len(parts); i >= 2 || i == len(parts); i-- {
		if named[strings.Join(parts[:i], "/")] {
			return true
		}
		if i <= 1 {
			break
		}
	}
	if len(parts) >= 2 {
		for _, w := range inTopRow[parts[0]] {
			if w == parts[1] || w == strings.Join(parts[1:], "/") {
				return true
			}
		}
	}
	return false
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
