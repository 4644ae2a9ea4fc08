package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"

	"github.com/minedu-cla/cla/i18n"
)

// maxBody caps what is read of an answer: pages are a few KB, the JSON
// answers less.
const maxBody = 1 << 20

// do sends a request and reads the answer (body capped at maxBody).
func (w *worker) do(ctx context.Context, method, path, ctype string, body io.Reader) (int, http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, w.base+path, body)
	if err != nil {
		return 0, nil, nil, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	// Every visitor here accepted the site's cookies (the request steps
	// need the session; without consent none is set).
	req.AddCookie(&http.Cookie{Name: "cla_cookies", Value: "si"})
	resp, err := w.client.Do(req)
	if err != nil {
		return 0, nil, nil, transportError(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return resp.StatusCode, resp.Header, nil, transportError(err)
	}
	return resp.StatusCode, resp.Header, b, nil
}

// loadEmail is where the constancias go: the outbox of a test issuer.
const loadEmail = "carga@example.pe"

// apiBody is the request API's body (docs/API.md).
type apiBody struct {
	Requester   string `json:"requester"`
	Student     claim  `json:"student"`
	Guardian    *claim `json:"guardian,omitempty"`
	Email       string `json:"email"`
	AcceptTerms string `json:"accept_terms"`
}

// apiRequest is POST /api/v1/solicitudes for the next demo identity:
// 201 with a new or the existing constancia.
func apiRequest(ctx context.Context, w *worker) outcome {
	id := w.state.identity()
	body, _ := json.Marshal(apiBody{Requester: id.requester(), Student: id.Student, Guardian: id.Guardian,
		Email: loadEmail, AcceptTerms: w.state.terms})
	st, _, b, err := w.do(ctx, http.MethodPost, "/api/v1/solicitudes", "application/json", bytes.NewReader(body))
	out := outcome{statuses: []int{st}}
	if err != nil {
		out.err = err
		return out
	}
	var ans struct {
		Code     string `json:"code"`
		Existing bool   `json:"existing"`
		Error    struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if jerr := json.Unmarshal(b, &ans); jerr != nil {
		out.err = fmt.Errorf("POST /api/v1/solicitudes: %d, not JSON: %v", st, jerr)
		return out
	}
	if st != http.StatusCreated || ans.Code == "" {
		out.err = fmt.Errorf("POST /api/v1/solicitudes: %d %s", st, ans.Error.Code)
		return out
	}
	return issuedOutcome(w, id, ans.Code, ans.Existing, out)
}

func issuedOutcome(w *worker, id identity, code string, existing bool, out outcome) outcome {
	if !w.state.issued(id, code) {
		out.err = fmt.Errorf("student %s asked again got a different code", id.Student.DocNumber)
		return out
	}
	out.result = "new"
	if existing {
		out.result = "existing"
	}
	return out
}

var (
	csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	termRE = regexp.MustCompile(`name="accept" value="([^"]+)"`)
	codeRE = regexp.MustCompile(`class="code"[^>]*>([0-9A-Z-]{16})<`)
	// existingMsg is the done page's notice for a constancia issued before,
	// in Spanish (no ?lang=, no Accept-Language), as the page escapes it.
	existingMsg = []byte(html.EscapeString(i18n.T(i18n.ES, "web.done.existing")))
)

// formFlow is one person's way through the request pages, as a browser
// without JavaScript goes: terms, form, preview, issue, done — six
// requests, one operation.
func formFlow(ctx context.Context, w *worker) outcome {
	w.client.Jar, _ = cookiejar.New(nil) // a new visitor each time
	id := w.state.identity()
	var out outcome
	step := func(method, path string, form url.Values, want int) []byte {
		if out.err != nil {
			return nil
		}
		var body io.Reader
		ctype := ""
		if form != nil {
			body, ctype = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
		}
		st, hdr, b, err := w.do(ctx, method, path, ctype, body)
		out.statuses = append(out.statuses, st)
		switch {
		case err != nil:
			out.err = err
		case st != want:
			out.err = fmt.Errorf("%s %s: %d, want %d (%s)", method, path, st, want, hdr.Get("Location"))
		}
		return b
	}
	page := step(http.MethodGet, "/solicitar", nil, http.StatusOK)
	m := csrfRE.FindSubmatch(page)
	if out.err == nil && m == nil {
		out.err = fmt.Errorf("GET /solicitar: no CSRF token")
	}
	var tok string
	if m != nil {
		tok = string(m[1])
	}
	step(http.MethodPost, "/solicitar/terminos", url.Values{"csrf": {tok}, "accept": {w.state.terms}}, http.StatusSeeOther)
	step(http.MethodPost, "/solicitar/datos", formValues(id, tok), http.StatusSeeOther)
	step(http.MethodGet, "/solicitar/vista-previa", nil, http.StatusOK)
	step(http.MethodPost, "/solicitar/emitir", url.Values{"csrf": {tok}}, http.StatusSeeOther)
	done := step(http.MethodGet, "/solicitar/listo", nil, http.StatusOK)
	if out.err != nil {
		return out
	}
	c := codeRE.FindSubmatch(done)
	if c == nil {
		out.err = fmt.Errorf("GET /solicitar/listo: no code on the page")
		return out
	}
	// The code is what matters, and it must not change; the done page
	// also says whether the constancia existed already.
	return issuedOutcome(w, id, string(c[1]), bytes.Contains(done, existingMsg), out)
}

func formValues(id identity, tok string) url.Values {
	v := url.Values{"csrf": {tok}, "who": {id.requester()}, "email": {loadEmail}}
	fill := func(prefix string, c claim) {
		v.Set(prefix+"_doctype", c.DocType)
		v.Set(prefix+"_doc", c.DocNumber)
		v.Set(prefix+"_father", c.FatherNames)
		v.Set(prefix+"_mother", c.MotherNames)
		v.Set(prefix+"_dist", c.Ubigeo)
	}
	fill("student", id.Student)
	if id.Guardian != nil {
		fill("guardian", *id.Guardian)
	}
	return v
}

// apiLookup is GET /api/v1/constancias/{code} for the next issued code:
// 200 and the status, which must be "valid".
func apiLookup(ctx context.Context, w *worker) outcome {
	code := w.state.code()
	st, _, b, err := w.do(ctx, http.MethodGet, "/api/v1/constancias/"+url.PathEscape(code), "", nil)
	out := outcome{statuses: []int{st}}
	if err != nil {
		out.err = err
		return out
	}
	var ans struct {
		Status string `json:"status"`
		Code   string `json:"code"`
	}
	switch jerr := json.Unmarshal(b, &ans); {
	case jerr != nil:
		out.err = fmt.Errorf("GET /api/v1/constancias: %d, not JSON: %v", st, jerr)
	case st != http.StatusOK || ans.Code != code:
		out.err = fmt.Errorf("GET /api/v1/constancias/%s: %d %q", code, st, ans.Status)
	default:
		out.result = ans.Status
	}
	return out
}

// pageVerify is POST /verificar with the next issued code, as the verify
// page sends it (the worker fetched the page once for its CSRF token).
func pageVerify(ctx context.Context, w *worker) outcome {
	var out outcome
	tok, err := w.verifyToken(ctx, &out)
	if err != nil {
		out.err = err
		return out
	}
	code := w.state.code()
	form := url.Values{"csrf": {tok}, "codigo": {code}}
	st, _, b, err := w.do(ctx, http.MethodPost, "/verificar", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	out.statuses = append(out.statuses, st)
	switch {
	case err != nil:
		out.err = err
	case st != http.StatusOK || !bytes.Contains(b, []byte(code)):
		out.err = fmt.Errorf("POST /verificar %s: %d", code, st)
	case bytes.Contains(b, []byte(`class="verdict valid"`)):
		out.result = "valid"
	default:
		out.result = "not valid"
	}
	return out
}

// verifyToken fetches the verify page once per worker for the session
// and its CSRF token (a person verifying several codes keeps the page).
func (w *worker) verifyToken(ctx context.Context, out *outcome) (string, error) {
	if w.token != "" {
		return w.token, nil
	}
	st, _, b, err := w.do(ctx, http.MethodGet, "/verificar", "", nil)
	out.statuses = append(out.statuses, st)
	if err != nil {
		return "", err
	}
	m := csrfRE.FindSubmatch(b)
	if st != http.StatusOK || m == nil {
		return "", fmt.Errorf("GET /verificar: %d, no CSRF token", st)
	}
	w.token = string(m[1])
	return w.token, nil
}
