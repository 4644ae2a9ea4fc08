package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/minedu-cla/cla/internal/browsertest"
)

// originProxy stands between the browser and the issuer, as the network
// does: it forwards everything, counts the bytes it sends back, keeps every
// request the browser made (to prove nothing about a scanned code left the
// page), and on demand replays an old status list (a rollback) or drops
// every connection (no network).
type originProxy struct {
	srv    *httptest.Server
	target *url.URL
	rp     *httputil.ReverseProxy

	mu       sync.Mutex
	requests []string // method, path and query, then the body
	bytes    int64
	rollback []byte // set: the delta is gone and the full list is this one
	down     bool
}

func newOriginProxy(t *testing.T, issuer string) *originProxy {
	t.Helper()
	u, err := url.Parse(issuer)
	if err != nil {
		t.Fatal(err)
	}
	p := &originProxy{target: u, rp: httputil.NewSingleHostReverseProxy(u)}
	p.srv = httptest.NewServer(p)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *originProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	p.mu.Lock()
	p.requests = append(p.requests, r.Method+" "+r.URL.RequestURI()+" "+string(body))
	down, rollback := p.down, p.rollback
	p.mu.Unlock()
	if down {
		if hj, ok := w.(http.Hijacker); ok {
			if c, _, err := hj.Hijack(); err == nil {
				c.Close() // what a dead network looks like to the browser
				return
			}
		}
		http.Error(w, "down", http.StatusBadGateway)
		return
	}
	cw := &countingWriter{ResponseWriter: w}
	switch {
	case rollback != nil && r.URL.Path == "/trust/status/delta":
		http.NotFound(cw, r)
	case rollback != nil && r.URL.Path == "/trust/status":
		cw.Header().Set("Content-Type", "application/octet-stream")
		cw.Write(rollback)
	default:
		p.rp.ServeHTTP(cw, r)
	}
	p.mu.Lock()
	p.bytes += cw.n
	p.mu.Unlock()
}

func (p *originProxy) reset() (requests []string, bytes int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	requests, bytes = p.requests, p.bytes
	p.requests, p.bytes = nil, 0
	return requests, bytes
}

func (p *originProxy) set(f func(p *originProxy)) { p.mu.Lock(); f(p); p.mu.Unlock() }

type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.n += int64(n)
	return n, err
}

func (c *countingWriter) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// offline emulates no network in the page (navigator.onLine false, every
// request failing) through the DevTools protocol.
var emulateNetwork = cdp.Command[struct {
	Offline            bool    `json:"offline"`
	Latency            float64 `json:"latency"`
	DownloadThroughput float64 `json:"downloadThroughput"`
	UploadThroughput   float64 `json:"uploadThroughput"`
}, cdp.Empty]{Method: "Network.emulateNetworkConditions"}

var networkEnable = cdp.Command[struct{}, cdp.Empty]{Method: "Network.enable"}

