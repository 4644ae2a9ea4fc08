package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/minedu-cla/cla/internal/testpdf"
	"github.com/minedu-cla/cla/scan/qrfile"

	"github.com/minedu-cla/cla/issuer/web"
)

// TestUploadRefusals: a PDF bomb gets a clear 422 in Spanish (the real
// reader refuses it within its caps), and a reader that is busy with other
// files a 503 that says when to come back.
func TestUploadRefusals(t *testing.T) {
	h := newHarness(t, web.DefaultLimits, func(d *web.Deps) { d.Decode = qrfile.Texts })
	b := h.browser(t)
	tok := start(b)
	bomb := testpdf.Bombs()["flate-256MiB-content"]
	status, body := b.PostFile("/verificar/archivo", csrfForm(tok), "archivo", "constancia.pdf", bomb)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "demasiado grande o está dañada") {
		t.Errorf("bomb: %d %s", status, alertText(body))
	}

	busy := newHarness(t, web.DefaultLimits, func(d *web.Deps) {
		d.Decode = func(context.Context, []byte) ([]string, error) { return nil, qrfile.ErrBusy }
	})
	b = busy.browser(t)
	tok = start(b)
	req := b.FilePost("/verificar/archivo", csrfForm(tok), "archivo", "foto.png", []byte("x"))
	resp, err := b.C.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "5" {
		t.Errorf("busy: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}
