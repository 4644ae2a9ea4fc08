package ubigeo

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// sharedDir is the reference list beside the repository (../shared/data),
// seen from this package's folder.
var sharedDir = filepath.Join("..", "..", "..", "shared", "data", "ubigeo")

func loadShared(t *testing.T) *Catalogue {
	t.Helper()
	if _, err := os.Stat(sharedDir); err != nil {
		t.Skipf("reference ubigeo list not found at %s", sharedDir)
	}
	c, err := LoadDir(sharedDir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLoadFullList(t *testing.T) {
	t.Parallel()
	c := loadShared(t)
	deps, provs, dists := c.Count()
	// 1,893 districts, less SANTA MARIA DE HUACHIPA whose RENIEC code is NA.
	if deps != 25 || provs != 196 || dists != 1892 {
		t.Fatalf("Count() = %d, %d, %d; want 25, 196, 1892", deps, provs, dists)
	}
	skipped := c.Skipped()
	if len(skipped) != 1 || skipped[0].File != DistrictsFile || !strings.Contains(skipped[0].Reason, "HUACHIPA") {
		t.Fatalf("Skipped() = %+v", skipped)
	}
}

func TestFullListLookups(t *testing.T) {
	t.Parallel()
	c := loadShared(t)
	tests := []struct {
		code            Code
		dep, prov, dist string
		inei            string
	}{
		{"140101", "LIMA", "LIMA", "LIMA", "150101"},
		{"240101", "CALLAO", "CALLAO", "CALLAO", "070101"},
		{"021305", "ANCASH", "SANTA", "NEPEÑA", "021806"},
		{"170107", "MOQUEGUA", "MARISCAL NIETO", "SAN ANTONIO", ""}, // INEI is NA
	}
	for _, tt := range tests {
		dep, prov, dist, ok := c.Path(tt.code)
		if !ok || dep.Name != tt.dep || prov.Name != tt.prov || dist.Name != tt.dist || dist.INEI != tt.inei {
			t.Errorf("Path(%s) = %v %v %v %v", tt.code, dep, prov, dist, ok)
		}
	}
	if c.IsDistrict("140100") || c.IsDistrict("999999") {
		t.Error("IsDistrict accepted a province or an unknown code")
	}
}

// TestPickers walks department → province → district the way the request
// form does and checks every district is reachable exactly once.
func TestPickers(t *testing.T) {
	t.Parallel()
	c := loadShared(t)
	seen := map[Code]bool{}
	for _, d := range c.Departments() {
		provs := c.Provinces(d.Code)
		if len(provs) == 0 {
			t.Errorf("department %s has no provinces", d.Name)
		}
		for _, p := range provs {
			for _, x := range c.Districts(p.Code) {
				if seen[x.Code] || x.Code.Province() != p.Code {
					t.Errorf("district %s listed twice or under the wrong province", x.Code)
				}
				seen[x.Code] = true
			}
		}
	}
	if len(seen) != 1892 {
		t.Fatalf("pickers reach %d districts; want 1892", len(seen))
	}
	deps := c.Departments()
	if deps[0].Name != "AMAZONAS" || deps[len(deps)-1].Name != "UCAYALI" {
		t.Errorf("departments not sorted by name: %s … %s", deps[0].Name, deps[len(deps)-1].Name)
	}
	if c.Provinces("140101") != nil || c.Districts("140000") != nil {
		t.Error("pickers answered for a code of the wrong level")
	}
}

const (
	okDeps  = "inei,reniec,departamento\n150000,140000,LIMA\n"
	okProvs = "inei,reniec,departamento,provincia\n150100,140100,LIMA,LIMA\n"
	okDists = "inei,reniec,departamento,provincia,distrito\n150101,140101,LIMA,LIMA,LIMA\n150144,NA,LIMA,LIMA,SANTA MARIA DE HUACHIPA\n"
)

func TestReadSmall(t *testing.T) {
	t.Parallel()
	c, err := Read(strings.NewReader(okDeps), strings.NewReader(okProvs), strings.NewReader(okDists))
	if err != nil {
		t.Fatal(err)
	}
	if d, p, x := c.Count(); d != 1 || p != 1 || x != 1 {
		t.Fatalf("Count() = %d %d %d", d, p, x)
	}
	if n := c.Skipped(); len(n) != 1 || n[0].Line != 3 {
		t.Fatalf("Skipped() = %+v", n)
	}
}

func TestReadMalformed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name               string
		deps, provs, dists string
		want               string
	}{
		{"empty file", "", okProvs, okDists, "empty file"},
		{"no reniec column", "inei,departamento\n150000,LIMA\n", okProvs, okDists, "header must name"},
		{"bad code", okDeps, okProvs, "reniec,distrito\n1401x1,LIMA\n", ":2: bad RENIEC code"},
		{"district code in province file", okDeps, "reniec,provincia\n140101,LIMA\n", okDists, "bad RENIEC code"},
		{"orphan district", okDeps, okProvs, "reniec,distrito\n150101,LIMA\n", "no parent"},
		{"duplicate", okDeps, okProvs, "reniec,distrito\n140101,LIMA\n140101,LIMA\n", "duplicate"},
		{"missing name", okDeps, okProvs, "reniec,distrito\n140101,NA\n", "missing or invalid name"},
		{"ragged row", okDeps, okProvs, "reniec,distrito\n140101,LIMA,EXTRA\n", "wrong number of fields"},
		{"bad quote", okDeps, okProvs, "reniec,distrito\n140101,\"LI\"MA\n", "quote"},
		{"no departments", "reniec,departamento\n", okProvs, okDists, "no parent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.deps), strings.NewReader(tt.provs), strings.NewReader(tt.dists))
			if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Read() error = %v; want ErrMalformed containing %q", err, tt.want)
			}
		})
	}
}