// TestBrowserVerifier is issue 14's browser verifier as a person with a
// phone uses it: real Chromium at 390×844, its camera a video of a printed
// constancia (Chromium's fake capture device), the page served by the real
// issuer through a proxy that plays the network:
//
//  1. first visit: the page, the WebAssembly and the trust data load; the
//     camera reads the constancia: VÁLIDA; a photo and a PDF of another
//     one: VÁLIDA;
//  2. the admin revokes the first in the console; the page syncs: the
//     result on screen turns REVOCADA, and the camera says so;
//  3. an old status list served again (a rollback) is refused, and the
//     verdict stays REVOCADA;
//  4. no network at all (DevTools offline and the proxy dropping every
//     connection): the page opens from the service worker and still
//     scans and verifies, saying it is offline;
//  5. the QR's own text, read from the PDF by zbarimg, is a link that
//     opens the page on the issuer and verifies there (a fresh browser
//     profile: it syncs first); the same link with one signature
//     character changed: FALSA O ALTERADA;
//  6. nothing the browser sent held the code, the document number, the
//     name or the signed bytes.
//
// Screenshots go to $CLA_SHOTS (CI artifacts).
func TestBrowserVerifier(t *testing.T) {
	skipShort(t)
	data, work := t.TempDir(), t.TempDir()
	g := Population(t)
	cases := storyCases(t, g, 2)
	iss := StartIssuer(t, data, "")
	var docs []Issued
	for i, c := range cases {
		st, d := RequestCode(t, iss.URL, RequestBody(t, g, c, fmt.Sprintf("titular%d@example.pe", i)))
		if st != http.StatusCreated || d.Code == "" {
			t.Fatalf("request %d: %d %+v", i, st, d)
		}
		docs = append(docs, d)
	}
	pdfA := storyDownload(t, iss.URL+docs[0].PDF, work, "a.pdf")
	pdfB := storyDownload(t, iss.URL+docs[1].PDF, work, "b.pdf")
	iss.Stop(t)
	secret := CreateStaff(t, data, "ana.quispe", "admin")
	iss = StartIssuer(t, data, iss.Addr)

	video, _ := cameraVideo(t, pdfA, work, 12)
	dirB := filepath.Join(work, "b")
	os.MkdirAll(dirB, 0o755)
	_, photoB := cameraVideo(t, pdfB, dirB, 1)
	link := zbarLink(t, pdfA, work)

	proxy := newOriginProxy(t, iss.URL)
	base := proxy.srv.URL
	ctx := browsertest.BrowserWith(t,
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-file-for-fake-video-capture", video))
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 6*time.Minute)
	defer cancel()
	if _, err := chromedp.Call(ctx, networkEnable, struct{}{}); err != nil {
		t.Fatal(err)
	}
	shots := browsertest.ShotDir(t)
	shot := func(name string) chromedp.Action[chromedp.Void] { return browsertest.Shot(shots, name) }
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	// verdict waits for a result and returns its status and text.
	verdict := func(step string) (string, string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.WaitVisible(css(`#verdict-box[data-status]`))); err != nil {
			t.Fatalf("%s: no verdict: %v\n%s", step, err, text("main"))
		}
		st, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('verdict-box').dataset.status`))
		if err != nil {
			t.Fatal(err)
		}
		return st, text("#result")
	}
	again := func() {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Click(css("#again")), chromedp.WaitVisible(css("#scan"))); err != nil {
			t.Fatal(err)
		}
	}
	waitTrust := func(step, sel string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.WaitVisible(css(sel))); err != nil {
			t.Fatalf("%s: %v\ntrust: %s", step, err, text("#trust"))
		}
	}

	// 1. First visit, online.
	proxy.reset()
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
		chromedp.Navigate(base+"/V"),
		chromedp.WaitVisible(css(`#trust[data-freshness="fresh"]`)),
		chromedp.Evaluate[chromedp.Void](`navigator.serviceWorker.ready.then(() => true)`, chromedp.EvalAwaitPromise),
		shot("w01-verificador-390"),
	)
	if err != nil {
		t.Fatalf("first visit: %v\n%s", err, text("main"))
	}
	// Let the service worker finish keeping everything, then count.
	waitCached(t, ctx)
	_, firstLoad := proxy.reset()
	t.Logf("first visit: %d bytes over the network (gzip), service worker's copies included", firstLoad)

	if err := chromedp.Do(ctx, chromedp.Click(css("#scan"))); err != nil {
		t.Fatal(err)
	}
	st, res := verdict("camera A")
	if st != "valid" || !strings.Contains(res, "VÁLIDA") || !strings.Contains(res, cases[0].Student.Number) || !strings.Contains(res, docs[0].Code) {
		t.Fatalf("camera A: %s\n%s", st, res)
	}
	scanMS, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.claLastScan ? window.claLastScan.ms : -1`))
	t.Logf("camera: first frame to verdict %.0f ms", scanMS)
	chromedp.Do(ctx, shot("w02-camara-valida-390"))
	again()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(css("#file"), []string{photoB})); err != nil {
		t.Fatal(err)
	}
	if st, res := verdict("photo B"); st != "valid" || !strings.Contains(res, cases[1].Student.Number) {
		t.Fatalf("photo B: %s\n%s", st, res)
	}
	again()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(css("#file"), []string{pdfB})); err != nil {
		t.Fatal(err)
	}
	if st, res := verdict("PDF B"); st != "valid" || !strings.Contains(res, cases[1].Student.Number) {
		t.Fatalf("PDF B: %s\n%s", st, res)
	}
	chromedp.Do(ctx, shot("w03-pdf-valida-390"))
	again()

	// 2. The revocation, then a sync: what is on screen is judged again.
	oldList := Fetch(t, iss.URL+"/trust/status")
	if err := chromedp.Do(ctx, chromedp.Click(css("#scan"))); err != nil {
		t.Fatal(err)
	}
	if st, _ := verdict("camera A again"); st != "valid" {
		t.Fatalf("camera A before revocation: %s", st)
	}
	seq := revokeInConsole(t, iss.URL, secret, docs[0].Code)
	if err := chromedp.Do(ctx, chromedp.Click(css("#sync"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.getElementById('verdict-box').dataset.status === 'revoked'`, "the result on screen judged again after the sync")
	chromedp.Do(ctx, shot("w04-revocada-tras-sincronizar-390"))
	if !strings.Contains(text("#trust-state"), "n.° "+seq) {
		t.Fatalf("after the sync the page should hold list %s: %s", seq, text("#trust"))
	}
	again()
	if err := chromedp.Do(ctx, chromedp.Click(css("#scan"))); err != nil {
		t.Fatal(err)
	}
	if st, res := verdict("camera A revoked"); st != "revoked" || !strings.Contains(res, "REVOCADA") {
		t.Fatalf("camera A after revocation: %s\n%s", st, res)
	}
	again()

	// 3. A rollback: the old list, served as if it were current.
	proxy.set(func(p *originProxy) { p.rollback = oldList })
	if err := chromedp.Do(ctx, chromedp.Click(css("#sync"))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.getElementById('trust-detail').textContent.includes('rechaz')`, "the old list refused")
	chromedp.Do(ctx, shot("w05-retroceso-rechazado-390"))
	if !strings.Contains(text("#trust-state"), "n.° "+seq) {
		t.Fatalf("after the rollback the page should still hold list %s: %s", seq, text("#trust"))
	}
	if err := chromedp.Do(ctx, chromedp.Click(css("#scan"))); err != nil {
		t.Fatal(err)
	}
	if st, _ := verdict("camera A after rollback"); st != "revoked" {
		t.Fatalf("after the rollback: %s", st)
	}
	again()
	proxy.set(func(p *originProxy) { p.rollback = nil })

	// 4. No network at all.
	proxy.set(func(p *originProxy) { p.down = true })
	if _, err := chromedp.Call(ctx, emulateNetwork, struct {
		Offline            bool    `json:"offline"`
		Latency            float64 `json:"latency"`
		DownloadThroughput float64 `json:"downloadThroughput"`
		UploadThroughput   float64 `json:"uploadThroughput"`
	}{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx, chromedp.Navigate(base+"/V"), chromedp.WaitVisible(css(`#trust[data-freshness="fresh"]`)))
	if err != nil {
		t.Fatalf("offline visit: %v\n%s", err, text("main"))
	}
	waitTrust("offline", `#scan:not([disabled])`)
	if d := text("#trust-detail"); !strings.Contains(d, "Sin conexión") {
		t.Fatalf("offline: the page should say so: %s", d)
	}
	chromedp.Do(ctx, shot("w06-sin-conexion-390"))
	if err := chromedp.Do(ctx, chromedp.Click(css("#scan"))); err != nil {
		t.Fatal(err)
	}
	if st, _ := verdict("offline camera A"); st != "revoked" {
		t.Fatalf("offline camera A: %s", st)
	}
	chromedp.Do(ctx, shot("w07-sin-conexion-revocada-390"))
	again()
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(css("#file"), []string{photoB})); err != nil {
		t.Fatal(err)
	}
	if st, _ := verdict("offline photo B"); st != "valid" {
		t.Fatalf("offline photo B: %s", st)
	}
	chromedp.Call(ctx, emulateNetwork, struct {
		Offline            bool    `json:"offline"`
		Latency            float64 `json:"latency"`
		DownloadThroughput float64 `json:"downloadThroughput"`
		UploadThroughput   float64 `json:"uploadThroughput"`
	}{DownloadThroughput: -1, UploadThroughput: -1})
	proxy.set(func(p *originProxy) { p.down = false })

	// A repeat visit online loads nothing but what is new.
	proxy.reset()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/V"), chromedp.WaitVisible(css(`#scan:not([disabled])`)), chromedp.Sleep(2*time.Second)); err != nil {
		t.Fatal(err)
	}
	repeat, repeatBytes := proxy.reset()
	t.Logf("repeat visit: %d bytes, requests %q", repeatBytes, repeat)
	for _, r := range repeat {
		if strings.HasPrefix(r, "GET /V/cla") || strings.HasPrefix(r, "GET /V/app.js") {
			t.Errorf("a repeat visit downloaded the app again: %s", r)
		}
	}

	// 5. The QR's link, opened as a phone's camera app opens it: on the
	// issuer itself (another origin: nothing cached there yet).
	if err := chromedp.Do(ctx, chromedp.Navigate(link)); err != nil {
		t.Fatal(err)
	}
	if st, res := verdict("link"); st != "revoked" || !strings.Contains(res, cases[0].Student.Number) {
		t.Fatalf("the link: %s\n%s", st, res)
	}
	if u, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`)); strings.Contains(u, "#") {
		t.Errorf("the code stays in the address bar: %s", u)
	}
	if o := text("#origin"); !strings.EqualFold(o, iss.URL) {
		t.Errorf("the page should show its own address %s, shows %q", iss.URL, o)
	}
	chromedp.Do(ctx, shot("w08-enlace-revocada-390"))
	// The forged link opened while the page shows the first: only the
	// fragment differs, so the browser does not load the page again (a
	// hashchange); the page must judge the new code, not keep the old
	// verdict on screen.
	forged := forgeLink(t, link)
	if err := chromedp.Do(ctx, chromedp.Navigate(forged)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, `document.getElementById('verdict-box').dataset.status !== 'revoked'`, "a verdict on the forged link")
	if st, res := verdict("forged link"); st != "invalid_signature" || !strings.Contains(res, "FALSA O ALTERADA") {
		t.Fatalf("the forged link: %s\n%s", st, res)
	}
	chromedp.Do(ctx, shot("w09-enlace-falsificado-390"))

	// 6. What the browser sent through the proxy, all along.
	sent, _ := proxy.reset()
	all := strings.Join(sent, "\n")
	frag := link[strings.IndexByte(link, '#')+1:]
	for _, secret := range []string{docs[0].Code, strings.ReplaceAll(docs[0].Code, "-", ""), cases[0].Student.Number,
		cases[1].Student.Number, frag[:24], frag[len(frag)-24:]} {
		if strings.Contains(all, secret) {
			t.Errorf("the browser sent %q to the server", secret)
		}
	}
	allowed := regexp.MustCompile(`^GET /(V(/[a-z0-9.-]+)?(\?[a-z=&]*)?|static/[a-z0-9.-]+|trust/(keysets\?after=\d+|status|status/delta\?from=\d+)|favicon\.ico) $`)
	for _, r := range sent {
		if !allowed.MatchString(r) {
			t.Errorf("unexpected request from the page: %q", r)
		}
	}
}

// waitFor polls a JavaScript condition in the page.
func waitFor(t *testing.T, ctx context.Context, cond, what string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	s, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	t.Fatalf("waiting for %s: not after 60 s\n%s", what, s)
}

// waitCached waits until the service worker has kept the app's files.
func waitCached(t *testing.T, ctx context.Context) {
	t.Helper()
	const count = `caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(c => c.keys())))).then(ls => ls.flat().length)`
	n := 0.0
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		var err error
		if n, err = chromedp.Run(ctx, chromedp.Evaluate[float64](count, chromedp.EvalAwaitPromise)); err == nil && n >= 10 {
			return
		}
	}
	t.Fatalf("the service worker kept %v files after 60 s, not the app's 10", n)
}

// zbarLink reads the QR code of a PDF with zbarimg (a reader we did not
// write), as a phone's camera app would, and checks it is a link.
func zbarLink(t *testing.T, pdf, dir string) string {
	t.Helper()
	for _, tool := range []string{"pdftoppm", "zbarimg"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not installed: make deps installs it", tool)
		}
	}
	png := filepath.Join(dir, "zbar")
	if out, err := exec.Command("pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", "-singlefile", pdf, png).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	out, err := exec.Command("zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", png+".png").Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	text := strings.TrimSpace(string(out))
	if !regexp.MustCompile(`^HTTPS?://[A-Z0-9.:-]+/V#[A-Z2-7]+$`).MatchString(text) {
		t.Fatalf("the constancia's QR is not an uppercase link to /V with the code after #: %q", text)
	}
	return text
}

