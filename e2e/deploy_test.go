package e2e

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minedu-cla/cla/internal/pgtest"
)

// siteHost is the server name in docs/deploy/nginx.conf.
const siteHost = "constancia.minedu.gob.pe"

// TestNginxInFront runs docs/deploy/nginx.conf as it is — only the lines
// marked "site:" get this machine's addresses, ports and paths — with a
// real nginx in front of two cla-issuer replicas on one PostgreSQL
// database, over TLS with a certificate made here:
//   - clients from eight addresses reach both replicas (the access log's
//     upstreams), and plain HTTP is sent to HTTPS;
//   - a constancia requested through nginx verifies by code through it;
//   - the attack: a client writing a new X-Forwarded-For on every lookup
//     is still one client to the rate limit (nginx replaces the header);
//   - the trust files are cached: the second read is a cache hit;
//   - one replica killed: every client's pages still load (nginx moves
//     them to the other);
//   - both replicas killed: the trust files are still served, stale, from
//     the cache, as a CDN would.
func TestNginxInFront(t *testing.T) {
	skipShort(t)
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		nginx = "/usr/sbin/nginx"
		if _, err := os.Stat(nginx); err != nil {
			t.Fatal("nginx is not installed: make deps installs Debian's nginx package")
		}
	}
	url := pgtest.Start(t).NewDatabase(t)
	data := []string{t.TempDir(), t.TempDir()}
	env := []string{"CLA_DATABASE_URL=" + url, "CLA_TRUSTED_PROXIES=127.0.0.1/32"}
	replicas := []*Issuer{StartIssuer(t, data[0], "", env...)}
	if out, err := exec.Command("cp", "-a", filepath.Join(data[0], "keys"), filepath.Join(data[0], "secret"), data[1]).CombinedOutput(); err != nil {
		t.Fatalf("copying keys: %v %s", err, out)
	}
	replicas = append(replicas, StartIssuer(t, data[1], "", env...))

	dir := t.TempDir()
	certPEM := selfSigned(t, dir)
	httpAddr, httpsAddr := freeAddr(t), freeAddr(t)
	conf, err := os.ReadFile("../docs/deploy/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	site := string(conf)
	for _, r := range [][2]string{
		{"server 10.0.0.11:8080", "server " + replicas[0].Addr},
		{"server 10.0.0.12:8080", "server " + replicas[1].Addr},
		{"/var/cache/nginx/cla-trust", filepath.Join(dir, "cache")},
		{"listen 80;", "listen " + httpAddr + ";"},
		{"listen 443 ssl http2;", "listen " + httpsAddr + " ssl http2;"},
		{"/etc/ssl/cla/fullchain.pem", filepath.Join(dir, "cert.pem")},
		{"/etc/ssl/cla/privkey.pem", filepath.Join(dir, "key.pem")},
		{"/var/log/nginx/cla.log", filepath.Join(dir, "access.log")},
		// Fresh for a second (not the issuer's Cache-Control max-age of
		// five minutes), so that the end of the test reads stale copies,
		// served only because of proxy_cache_use_stale.
		{"proxy_cache_valid 200 5m;", "proxy_cache_valid 200 1s; proxy_ignore_headers Cache-Control Expires;"},
	} {
		if !strings.Contains(site, r[0]) {
			t.Fatalf("docs/deploy/nginx.conf no longer has %q: update the test with the document", r[0])
		}
		site = strings.ReplaceAll(site, r[0], r[1])
	}
	if strings.Contains(site, "10.0.0.") {
		t.Fatal("a replica in docs/deploy/nginx.conf the test does not know of")
	}
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // workers must reach the temporary folders
	}
	main := fmt.Sprintf(`%s
daemon off;
worker_processes 1;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log info;
events { worker_connections 256; }
http {
	client_body_temp_path %[2]s/body;
	proxy_temp_path %[2]s/proxy;
	fastcgi_temp_path %[2]s/fastcgi;
	uwsgi_temp_path %[2]s/uwsgi;
	scgi_temp_path %[2]s/scgi;
	include %[2]s/cla.conf;
}
`, user, dir)
	for name, text := range map[string]string{"nginx.conf": main, "cla.conf": site} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command(nginx, "-t", "-c", filepath.Join(dir, "nginx.conf")).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
	cmd := exec.Command(nginx, "-c", filepath.Join(dir, "nginx.conf"))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Logf("nginx error log:\n%s", log)
		}
	})

	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	// client returns a client that reaches nginx from 127.0.0.n, as if
	// from its own machine.
	client := func(n int) *http.Client {
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(n))}, Timeout: 5 * time.Second}
		return &http.Client{Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: siteHost},
				DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
					if strings.HasSuffix(addr, ":443") {
						addr = httpsAddr
					} else {
						addr = httpAddr
					}
					return d.DialContext(ctx, network, addr)
				}}}
	}
	base := "https://" + siteHost
	get := func(c *http.Client, path string, hdr ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		var resp *http.Response
		var err error
		for range 50 { // nginx starting
			if resp, err = c.Do(req); err == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}

	// Plain HTTP goes to HTTPS; pages load for clients from eight
	// addresses, and both replicas served some.
	if resp, _ := get(client(2), "/"); resp.StatusCode != 200 {
		t.Fatalf("GET / through nginx: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", "http://"+siteHost+"/verificar", nil)
	if resp, err := client(2).Do(req); err != nil || resp.StatusCode != 301 || !strings.HasPrefix(resp.Header.Get("Location"), "https://") {
		t.Errorf("plain HTTP: %v %v, want a 301 to https", resp, err)
	}
	for n := 2; n < 10; n++ {
		if resp, _ := get(client(n), "/verificar"); resp.StatusCode != 200 {
			t.Errorf("GET /verificar from 127.0.0.%d: %d", n, resp.StatusCode)
		}
	}
	log, _ := os.ReadFile(filepath.Join(dir, "access.log"))
	for _, r := range replicas {
		if !bytes.Contains(log, []byte("up="+r.Addr)) {
			t.Errorf("replica %s served nothing for eight client addresses:\n%s", r.Addr, log)
		}
	}

	// A constancia through nginx, verified by code through nginx.
	g := Population(t)
	c := faultAdults(t, g, 1)[0]
	preq, _ := http.NewRequest("POST", base+"/api/v1/solicitudes", bytes.NewReader(RequestBody(t, g, c, "nginx@example.pe")))
	preq.Header.Set("Content-Type", "application/json")
	resp, err := client(3).Do(preq)
	if err != nil {
		t.Fatal(err)
	}
	var issued Issued
	json.NewDecoder(resp.Body).Decode(&issued)
	resp.Body.Close()
	if resp.StatusCode != 201 || issued.Code == "" {
		t.Fatalf("request through nginx: %d %+v", resp.StatusCode, issued)
	}
	var lookup struct {
		Status string `json:"status"`
	}
	if resp, b := get(client(4), "/api/v1/constancias/"+issued.Code); resp.StatusCode != 200 || json.Unmarshal(b, &lookup) != nil || lookup.Status != "valid" {
		t.Errorf("verify by code through nginx: %d %s", resp.StatusCode, b)
	}

	// The attack: a new X-Forwarded-For on every lookup. The issuer
	// trusts nginx's header, and nginx replaces the client's: the limit
	// (a burst of 20) still stops it.
	refused := 0
	for i := range 40 {
		resp, _ := get(client(9), "/api/v1/constancias/"+issued.Code, "X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i+1))
		if resp.StatusCode == http.StatusTooManyRequests {
			refused++
		}
	}
	if refused == 0 {
		t.Error("40 lookups with a forged X-Forwarded-For each: none refused; the client chose its own address")
	}

	// The trust files are cached.
	get(client(5), "/trust/status")
	if resp, _ := get(client(6), "/trust/status"); resp.StatusCode != 200 || resp.Header.Get("X-Cache") != "HIT" {
		t.Errorf("second read of /trust/status: %d, X-Cache %q, want a cache hit", resp.StatusCode, resp.Header.Get("X-Cache"))
	}
	_, jwks := get(client(5), "/.well-known/jwks.json")

	// One replica down: every client's pages still load.
	replicas[0].Kill(t)
	for n := 2; n < 10; n++ {
		if resp, _ := get(client(n), "/verificar"); resp.StatusCode != 200 {
			t.Errorf("GET /verificar from 127.0.0.%d with one replica down: %d", n, resp.StatusCode)
		}
	}
	// Both down, the cached copies past their freshness: the trust files
	// are still served, stale.
	replicas[1].Kill(t)
	// nginx keeps a copy's validity in whole seconds and calls it
	// expired only once the clock has passed that second: a copy
	// stored at 10.9 s and valid for 1 s is still fresh at 11.9 s.
	// Past 2 s every copy is expired, whatever the fraction.
	time.Sleep(2500 * time.Millisecond)
	for _, path := range []string{"/trust/status", "/.well-known/jwks.json"} {
		resp, b := get(client(7), path)
		if resp.StatusCode != 200 || resp.Header.Get("X-Cache") != "STALE" || (path == "/.well-known/jwks.json" && !bytes.Equal(b, jwks)) {
			t.Errorf("%s with every replica down: %d (X-Cache %q)", path, resp.StatusCode, resp.Header.Get("X-Cache"))
		}
	}
}

// selfSigned writes a certificate and key for siteHost into dir and
// returns the certificate.
func selfSigned(t *testing.T, dir string) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: siteHost},
		DNSNames: []string{siteHost}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	if err := os.WriteFile(filepath.Join(dir, "cert.pem"), cert, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "key.pem"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return cert
}
