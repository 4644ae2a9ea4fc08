package httpreg

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
	"github.com/minedu-cla/cla/issuer/registry/internal/strictjson"
)

// IdentityClient asks a RENIEC- or Migraciones-like service.
type IdentityClient struct{ c *caller }

// RecordsClient asks a SIAGIE-like service.
type RecordsClient struct{ c *caller }

var (
	_ registry.IdentityRegistry = (*IdentityClient)(nil)
	_ registry.RecordsRegistry  = (*RecordsClient)(nil)
)

// NewIdentityClient returns a client for the identity service at baseURL
// (e.g. "http://127.0.0.1:8090/reniec").
func NewIdentityClient(baseURL string, o Options) (*IdentityClient, error) {
	c, err := newCaller(baseURL, o)
	return &IdentityClient{c}, err
}

// NewRecordsClient returns a client for the records service at baseURL
// (e.g. "http://127.0.0.1:8090/siagie").
func NewRecordsClient(baseURL string, o Options) (*RecordsClient, error) {
	c, err := newCaller(baseURL, o)
	return &RecordsClient{c}, err
}

// Person implements registry.IdentityRegistry.
func (ic *IdentityClient) Person(ctx context.Context, doc idnum.Doc) (*registry.Person, error) {
	var resp personResponse
	check := func() bool { return resp.Person != nil && resp.Person.Validate() == nil && resp.Person.Doc == doc }
	if err := ic.c.do(ctx, PersonPath, doc, &resp, check); err != nil {
		return nil, err
	}
	return resp.Person, nil
}

// Student implements registry.RecordsRegistry.
func (rc *RecordsClient) Student(ctx context.Context, doc idnum.Doc) (*registry.Student, error) {
	var resp studentResponse
	check := func() bool {
		s := resp.Student
		return s != nil && s.Validate() == nil &&
			(s.Doc == doc || (doc.Kind == idnum.KindStudentCode && string(s.Code) == doc.Number))
	}
	if err := rc.c.do(ctx, StudentPath, doc, &resp, check); err != nil {
		return nil, err
	}
	return resp.Student, nil
}

type caller struct {
	base string
	o    Options
}

func newCaller(baseURL string, o Options) (*caller, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("httpreg: base URL must be http(s)://host[/path]")
	}
	return &caller{base: strings.TrimSuffix(baseURL, "/"), o: o.withDefaults()}, nil
}

// do posts doc to path, retrying what may pass, and decodes the answer
// into out; check validates it.
func (c *caller) do(ctx context.Context, path string, doc idnum.Doc, out any, check func() bool) error {
	if doc.Validate() != nil {
		return &Error{Service: c.o.Service, Err: registry.ErrNotFound, Cause: errors.New("invalid document")}
	}
	body, _ := json.Marshal(lookup{Doc: doc})
	for n := 1; ; n++ {
		res := c.once(ctx, path, body, out, check)
		if res.err == nil || !res.retry || n >= c.o.Attempts {
			return res.err
		}
		if err := sleep(ctx, c.o.wait(n, res.retryAfter)); err != nil {
			return c.fail(0, ctxSentinel(err), err)
		}
	}
}

type result struct {
	err        error
	retry      bool
	retryAfter time.Duration
}

func (c *caller) once(ctx context.Context, path string, body []byte, out any, check func() bool) result {
	actx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		return result{err: c.fail(0, registry.ErrUnavailable, err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.o.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.o.Token)
	}
	resp, err := c.o.HTTPClient.Do(req)
	if err != nil {
		return c.transportFailure(ctx, actx, 0, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return c.transportFailure(ctx, actx, resp.StatusCode, err)
	}
	return c.interpret(resp, b, out, check)
}

// transportFailure classifies a failure to get an answer: the caller's
// context (final), this attempt's timeout (retry), or the network (retry).
func (c *caller) transportFailure(ctx, actx context.Context, status int, err error) result {
	switch {
	case ctx.Err() != nil:
		return result{err: c.fail(status, ctxSentinel(ctx.Err()), ctx.Err())}
	case actx.Err() != nil:
		return result{err: c.fail(status, registry.ErrTimeout, actx.Err()), retry: true}
	}
	return result{err: c.fail(status, registry.ErrUnavailable, scrubURL(err)), retry: true}
}

// interpret maps a response to a result.
func (c *caller) interpret(resp *http.Response, b []byte, out any, check func() bool) result {
	st := resp.StatusCode
	if len(b) > MaxResponseBytes {
		return result{err: c.fail(st, registry.ErrUnavailable, errors.New("response too large"))}
	}
	switch {
	case st == http.StatusOK:
		if strictjson.Unmarshal(b, out) != nil || !check() {
			return result{err: c.fail(st, registry.ErrUnavailable, errors.New("malformed or mismatched response"))}
		}
		return result{}
	case st == http.StatusNotFound && errorCode(b) == CodeNotFound:
		return result{err: c.fail(st, registry.ErrNotFound, nil)}
	case st == http.StatusUnprocessableEntity && errorCode(b) == CodeUnsupported:
		return result{err: c.fail(st, registry.ErrUnsupported, nil)}
	case st == http.StatusGatewayTimeout:
		return result{err: c.fail(st, registry.ErrTimeout, nil), retry: true, retryAfter: retryAfter(resp)}
	case st == http.StatusTooManyRequests || st >= 500:
		return result{err: c.fail(st, registry.ErrUnavailable, nil), retry: true, retryAfter: retryAfter(resp)}
	}
	// Anything else (401, 403, a 404 with no error code: a wrong URL) is
	// a configuration problem that a retry will not fix.
	return result{err: c.fail(st, registry.ErrUnavailable, errors.New("unexpected response"))}
}

func (c *caller) fail(status int, sentinel, cause error) *Error {
	return &Error{Service: c.o.Service, Status: status, Err: sentinel, Cause: cause}
}

func errorCode(b []byte) string {
	var e errorResponse
	if json.Unmarshal(b, &e) != nil {
		return ""
	}
	return e.Error.Code
}

func retryAfter(resp *http.Response) time.Duration {
	s, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || s < 0 {
		return 0
	}
	return time.Duration(s) * time.Second
}

// ctxSentinel maps the caller's context error: a deadline is a timeout, a
// cancellation stays a cancellation (nobody is waiting for the answer).
func ctxSentinel(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return registry.ErrTimeout
	}
	return err
}

// scrubURL keeps the operation and the network error of a *url.Error but
// not the URL, in case a deployment's base URL carries a secret.
func scrubURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
