package synth

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/minedu-cla/cla/issuer/registry/dataset"
	"github.com/minedu-cla/cla/issuer/ubigeo"

	"github.com/minedu-cla/cla/atomicfile"
)

// File names Export writes.
const (
	DatasetFile = "registry.jsonl"
	UbigeoDir   = "ubigeo"
)

// WriteDataset writes g's whole population as a dataset file, family by
// family: the same Config gives the same bytes.
func WriteDataset(w io.Writer, g *Generator) error {
	dw, err := dataset.NewWriter(w, dataset.Header{Students: g.cfg.Students, Today: g.cfg.Today, Seed: g.cfg.Seed})
	if err != nil {
		return err
	}
	for i := range g.families {
		persons, students := g.Family(i)
		for _, p := range persons {
			if err := dw.Person(p); err != nil {
				return fmt.Errorf("synth: family %d: %w", i, err)
			}
		}
		for _, s := range students {
			if err := dw.Student(s); err != nil {
				return fmt.Errorf("synth: family %d: %w", i, err)
			}
		}
	}
	return dw.Close()
}

// WriteUbigeo writes the catalogue of the places the population lives in,
// in the official files' format (the columns ubigeo.Read needs).
func WriteUbigeo(deps, provs, dists io.Writer) error {
	type row struct{ reniec, inei, dep, prov, dist string }
	var d, p, x []row
	seen := map[ubigeo.Code]bool{}
	for _, pl := range places {
		dc, pc := pl.reniec.Department(), pl.reniec.Province()
		if !seen[dc] {
			d = append(d, row{string(dc), pl.depINEI, pl.dep, "", ""})
		}
		if !seen[pc] {
			p = append(p, row{string(pc), pl.provINEI, pl.dep, pl.prov, ""})
		}
		seen[dc], seen[pc] = true, true
		x = append(x, row{string(pl.reniec), string(pl.inei), pl.dep, pl.prov, pl.dist})
	}
	byCode := func(a, b row) int { return strings.Compare(a.reniec, b.reniec) }
	slices.SortFunc(d, byCode)
	slices.SortFunc(p, byCode)
	slices.SortFunc(x, byCode)
	write := func(w io.Writer, header []string, rows []row) error {
		cw := csv.NewWriter(w)
		cw.Write(header)
		for _, r := range rows {
			cw.Write([]string{r.inei, r.reniec, r.dep, r.prov, r.dist}[:len(header)])
		}
		cw.Flush()
		return cw.Error()
	}
	base := []string{"inei", "reniec", "departamento", "provincia", "distrito"}
	if err := write(deps, base[:3], d); err != nil {
		return err
	}
	if err := write(provs, base[:4], p); err != nil {
		return err
	}
	return write(dists, base, x)
}

// Export writes cfg's population to dir: DatasetFile and the three ubigeo
// CSV files under UbigeoDir. Files are replaced only once fully written.
func Export(dir string, cfg Config) error {
	g, err := New(cfg)
	if err != nil {
		return err
	}
	var data, deps, provs, dists bytes.Buffer
	if err := WriteDataset(&data, g); err != nil {
		return err
	}
	if err := WriteUbigeo(&deps, &provs, &dists); err != nil {
		return err
	}
	files := map[string][]byte{
		DatasetFile: data.Bytes(),
		filepath.Join(UbigeoDir, ubigeo.DepartmentsFile): deps.Bytes(),
		filepath.Join(UbigeoDir, ubigeo.ProvincesFile):   provs.Bytes(),
		filepath.Join(UbigeoDir, ubigeo.DistrictsFile):   dists.Bytes(),
	}
	if err := os.MkdirAll(filepath.Join(dir, UbigeoDir), 0o755); err != nil {
		return err
	}
	for name, b := range files {
		if err := atomicfile.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
