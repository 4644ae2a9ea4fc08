package verifier_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"image"
	"image/png"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/bundle"
	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/internal/testissuer"
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/store"
)

// gateScanner "reads" text from any image; while gated, each read waits
// for the gate to open, after saying it has started.
type gateScanner struct {
	text    string
	started chan struct{}
	gate    chan struct{}
}

func (g *gateScanner) Image(ctx context.Context, _ image.Image) ([]string, error) {
	if g.gate != nil {
		g.started <- struct{}{}
		<-g.gate
	}
	return []string{g.text}, nil
}

func tinyPNG(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// consistent fails when a verdict disagrees with the trust data it says it
// was judged with: list 2 revokes the code, list 1 does not.
func consistent(t *testing.T, what string, r verifier.Result) {
	t.Helper()
	want := map[uint64]credential.Status{1: credential.Valid, 2: credential.Revoked}[r.Trust.StatusSeq]
	if r.Status != want || r.Trust.KeysetSeq != 1 || r.Trust.JudgedAt.IsZero() {
		t.Fatalf("%s: %s judged with keyset %d, list %d", what, r.Status, r.Trust.KeysetSeq, r.Trust.StatusSeq)
	}
}

// TestNoStaleVerdict drives a sync finishing before, during and after a
// verification, on a real bbolt store and a real HTTP sync, and fails on
// any verdict that does not match the newest trust data once the
// interleaving is over (the app once showed VÁLIDA beside "lista 1 → 2").
func TestNoStaleVerdict(t *testing.T) {
	is := testissuer.New("interleavings", t0)
	code := is.Issue(2)
	first, err := (&bundle.Bundle{CreatedAt: is.Now, Keysets: is.Keysets, List: is.Lists[1]}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	is.Now = t0.Add(time.Hour)
	is.Revoke(code) // list 2, served by the issuer; the verifiers hold list 1
	hs := httptest.NewServer(testissuer.NewServer(is))
	defer hs.Close()
	ctx := context.Background()
	pic := tinyPNG(t)

	open := func(t *testing.T, sc verifier.Scanner) (*verifier.Engine, *atomic.Int32) {
		e, err := verifier.Open(ctx, verifier.Options{Roots: []ed25519.PublicKey{is.RootPublic()}, Scanner: sc,
			Store: &store.Bolt{Path: filepath.Join(t.TempDir(), "trust.db")}, Now: func() time.Time { return t0.Add(2 * time.Hour) }})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Import(ctx, first, "usb"); err != nil {
			t.Fatal(err)
		}
		var changes atomic.Int32
		e.OnChange(func() { changes.Add(1) })
		return e, &changes
	}
	syncNow := func(t *testing.T, e *verifier.Engine) {
		if _, err := e.Sync(ctx, verifier.NewClient(hs.URL)); err != nil {
			t.Fatal(err)
		}
	}
	settle := func(t *testing.T, what string, e *verifier.Engine, r verifier.Result) {
		t.Helper()
		consistent(t, what, r)
		got, changed := e.Rejudge(r)
		consistent(t, what+", judged again", got)
		if got.Status != credential.Revoked || got.Trust.StatusSeq != 2 {
			t.Fatalf("%s: after the sync the verdict stays %s (list %d)", what, got.Status, got.Trust.StatusSeq)
		}
		if changed != (r.Trust.StatusSeq != 2) {
			t.Fatalf("%s: Rejudge says changed=%v for a result judged with list %d", what, changed, r.Trust.StatusSeq)
		}
	}

	t.Run("sync before", func(t *testing.T) {
		e, _ := open(t, &gateScanner{text: code.Text})
		syncNow(t, e)
		settle(t, "before", e, e.VerifyBytes(ctx, "foto.png", pic)[0])
	})
	t.Run("sync during", func(t *testing.T) {
		g := &gateScanner{text: code.Text, started: make(chan struct{}), gate: make(chan struct{})}
		e, _ := open(t, g)
		done := make(chan verifier.Result)
		go func() { done <- e.VerifyBytes(ctx, "foto.png", pic)[0] }()
		<-g.started
		syncNow(t, e)
		close(g.gate)
		settle(t, "during", e, <-done)
	})
	t.Run("sync after", func(t *testing.T) {
		e, changes := open(t, &gateScanner{text: code.Text})
		r := e.VerifyBytes(ctx, "foto.png", pic)[0]
		if r.Status != credential.Valid || r.Trust.StatusSeq != 1 {
			t.Fatalf("before the sync: %s, list %d", r.Status, r.Trust.StatusSeq)
		}
		syncNow(t, e)
		if changes.Load() != 1 {
			t.Fatalf("%d change notices for one sync", changes.Load())
		}
		settle(t, "after", e, r)
	})
	t.Run("many at once", func(t *testing.T) {
		e, changes := open(t, &gateScanner{text: code.Text})
		var wg sync.WaitGroup
		results := make(chan verifier.Result, 400)
		for range 4 {
			wg.Go(func() {
				for range 100 {
					results <- e.VerifyBytes(ctx, "foto.png", pic)[0]
				}
			})
		}
		syncNow(t, e)
		wg.Wait()
		close(results)
		for r := range results {
			settle(t, "concurrent", e, r)
		}
		if changes.Load() != 1 {
			t.Fatalf("%d change notices", changes.Load())
		}
	})
}
