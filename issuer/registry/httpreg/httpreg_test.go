package httpreg_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/dataset"
	"github.com/minedu-cla/cla/issuer/registry/httpreg"
	"github.com/minedu-cla/cla/issuer/registry/registrytest"
	"github.com/minedu-cla/cla/issuer/registry/synth"
)

// fast retries without real waiting.
var fast = httpreg.Options{
	Timeout: 2 * time.Second, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond,
	Jitter: func(d time.Duration) time.Duration { return d },
}

func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// TestConformance serves the demo registry over loopback HTTP and checks
// the clients answer exactly as the generator it came from.
func TestConformance(t *testing.T) {
	t.Parallel()
	reg, err := dataset.Demo()
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/reniec/", http.StripPrefix("/reniec", httpreg.IdentityHandler(reg, idnum.KindDNI)))
	mux.Handle("/migraciones/", http.StripPrefix("/migraciones", httpreg.IdentityHandler(reg, idnum.KindCE)))
	mux.Handle("/siagie/", http.StripPrefix("/siagie", httpreg.RecordsHandler(reg)))
	srv := serve(t, mux)
	reniec, _ := httpreg.NewIdentityClient(srv.URL+"/reniec", fast)
	migr, _ := httpreg.NewIdentityClient(srv.URL+"/migraciones/", fast)
	siagie, _ := httpreg.NewRecordsClient(srv.URL+"/siagie", fast)
	g, _ := synth.New(synth.DefaultConfig())
	registrytest.Compare(t,
		registrytest.Pair{Identity: g, Records: g},
		registrytest.Pair{Identity: registry.Identities{DNI: reniec, CE: migr}, Records: siagie},
		registrytest.Docs(g, g.Families()))

	// RENIEC itself refuses a CE; Migraciones a DNI.
	if _, err := reniec.Person(context.Background(), idnum.FromCE("000000001")); !errors.Is(err, registry.ErrUnsupported) {
		t.Errorf("RENIEC asked for a CE: %v", err)
	}
}

// flaky answers with each status of plan in turn, then serves h.
func flaky(h http.Handler, calls *atomic.Int32, plan ...int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(calls.Add(1))
		if n <= len(plan) {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(plan[n-1])
			io.WriteString(w, `{"error":{"code":"unavailable","message":"x"}}`)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// hang answers nothing until the client goes away (or 2 s pass). It reads
// the body first: only then does the server notice a closed connection.
var hang = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	select {
	case <-time.After(2 * time.Second):
	case <-r.Context().Done():
	}
})

func body(status int, s string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		io.WriteString(w, s)
	})
}

