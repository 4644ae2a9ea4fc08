package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/minedu-cla/cla/issuer/web"
)

// TestClientKey: X-Forwarded-For is believed only from trusted proxies,
// read from the right; what the client wrote further left never counts;
// IPv6 clients are keyed by their /64.
func TestClientKey(t *testing.T) {
	lb := web.Loopback
	chain := append([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, lb...)
	for _, tc := range []struct {
		name, remote, xff string
		trusted           []netip.Prefix
		want              string
	}{
		{"no proxy trusted: the header is ignored", "198.51.100.9:4000", "1.2.3.4", nil, "198.51.100.9"},
		{"an untrusted peer's header is ignored", "198.51.100.9:4000", "1.2.3.4", lb, "198.51.100.9"},
		{"a trusted proxy: its hop is the client", "127.0.0.1:4000", "203.0.113.7", lb, "203.0.113.7"},
		{"the client's own hops are not believed", "127.0.0.1:4000", "6.6.6.6, 7.7.7.7, 203.0.113.7", lb, "203.0.113.7"},
		{"a chain of trusted proxies", "127.0.0.1:4000", "6.6.6.6, 203.0.113.7, 10.1.2.3", chain, "203.0.113.7"},
		{"all hops trusted: the leftmost", "127.0.0.1:4000", "10.0.0.5, 10.1.2.3", chain, "10.0.0.5"},
		{"an unreadable hop stops the walk", "127.0.0.1:4000", "203.0.113.7, nonsense", lb, "127.0.0.1"},
		{"no header from a trusted proxy", "127.0.0.1:4000", "", lb, "127.0.0.1"},
		{"IPv6 by /64", "[2001:db8:1:2:aaaa::1]:4000", "", nil, "2001:db8:1:2::/64"},
		{"IPv6 client behind a proxy", "[::1]:4000", "2001:db8:1:2:bbbb::9", lb, "2001:db8:1:2::/64"},
		{"IPv4-mapped IPv6 is IPv4", "[::ffff:198.51.100.9]:4000", "", nil, "198.51.100.9"},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = tc.remote
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := web.ClientKey(r, tc.trusted); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestForwardedForRotation is the attack: behind a trusted proxy, a
// client writes a new first X-Forwarded-For hop on every lookup (the proxy
// appends the real address). Every lookup past the burst is refused.
func TestForwardedForRotation(t *testing.T) {
	h := newHarness(t, web.Limits{LookupsPerMinute: 3, LookupsBurst: 3}, func(d *web.Deps) {
		d.TrustedProxies = web.Loopback // the test server's peer is 127.0.0.1: our "proxy"
	})
	passed := 0
	for i := range 50 {
		req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/api/v1/constancias/7K3M-9QXT-2HBN-M", nil)
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.9.%d.%d, 203.0.113.7", i/250, i%250))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusTooManyRequests {
			passed++
		}
	}
	if passed != 3 {
		t.Fatalf("%d of 50 lookups with a rotated first hop passed the limit, want 3 (the burst)", passed)
	}
}

// TestRetryAfterIsTheRealWait: the failures allowed a document and address (here 2 an hour)
// refills one check every 30 minutes, and Retry-After says so (it said 60
// whatever the wait).
func TestRetryAfterIsTheRealWait(t *testing.T) {
	h := newHarness(t, web.Limits{ChecksPerMinute: 100, ChecksBurst: 100, FailsPerDocHour: 2, LookupsPerMinute: 60, LookupsBurst: 1})
	body := fmt.Sprintf(`{"requester":"adult","email":"a@example.pe","accept_terms":%q,`+
		`"student":{"doc_type":"DNI","doc_number":"12345678","father_names":"X","mother_names":"Y","ubigeo":"150101"}}`, web.TermsVersion)
	var resp *http.Response
	for range 3 {
		var err error
		resp, err = http.Post(h.srv.URL+"/api/v1/solicitudes", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "1800" {
		t.Errorf("third check of a document: %d, Retry-After %q, want 429 and 1800", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	for i := range 2 {
		resp, err := http.Get(h.srv.URL + "/api/v1/constancias/7K3M-9QXT-2HBN-M")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if i == 1 && (resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "1") {
			t.Errorf("second lookup: %d, Retry-After %q, want 429 and 1 (60 a minute)", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
}

// TestNobodySpendsAHoldersTries is the attack: someone who knows a DNI
// sends ten requests with wrong names for it, then one every six minutes.
// The holder, from another address with the right data, still gets a
// check (it got 429 "espere", forever). The attacker's own address is
// stopped after its failures on that document, and on all documents, and
// told the real wait, over the API and the form.
func TestNobodySpendsAHoldersTries(t *testing.T) {
	h := newHarness(t, web.DefaultLimits, func(d *web.Deps) { d.TrustedProxies = web.Loopback })
	c := h.gen.Cases()[0] // an adult student with a DNI
	p, err := h.gen.Person(context.Background(), c.Student)
	if err != nil {
		t.Fatal(err)
	}
	post := func(from, father, doc string) *http.Response {
		body, _ := json.Marshal(map[string]any{"requester": "adult", "email": "alumna@example.pe", "accept_terms": web.TermsVersion,
			"student": map[string]string{"doc_type": "DNI", "doc_number": doc, "father_names": father,
				"mother_names": p.Mother.Names, "ubigeo": string(p.Ubigeo)}})
		req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/api/v1/solicitudes", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", from)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	attacker, holder := "203.0.113.66", "198.51.100.20"
	var codes []int
	for i := range 10 {
		codes = append(codes, post(attacker, fmt.Sprintf("NOMBRE FALSO %d", i), c.Student.Number).StatusCode)
	}
	want := []int{422, 422, 422, 429, 429, 429, 429, 429, 429, 429} // three failures a document an hour
	if fmt.Sprint(codes) != fmt.Sprint(want) {
		t.Fatalf("attacker's ten wrong requests: %v, want %v", codes, want)
	}
	if resp := post(attacker, "NOMBRE FALSO", c.Student.Number); resp.Header.Get("Retry-After") != "1200" {
		t.Errorf("attacker told to wait %q s, want 1200 (one try in 20 minutes)", resp.Header.Get("Retry-After"))
	}
	if resp := post(holder, p.Father.Names, c.Student.Number); resp.StatusCode != http.StatusCreated {
		t.Fatalf("the holder, right data, own address: %d, want 201", resp.StatusCode)
	}
	// The attacker moves on to other documents: stopped at 20 failures
	// an hour whatever the document (the per-minute limit waits between).
	h.advance(time.Hour)
	fails := 0
	for i := range 40 {
		h.advance(7 * time.Second) // under 10 checks a minute
		if post(attacker, "NOMBRE FALSO", fmt.Sprintf("%08d", 40000000+i)).StatusCode == http.StatusUnprocessableEntity {
			fails++
		}
	}
	if want := 20 + int(40*7*time.Second/(3*time.Minute)); fails != want { // the burst, and one refilled every 3 minutes
		t.Errorf("%d failed checks in 280 s from one address, want %d", fails, want)
	}
}

// TestFormStartsLimited is the attack on kept sessions: one address
// starts the request form again and again (a new browser each time, each
// terms acceptance a session kept until it expires; in the database when
// replicas share them). Past the burst the starts are refused and no
// session is kept for them.
func TestFormStartsLimited(t *testing.T) {
	h := newHarness(t, web.Limits{StartsPerMinute: 2, StartsBurst: 4})
	accepted := 0
	for range 12 {
		b := h.browser(t)
		_, page, _ := b.Get("/solicitar")
		code, body, _ := b.Post("/solicitar/terminos", url.Values{"csrf": {csrf(t, page)}, "accept": {web.TermsVersion}})
		switch code {
		case http.StatusSeeOther:
			accepted++
		case http.StatusTooManyRequests:
			if !strings.Contains(body, "Demasiados intentos") {
				t.Errorf("429 without the Spanish message")
			}
			// Refused: no session, so the form is not reachable.
			if code, _, hdr := b.Get("/solicitar/datos"); code != http.StatusSeeOther || hdr.Get("Location") != "/solicitar" {
				t.Errorf("after a refused start the form answered %d", code)
			}
		default:
			t.Fatalf("terms: %d", code)
		}
	}
	if accepted != 4 {
		t.Errorf("%d of 12 starts from one address accepted, want the burst of 4", accepted)
	}
	// A family that already started is not charged again for its own
	// corrections (the terms once more in the same session).
	h.advance(time.Minute)
	b := h.browser(t)
	_, page, _ := b.Get("/solicitar")
	tok := csrf(t, page)
	for i := range 3 {
		if code, _, _ := b.Post("/solicitar/terminos", url.Values{"csrf": {tok}, "accept": {web.TermsVersion}}); code != http.StatusSeeOther {
			t.Fatalf("the same session's terms, time %d: %d", i+1, code)
		}
	}
}
