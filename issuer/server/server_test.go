package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/crypto/vcode"
	"github.com/minedu-cla/cla/issuer/registry/synth"
	"github.com/minedu-cla/cla/issuer/store"
	"github.com/minedu-cla/cla/issuer/web"

	"github.com/minedu-cla/cla/issuer/constancia"
)

// startIssuer runs the issuer on the development defaults in a temporary
// folder and returns its URL and a stop function.
func startIssuer(t *testing.T, data string) (string, func()) {
	t.Helper()
	return startIssuerWith(t, Config{Addr: "127.0.0.1:0", DataDir: data, DevKeys: true})
}

// startIssuerWith starts the issuer with cfg and returns its URL and stop.
func startIssuerWith(t *testing.T, cfg Config) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), func(u string) { ready <- u })
	}()
	select {
	case u := <-ready:
		return u, func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("shutdown: %v", err)
			}
		}
	case err := <-done:
		t.Fatalf("issuer did not start: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("issuer did not start in 60 s")
	}
	return "", nil
}

// TestIssuedPDFReadByOtherTools: a constancia requested over HTTP; its PDF
// rendered by poppler's pdftoppm and its QR code read by zbarimg —
// programs we did not write — gives exactly the QR text the issuer signed,
// and that text verifies against /.well-known/jwks.json.
func TestIssuedPDFReadByOtherTools(t *testing.T) {
	for _, tool := range []string{"pdftoppm", "zbarimg"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not installed: make deps installs it", tool)
		}
	}
	data := t.TempDir()
	base, stop := startIssuer(t, data)
	g, err := synth.New(synth.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	c := g.Cases()[0] // an adult student with a DNI
	p, err := g.Person(context.Background(), c.Student)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"requester": "adult", "email": "alumna@example.pe", "accept_terms": web.TermsVersion,
		"student": map[string]string{"doc_type": "DNI", "doc_number": c.Student.Number, "father_names": p.Father.Names,
			"mother_names": p.Mother.Names, "ubigeo": string(p.Ubigeo)}})
	resp, err := http.Post(base+"/api/v1/solicitudes", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var issued struct{ Code, PDF string }
	json.NewDecoder(resp.Body).Decode(&issued)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || issued.Code == "" {
		t.Fatalf("request: %d %+v", resp.StatusCode, issued)
	}
	pdf := get(t, base+issued.PDF)
	jwks := get(t, base+"/.well-known/jwks.json")
	// The e-mail reaches the outbox (the queue delivers in the background).
	found := false
	for deadline := time.Now().Add(20 * time.Second); !found && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		emls, _ := filepath.Glob(filepath.Join(data, "mail", "outbox", "*.eml"))
		for _, f := range emls {
			b, _ := os.ReadFile(f)
			found = found || bytes.Contains(b, []byte(issued.Code))
		}
	}
	stop()
	if !found {
		t.Fatal("no e-mail with the code reached the outbox")
	}

	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "c.pdf"), pdf, 0o644)
	if out, err := exec.Command("pdftoppm", "-r", "150", "-png", filepath.Join(dir, "c.pdf"), filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "p-*.png"))
	var texts []string
	for _, page := range pages {
		out, _ := exec.Command("zbarimg", "--raw", "-q", page).Output()
		if s := strings.TrimSpace(string(out)); s != "" {
			texts = append(texts, s)
		}
	}
	if len(texts) != 1 {
		t.Fatalf("zbarimg read %d codes in %d pages", len(texts), len(pages))
	}
	// Exactly the bytes of the text in db_micertificado, as a link to
	// this issuer's browser verifier.
	db, err := store.OpenBolt(filepath.Join(data, "db_micertificado"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	canon, _ := vcode.Normalize(issued.Code)
	var cons *constancia.Issued
	db.View(context.Background(), func(tx store.Tx) error { cons, err = tx.ByCode(canon); return err })
	if err != nil {
		t.Fatal(err)
	}
	if want, lerr := credential.Link(base, cons.QRText); lerr != nil || texts[0] != want {
		t.Fatalf("zbarimg read %q…, the link of what the issuer signed is %q… (%v)", head(texts[0]), head(want), lerr)
	}
	keys, err := keyset.ParseJWKS(jwks)
	if err != nil {
		t.Fatal(err)
	}
	claims, _, err := credential.Open(texts[0], keys)
	if err != nil || claims.Code != canon {
		t.Fatalf("the QR text does not verify against the JWKS: %v", err)
	}
}

func head(s string) string { return s[:min(len(s), 24)] }

func get(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	return b
}