// forgeLink changes one character of the signature (the end of the
// base32 text, away from its last, partial character).
func forgeLink(t *testing.T, link string) string {
	t.Helper()
	i := len(link) - 20
	c := link[i]
	r := byte('A')
	if c == 'A' {
		r = 'B'
	}
	return link[:i] + string(r) + link[i+1:]
}

// revokeInConsole revokes code as an admin through the console over HTTP
// and returns the number of the status list that published it.
func revokeInConsole(t *testing.T, base, secret, code string) string {
	t.Helper()
	c := SignIn(t, base, "ana.quispe", secret)
	st, page, loc := c.Get("/admin/constancias?q=" + url.QueryEscape(code))
	m := regexp.MustCompile(`^/admin/constancias/(\d+)$`).FindStringSubmatch(loc)
	if st != http.StatusSeeOther || m == nil {
		t.Fatalf("find %s: %d Location %q\n%s", code, st, loc, page)
	}
	const motivo = "Prueba del verificador en el navegador"
	c.Post(loc+"/revocar", url.Values{"motivo": {motivo}})
	st, page, loc = c.Post(loc+"/revocar", url.Values{"motivo": {motivo}, "confirmado": {"1"}})
	done := regexp.MustCompile(`\?hecho=revoked&seq=(\d+)$`).FindStringSubmatch(loc)
	if done == nil {
		t.Fatalf("revoke: %d Location %q\n%s", st, loc, page)
	}
	return done[1]
}