func TestFailures(t *testing.T) {
	t.Parallel()
	reg, _ := dataset.Demo()
	g, _ := synth.New(synth.DefaultConfig())
	persons, _ := g.Family(0)
	doc := persons[0].Doc
	good := httpreg.IdentityHandler(reg, idnum.KindDNI)
	slow := hang
	tests := []struct {
		name     string
		handler  func(*atomic.Int32) http.Handler
		timeout  time.Duration
		want     error
		attempts int32
	}{
		{"ok", func(c *atomic.Int32) http.Handler { return flaky(good, c) }, 0, nil, 1},
		{"two 503 then ok", func(c *atomic.Int32) http.Handler { return flaky(good, c, 503, 503) }, 0, nil, 3},
		{"429 then ok", func(c *atomic.Int32) http.Handler { return flaky(good, c, 429) }, 0, nil, 2},
		{"always 500", func(c *atomic.Int32) http.Handler { return flaky(good, c, 500, 500, 500, 500) }, 0, registry.ErrUnavailable, 3},
		{"504 is a timeout", func(c *atomic.Int32) http.Handler { return flaky(good, c, 504, 504, 504) }, 0, registry.ErrTimeout, 3},
		{"slow", func(c *atomic.Int32) http.Handler { return flaky(slow, c) }, 30 * time.Millisecond, registry.ErrTimeout, 3},
		{"404 without code: wrong URL", func(*atomic.Int32) http.Handler { return body(404, "no such page") }, 0, registry.ErrUnavailable, 0},
		{"401", func(*atomic.Int32) http.Handler { return body(401, "{}") }, 0, registry.ErrUnavailable, 0},
		{"not JSON", func(*atomic.Int32) http.Handler { return body(200, "<html>") }, 0, registry.ErrUnavailable, 0},
		{"unknown field", func(*atomic.Int32) http.Handler { return body(200, `{"person":null,"extra":1}`) }, 0, registry.ErrUnavailable, 0},
		{"someone else", func(*atomic.Int32) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				r.Body = io.NopCloser(strings.NewReader(`{"doc":{"type":"DNI","number":"` + persons[1].Doc.Number + `"}}`))
				good.ServeHTTP(w, r)
			})
		}, 0, registry.ErrUnavailable, 0},
		{"huge", func(*atomic.Int32) http.Handler {
			return body(200, `{"person":"`+strings.Repeat("x", httpreg.MaxResponseBytes)+`"}`)
		}, 0, registry.ErrUnavailable, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			srv := serve(t, tt.handler(&calls))
			o := fast
			if tt.timeout > 0 {
				o.Timeout = tt.timeout
			}
			c, _ := httpreg.NewIdentityClient(srv.URL, o)
			p, err := c.Person(context.Background(), doc)
			if !errors.Is(err, tt.want) || (tt.want == nil && p.Doc != doc) {
				t.Fatalf("Person() = %v; want %v", err, tt.want)
			}
			if tt.attempts > 0 && calls.Load() != tt.attempts {
				t.Errorf("%d attempts; want %d", calls.Load(), tt.attempts)
			}
			if err != nil && strings.Contains(err.Error(), doc.Number) {
				t.Errorf("error holds the document: %v", err)
			}
		})
	}
}

func TestDown(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	c, _ := httpreg.NewRecordsClient(url, fast)
	_, err := c.Student(context.Background(), idnum.FromDNI("10117410"))
	var he *httpreg.Error
	if !errors.Is(err, registry.ErrUnavailable) || errors.Is(err, registry.ErrTimeout) || !errors.As(err, &he) || he.Status != 0 {
		t.Fatalf("Student() = %v; want ErrUnavailable", err)
	}
}

func TestCallerContext(t *testing.T) {
	t.Parallel()
	srv := serve(t, hang)
	c, _ := httpreg.NewIdentityClient(srv.URL, fast)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := c.Person(ctx, idnum.FromDNI("10117410")); !errors.Is(err, registry.ErrTimeout) {
		t.Errorf("deadline: %v", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(10*time.Millisecond, cancel)
	if _, err := c.Person(ctx, idnum.FromDNI("10117410")); !errors.Is(err, context.Canceled) || errors.Is(err, registry.ErrUnavailable) {
		t.Errorf("cancel: %v", err)
	}
}

// TestRequestCarriesNoPersonalDataInURL: the document is in the body.
func TestRequestCarriesNoPersonalDataInURL(t *testing.T) {
	t.Parallel()
	var seen string
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Method + " " + r.URL.String() + " " + r.Header.Get("Authorization")
		w.WriteHeader(404)
		io.WriteString(w, `{"error":{"code":"not_found","message":"x"}}`)
	}))
	o := fast
	o.Token = "secret-token"
	c, _ := httpreg.NewIdentityClient(srv.URL+"/reniec", o)
	if _, err := c.Person(context.Background(), idnum.FromDNI("10117410")); !errors.Is(err, registry.ErrNotFound) {
		t.Fatal(err)
	}
	if seen != "POST /reniec/v1/persona Bearer secret-token" {
		t.Fatalf("request %q", seen)
	}
}

