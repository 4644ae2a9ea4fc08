package ubigeo

import "testing"

// TestCodeMethodsOnForeignStrings: a Code made by conversion from a form
// value of any length never panics and names no level.
func TestCodeMethodsOnForeignStrings(t *testing.T) {
	for _, s := range []string{"", "0", "14", "1401", "14010", "1401011", "ab\x00"} {
		c := Code(s)
		if l := c.Level(); l != 0 {
			t.Errorf("Code(%q).Level() = %d, want 0", s, l)
		}
		if d, p := c.Department(), c.Province(); d != "" || p != "" {
			t.Errorf("Code(%q): department %q province %q, want none", s, d, p)
		}
	}
	if c := Code("140101"); c.Level() != District || c.Department() != "140000" || c.Province() != "140100" {
		t.Errorf("140101: level %d, department %s, province %s", c.Level(), c.Department(), c.Province())
	}
}