func TestReadTooLarge(t *testing.T) {
	t.Parallel()
	big := okDists + strings.Repeat("#", MaxFileBytes)
	_, err := Read(strings.NewReader(okDeps), strings.NewReader(okProvs), strings.NewReader(big))
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("Read() error = %v", err)
	}
}

func TestLoadFSMissingFile(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{DepartmentsFile: {Data: []byte(okDeps)}}
	if _, err := LoadFS(fsys); err == nil {
		t.Fatal("LoadFS succeeded without the province and district files")
	}
}

func TestParseCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		level Level
		ok    bool
	}{
		{"140000", Department, true},
		{"140100", Province, true},
		{" 140101 ", District, true},
		{"000101", 0, false},
		{"140001", 0, false},
		{"14010", 0, false},
		{"14010a", 0, false},
	}
	for _, tt := range tests {
		c, err := ParseCode(tt.in)
		if (err == nil) != tt.ok || (tt.ok && c.Level() != tt.level) {
			t.Errorf("ParseCode(%q) = %v, %v", tt.in, c, err)
		}
	}
	if c := Code("140101"); c.Department() != "140000" || c.Province() != "140100" {
		t.Error("Department/Province of 140101")
	}
}

func FuzzRead(f *testing.F) {
	f.Add(okDists)
	f.Add("reniec,distrito\n\"140101\",\"LI\nMA\"\n")
	f.Add("\ufeffreniec,distrito\r\n140101,Ñ\r\n")
	if b, err := os.ReadFile(filepath.Join(sharedDir, DistrictsFile)); err == nil {
		f.Add(string(b[:4000]))
	}
	f.Fuzz(func(t *testing.T, dists string) {
		c, err := Read(strings.NewReader(okDeps), strings.NewReader(okProvs), strings.NewReader(dists))
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", err)
			}
			return
		}
		for _, p := range c.Provinces("140000") {
			for _, d := range c.Districts(p.Code) {
				if !c.IsDistrict(d.Code) || d.Code.Province() != p.Code {
					t.Fatalf("inconsistent district %v", d)
				}
			}
		}
	})
}