func TestHandlerRejects(t *testing.T) {
	t.Parallel()
	reg, _ := dataset.Demo()
	srv := serve(t, httpreg.IdentityHandler(reg, idnum.KindDNI))
	tests := []struct {
		method, path, body string
		status             int
	}{
		{"GET", httpreg.PersonPath, "", 405},
		{"POST", httpreg.PersonPath, "not json", 400},
		{"POST", httpreg.PersonPath, `{"doc":{"type":"DNI","number":"1011741"}}`, 400},
		{"POST", httpreg.PersonPath, `{"doc":{"type":"DNI","number":"10117410"},"x":1}`, 400},
		{"POST", httpreg.PersonPath, `{"doc":{"type":"DNI","number":"10117410"},"doc":{"type":"DNI","number":"10117411"}}`, 400},
		{"POST", httpreg.PersonPath, `{"doc":{"type":"CE","number":"000000001"}}`, 422},
		{"POST", httpreg.PersonPath, `{"doc":{"type":"DNI","number":"10117410"}}`, 404},
		{"POST", httpreg.PersonPath, strings.Repeat(" ", httpreg.MaxRequestBytes+1), 413},
		{"GET", httpreg.HealthPath, "", 200},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || (tt.status == 404 && strings.Contains(string(b), "10117410")) {
			t.Errorf("%s %s %.40q: %d %s", tt.method, tt.path, tt.body, resp.StatusCode, b)
		}
	}
}

func TestBadBaseURL(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"", "ftp://x", "localhost:8080", "http://"} {
		if _, err := httpreg.NewIdentityClient(u, httpreg.Options{}); err == nil {
			t.Errorf("accepted %q", u)
		}
	}
}

// FuzzResponse feeds arbitrary bodies and statuses to the client: it must
// answer with a registry sentinel and never panic.
func FuzzResponse(f *testing.F) {
	reg, _ := dataset.Demo()
	g, _ := synth.New(synth.DefaultConfig())
	_, students := g.Family(0)
	rec := httptest.NewRecorder()
	httpreg.RecordsHandler(reg).ServeHTTP(rec, httptest.NewRequest("POST", httpreg.StudentPath,
		strings.NewReader(`{"doc":{"type":"CODIGO","number":"`+string(students[0].Code)+`"}}`)))
	f.Add(200, rec.Body.Bytes())
	f.Add(404, []byte(`{"error":{"code":"not_found","message":"x"}}`))
	f.Add(422, []byte(`{"error":{"code":"unsupported_document"}}`))
	f.Add(200, []byte(`{"student":{"code":"1","years":[{"marks":{"MAT":"A","MAT":"B"}}]}}`))
	var status atomic.Int32
	var payload atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(int(status.Load()))
		w.Write(payload.Load().([]byte))
	}))
	defer srv.Close()
	o := fast
	o.Attempts = 1
	c, _ := httpreg.NewRecordsClient(srv.URL, o)
	doc := idnum.FromStudentCode(students[0].Code)
	f.Fuzz(func(t *testing.T, st int, b []byte) {
		if st < 200 || st > 599 {
			return
		}
		status.Store(int32(st))
		payload.Store(b)
		s, err := c.Student(context.Background(), doc)
		switch {
		case err == nil && (s == nil || s.Validate() != nil || s.Code != students[0].Code):
			t.Fatal("accepted an invalid or foreign record")
		case err != nil && !errors.Is(err, registry.ErrNotFound) && !errors.Is(err, registry.ErrUnsupported) &&
			!errors.Is(err, registry.ErrUnavailable):
			t.Fatalf("error without a sentinel: %v", err)
		}
	})
}

// FuzzRequest feeds arbitrary request bodies to the handlers.
func FuzzRequest(f *testing.F) {
	reg, _ := dataset.Demo()
	h := httpreg.RecordsHandler(reg)
	f.Add([]byte(`{"doc":{"type":"DNI","number":"10117410"}}`))
	f.Add([]byte(`{"doc":{"type":"CODIGO","number":"00000000000001"}}`))
	f.Add([]byte(`{"doc":{}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("POST", httpreg.StudentPath, strings.NewReader(string(b))))
		switch rec.Code {
		case 200, 400, 404, 413:
		default:
			t.Fatalf("status %d for %q", rec.Code, b)
		}
	})
}
