//go:build !js

package verifier

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client talks to the issuer.
type Client struct {
	Base string // e.g. https://cla.minedu.gob.pe
	HTTP *http.Client
}

// NewClient returns a client with timeouts and the proxy from the
// environment (HTTPS_PROXY, NO_PROXY).
func NewClient(base string) *Client {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 20 * time.Second,
		IdleConnTimeout:       30 * time.Second,
	}
	return &Client{Base: strings.TrimRight(base, "/"), HTTP: &http.Client{Transport: tr, Timeout: 60 * time.Second}}
}

func (c *Client) get(ctx context.Context, path string, q url.Values, etag string, limit int64) (*response, error) {
	u := c.Base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "cla-verify/1")
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrOffline, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrOffline, err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("verifier: %s answered more than %d bytes", path, limit)
	}
	return &response{code: resp.StatusCode, body: body, etag: resp.Header.Get("ETag")}, nil
}
