//go:build js

package verifier

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"syscall/js"
)

// Client talks to the issuer through the browser's fetch. In WebAssembly
// net/http would be a third of the page's download (0.8 MB gzip), and
// fetch brings what the browser already does: its proxy, TLS, offline.
type Client struct {
	Base string // e.g. https://cla.minedu.gob.pe, or the page's own origin
}

// NewClient returns a client of the issuer at base.
func NewClient(base string) *Client {
	return &Client{Base: strings.TrimRight(base, "/")}
}

// get fetches path. It blocks until the answer is read, so it must run on
// a goroutine of its own, never on the one JavaScript called into: fetch
// settles on the event loop, which that goroutine would be holding.
func (c *Client) get(ctx context.Context, path string, q url.Values, etag string, limit int64) (*response, error) {
	u := c.Base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	headers := map[string]any{}
	if etag != "" {
		headers["If-None-Match"] = etag
	}
	abort := js.Global().Get("AbortController").New()
	stop := context.AfterFunc(ctx, func() { abort.Call("abort") })
	defer stop()
	// no-store: the engine keeps what it verified and asks with its own
	// ETag; omit: the trust data is the same for everyone, no cookies.
	init := map[string]any{"method": "GET", "headers": headers, "cache": "no-store",
		"credentials": "omit", "signal": abort.Get("signal")}
	resp, err := Await(js.Global().Call("fetch", u, init))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrOffline, err)
	}
	if n, err := strconv.ParseInt(resp.Get("headers").Call("get", "Content-Length").String(), 10, 64); err == nil && n > limit {
		resp.Get("body").Call("cancel")
		return nil, fmt.Errorf("verifier: %s answered more than %d bytes", path, limit)
	}
	buf, err := Await(resp.Call("arrayBuffer"))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrOffline, err)
	}
	if int64(buf.Get("byteLength").Int()) > limit {
		return nil, fmt.Errorf("verifier: %s answered more than %d bytes", path, limit)
	}
	body := make([]byte, buf.Get("byteLength").Int())
	js.CopyBytesToGo(body, js.Global().Get("Uint8Array").New(buf))
	r := &response{code: resp.Get("status").Int(), body: body}
	if e := resp.Get("headers").Call("get", "ETag"); e.Type() == js.TypeString {
		r.etag = e.String()
	}
	return r, nil
}

// Await waits for a JavaScript promise to settle, from a goroutine (never
// from a callback JavaScript is waiting on): its value, or the rejection
// as an error. The browser engine (verifier/browser) uses it too.
func Await(p js.Value) (js.Value, error) {
	type settled struct {
		v   js.Value
		err error
	}
	ch := make(chan settled, 1)
	arg := func(args []js.Value) js.Value {
		if len(args) == 0 {
			return js.Undefined()
		}
		return args[0]
	}
	then := js.FuncOf(func(_ js.Value, args []js.Value) any { ch <- settled{v: arg(args)}; return nil })
	catch := js.FuncOf(func(_ js.Value, args []js.Value) any { ch <- settled{err: jsError(arg(args))}; return nil })
	defer then.Release()
	defer catch.Release()
	p.Call("then", then, catch)
	s := <-ch
	return s.v, s.err
}

// jsError turns a rejection's reason into an error.
func jsError(v js.Value) error {
	if v.Type() == js.TypeObject && v.Get("message").Type() == js.TypeString {
		return errors.New(v.Get("message").String())
	}
	return errors.New(js.Global().Call("String", v).String())
}
