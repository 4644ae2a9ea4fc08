// Package webtest is the test kit of the issuer's web tests (the site
// and the console): a cookie-keeping client that does not follow
// redirects, so a test sees each step, and the helpers that read pages.
package webtest

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Browser is a cookie-keeping client of one server.
type Browser struct {
	T    testing.TB
	C    *http.Client
	Base string
}

// NewBrowser returns a client of the server at base (http://host:port),
// of a person who accepted the site's cookies long ago (the cookie the
// notice sets). NewStranger is one who was never asked.
func NewBrowser(t testing.TB, base string) *Browser {
	b := NewStranger(t, base)
	if u, err := url.Parse(base); err == nil {
		b.C.Jar.SetCookies(u, []*http.Cookie{{Name: "cla_cookies", Value: "si", Path: "/"}})
	}
	return b
}

// NewStranger returns a client with no cookie at all.
func NewStranger(t testing.TB, base string) *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{T: t, Base: base, C: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Get fetches path.
func (b *Browser) Get(path string) (int, string, http.Header) {
	b.T.Helper()
	resp, err := b.C.Get(b.Base + path)
	return b.read(resp, err)
}

// Post posts form to path.
func (b *Browser) Post(path string, form url.Values) (int, string, http.Header) {
	b.T.Helper()
	resp, err := b.C.PostForm(b.Base+path, form)
	return b.read(resp, err)
}

// PostRaw posts body as contentType (JSON, or anything a stranger sends).
func (b *Browser) PostRaw(path, contentType string, body []byte) (int, string, http.Header) {
	b.T.Helper()
	resp, err := b.C.Post(b.Base+path, contentType, bytes.NewReader(body))
	return b.read(resp, err)
}

// PostFile posts fields and one file as multipart/form-data.
func (b *Browser) PostFile(path string, fields url.Values, field, name string, data []byte) (int, string) {
	b.T.Helper()
	code, body, _ := b.read(b.C.Do(b.FilePost(path, fields, field, name, data)))
	return code, body
}

// FilePost is the request PostFile sends.
func (b *Browser) FilePost(path string, fields url.Values, field, name string, data []byte) *http.Request {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile(field, name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.Base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

func (b *Browser) read(resp *http.Response, err error) (int, string, http.Header) {
	b.T.Helper()
	if err != nil {
		b.T.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// CSRF returns the CSRF token of a page's form.
func CSRF(t testing.TB, page string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in page")
	}
	return m[1]
}

// CSRFForm is a form with the token and the given key, value pairs.
func CSRFForm(tok string, kv ...string) url.Values {
	v := url.Values{"csrf": {tok}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// Body is the body of a Get or Post, for chaining.
func Body(_ int, body string, _ http.Header) string { return body }

var alertRE = regexp.MustCompile(`(?s)role="alert">(.*?)</div>`)

// AlertText is the text of the page's alert, for failure messages.
func AlertText(page string) string {
	if m := alertRE.FindStringSubmatch(page); m != nil {
		return m[1]
	}
	return "(no alert)"
}

// The fuzz targets' check for reflected markup. With the high bit of
// "which" set, every value is sent between two markers: html/template
// escapes <, >, ", ' and &, so a page holding marker+value+marker with any
// of them raw put the stranger's text into the page unescaped. (Without
// markers a short value such as "ipt>" is found in the page's own
// "</script>": no proof of anything.)
const mark = "QZXQ"

// Marked puts each value between markers when which has its high bit.
func Marked(which uint8, vs ...string) (string, string, string) {
	if which&0x80 != 0 {
		for i := range vs {
			vs[i] = mark + vs[i] + mark
		}
	}
	return vs[0], vs[1], vs[2]
}

// Reflected returns a marked value that a page holds unescaped.
func Reflected(body string, vs ...string) (string, bool) {
	for _, v := range vs {
		if strings.HasPrefix(v, mark) && strings.ContainsAny(v, "<>\"'&") && strings.Contains(body, v) {
			return v, true
		}
	}
	return "", false
}
