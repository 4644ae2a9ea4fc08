// Package browser is the verification engine as the browser's page uses
// it (docs/WEBVERIFY.md): cmd/cla-wasm, compiled to WebAssembly, exports
// it to a Web Worker as globalThis.claEngine (js.go). Everything here but
// js.go is plain Go, tested natively: the answers the worker relays
// (JSON), the trust data's freshness in the page's words, and the store
// that keeps the trust data in IndexedDB (store.go).
package browser

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/scan"
	"github.com/minedu-cla/cla/verifier"
	"github.com/minedu-cla/cla/verifier/store"
	"github.com/minedu-cla/cla/verifier/trust"
)

// frameBudget bounds the reading of one camera frame: a frame with no
// code runs every view of the scan pipeline (~45 ms native for 720p, a
// few times that in WebAssembly); the page sends the next frame after.
const frameBudget = 1500 * time.Millisecond

// Engine is the browser's engine: a verifier.Engine and the QR reader.
type Engine struct {
	e   *verifier.Engine
	now func() time.Time
}

// Opened is the answer to open: the trust data held, and why the stored
// data could not be used, if so (the engine still works: a sync repairs).
type Opened struct {
	Info  Info   `json:"info"`
	Error string `json:"error,omitempty"`
}

// Open starts an engine trusting roots (base64url Ed25519 public keys, as
// the page carries them) on the trust data in st.
func Open(ctx context.Context, roots []string, st store.Store) (*Engine, Opened, error) {
	keys, err := parseRoots(roots)
	if err != nil {
		return nil, Opened{}, err
	}
	e, err := verifier.Open(ctx, verifier.Options{Roots: keys, Store: st, Scanner: scanner{}})
	if e == nil {
		return nil, Opened{}, err
	}
	b := &Engine{e: e, now: time.Now}
	o := Opened{Info: b.Info()}
	if err != nil {
		o.Error = err.Error()
	}
	return b, o, nil
}

// OpenKeys starts an engine that trusts exactly the keys of a JWKS (as
// cla-verify --jwks): no trust store, no status list, revocation not
// checked. The test vectors carry their keys so.
func OpenKeys(jwks []byte) (*Engine, error) {
	keys, err := keyset.ParseJWKS(jwks)
	if err != nil {
		return nil, err
	}
	e, err := verifier.Open(context.Background(), verifier.Options{Keys: keys, Scanner: scanner{}})
	if err != nil {
		return nil, err
	}
	return &Engine{e: e, now: time.Now}, nil
}

