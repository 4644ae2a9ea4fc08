package server

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/minedu-cla/cla/issuer/audit"
	"github.com/minedu-cla/cla/issuer/constancia"
	"github.com/minedu-cla/cla/issuer/store"
)

// TestPreload: cla-load -preload's fill issues what the issuer itself
// would: n constancias with distinct codes, status indices and students,
// an audit entry each in an intact chain; and the issuer started on the filled folder answers "valid"
// for them by code.
func TestPreload(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	cfg := Config{DataDir: data, DevKeys: true, StatusSize: 1 << 17}
	var reports []int
	if err := Preload(ctx, cfg, 1200, 5, func(done int) { reports = append(reports, done) }); err != nil {
		t.Fatal(err)
	}
	if len(reports) != 2 || reports[1] != 1200 {
		t.Fatalf("progress %v, want two batches ending at 1200", reports)
	}
	db, err := store.OpenBolt(filepath.Join(data, "db_micertificado"))
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	codeSet, indices, students := map[string]bool{}, map[uint64]bool{}, map[string]bool{}
	err = db.View(ctx, func(tx store.Tx) error {
		return tx.ForEach(func(c *constancia.Issued) error {
			if codeSet[c.Code] || indices[c.StatusIndex] || students[c.StudentKey] {
				t.Errorf("constancia %d repeats a code, index or student", c.ID)
			}
			codeSet[c.Code], indices[c.StatusIndex], students[c.StudentKey] = true, true, true
			if c.State != constancia.Active || len(c.QRText) == 0 || len(c.RecordDoc) == 0 || len(c.Student.DocNumber) == 0 {
				t.Errorf("constancia %d incomplete: %+v", c.ID, c.State)
			}
			codes = append(codes, c.Code)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := audit.Check(ctx, db)
	db.Close()
	if err != nil || !rep.OK() || rep.Entries < 1200 {
		t.Fatalf("audit chain after the preload: %d entries, %v, %v", rep.Entries, rep.First, err)
	}
	if len(codes) != 1200 {
		t.Fatalf("%d constancias stored, want 1200", len(codes))
	}

	url, stop := startIssuerWith(t, Config{Addr: "127.0.0.1:0", DataDir: data, DevKeys: true, StatusSize: 1 << 17})
	defer stop()
	for _, code := range []string{codes[0], codes[599], codes[1199]} {
		var v struct {
			Status string `json:"status"`
		}
		if err := json.Unmarshal(get(t, url+"/api/v1/constancias/"+code), &v); err != nil || v.Status != "valid" {
			t.Errorf("code %s by the API: %q, %v", code, v.Status, err)
		}
	}
}