func parseRoots(roots []string) ([]ed25519.PublicKey, error) {
	if len(roots) == 0 {
		return nil, errors.New("browser: no root key")
	}
	var keys []ed25519.PublicKey
	for _, r := range roots {
		k, err := base64.RawURLEncoding.DecodeString(r)
		if err != nil || len(k) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("browser: root key %q is not a base64url Ed25519 public key", r)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// scanner is package scan, the project's QR reader.
type scanner struct{}

func (scanner) Image(ctx context.Context, img image.Image) ([]string, error) {
	return scan.Image(ctx, img)
}

// VerifyText verifies one QR text.
func (b *Engine) VerifyText(text string) verifier.Result { return b.e.VerifyText(text) }

// Found is what was read from a camera frame, or from the browser's own
// QR reader: every text, the CLA codes among them, a result for each.
type Found struct {
	Texts   []string          `json:"texts"`
	Codes   []string          `json:"codes"`
	Results []verifier.Result `json:"results"`
}

// VerifyTexts verifies the CLA codes among texts read by a QR reader.
func (b *Engine) VerifyTexts(texts []string) Found {
	f := Found{Texts: texts, Codes: []string{}, Results: []verifier.Result{}}
	if f.Texts == nil {
		f.Texts = []string{}
	}
	for _, t := range texts {
		if verifier.IsCode(t) {
			f.Codes = append(f.Codes, t)
			f.Results = append(f.Results, b.e.VerifyText(t))
		}
	}
	return f
}

// ScanRGBA reads the QR codes of a camera frame (ImageData's pixels: 4
// bytes a pixel, rows of width) and verifies the CLA codes among them.
func (b *Engine) ScanRGBA(ctx context.Context, pix []byte, width, height int) (Found, error) {
	if width <= 0 || height <= 0 || len(pix) != 4*width*height {
		return Found{}, fmt.Errorf("browser: %d bytes are not a %d×%d RGBA frame", len(pix), width, height)
	}
	ctx, cancel := context.WithTimeout(ctx, frameBudget)
	defer cancel()
	img := &image.RGBA{Pix: pix, Stride: 4 * width, Rect: image.Rect(0, 0, width, height)}
	texts, err := scan.Image(ctx, img)
	if err != nil && !errors.Is(err, scan.ErrNoCode) && !errors.Is(err, context.DeadlineExceeded) {
		return Found{}, err
	}
	return b.VerifyTexts(texts), nil
}

// Files is the answer to a file: a result for each code (at least one),
// and the QR texts they were judged from, to judge again after a sync.
type Files struct {
	Results []verifier.Result `json:"results"`
	Codes   []string          `json:"codes"`
	// NeedPDF: the file is a PDF and this build reads none; the worker
	// hands it to the build that does (cla-pdf.wasm).
	NeedPDF bool `json:"need_pdf,omitempty"`
}

// VerifyFile verifies the codes in a file the person chose.
func (b *Engine) VerifyFile(ctx context.Context, name string, data []byte) Files {
	if !verifier.PDFSupport && verifier.IsPDF(data) {
		return Files{Results: []verifier.Result{}, Codes: []string{}, NeedPDF: true}
	}
	if len(data) > verifier.MaxFile {
		return Files{Results: []verifier.Result{{Status: credential.Malformed, Reason: verifier.ReasonUnreadable, Source: name,
			Detail: fmt.Sprintf("file over %d MiB", verifier.MaxFile>>20)}}, Codes: []string{}}
	}
	f := Files{Results: b.e.VerifyBytes(ctx, name, data), Codes: []string{}}
	for _, r := range f.Results {
		if t := r.Code(); t != "" {
			f.Codes = append(f.Codes, t)
		}
	}
	return f
}

// Synced is the answer to a sync.
type Synced struct {
	Info Info `json:"info"`
	// Error says what went wrong, in English ("" when all went well or
	// nothing was new).
	Error string `json:"error,omitempty"`
	// Refused: the issuer's data did not verify and was not taken
	// (Reason: verifier.RefusalReason's code).
	Refused bool   `json:"refused,omitempty"`
	Reason  string `json:"reason,omitempty"`
	// Offline: the issuer could not be reached.
	Offline bool `json:"offline,omitempty"`
	// Changed: new trust data was taken; results on screen are judged again.
	Changed bool `json:"changed,omitempty"`
}

// Sync brings the trust data up to date from the issuer at base.
func (b *Engine) Sync(ctx context.Context, base string) Synced {
	before := b.e.State()
	_, err := b.e.Sync(ctx, verifier.NewClient(base))
	s := Synced{Changed: b.e.State() != before}
	switch {
	case err == nil, errors.Is(err, trust.ErrUpToDate):
	case errors.Is(err, verifier.ErrOffline):
		s.Offline, s.Error = true, err.Error()
	default:
		s.Error = err.Error()
		if r := verifier.RefusalReason(err); r != verifier.RefusedDamaged || refusedData(err) {
			s.Refused, s.Reason = true, r
		}
	}
	s.Info = b.Info()
	return s
}

// refusedData reports whether err judged the issuer's data (as opposed
// to failing to fetch or keep it).
func refusedData(err error) bool {
	return errors.Is(err, trust.ErrListRejected) || errors.Is(err, verifier.ErrRefused)
}
