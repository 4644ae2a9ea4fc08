//go:build !js

package verifier

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/vcode"
)

// PathLookup is the issuer's verify-by-code API (docs/API.md).
const PathLookup = "/api/v1/constancias/"

// ErrTypo: the typed code's check symbol does not match — a typo, caught
// before asking anyone.
var ErrTypo = vcode.ErrCheck

// Lookup asks the issuer about a typed virtual code (online only). The
// code is normalised and its check symbol checked first, offline. The
// Result has Status valid, revoked, key_compromised or not_found, and the
// student as the issuer holds them.
func (c *Client) Lookup(ctx context.Context, typed string) (Result, error) {
	code, err := vcode.Normalize(typed)
	if err != nil {
		return Result{}, err
	}
	r, err := c.get(ctx, PathLookup+url.PathEscape(code), nil, "", 64<<10)
	if err != nil {
		return Result{}, err
	}
	var body struct {
		Status   credential.Status `json:"status"`
		Code     string            `json:"code"`
		IssuedAt time.Time         `json:"issued_at"`
		Student  *struct {
			DocType       string `json:"doc_type"`
			DocNumber     string `json:"doc_number"`
			GivenNames    string `json:"given_names"`
			FirstSurname  string `json:"first_surname"`
			SecondSurname string `json:"second_surname"`
		} `json:"student"`
	}
	switch r.code {
	case http.StatusOK, http.StatusNotFound:
	default:
		return Result{}, fmt.Errorf("verifier: lookup: HTTP %d", r.code)
	}
	if err := json.Unmarshal(r.body, &body); err != nil {
		return Result{}, fmt.Errorf("verifier: lookup: %w", err)
	}
	res := Result{Status: body.Status, Source: vcode.Format(code)}
	if body.Student != nil {
		st := credential.Student{DocNumber: body.Student.DocNumber, GivenNames: body.Student.GivenNames,
			FirstSurname: body.Student.FirstSurname, SecondSurname: body.Student.SecondSurname}
		res.Constancia = &Constancia{Code: body.Code, IssuedAt: body.IssuedAt, Student: Student{DocType: body.Student.DocType,
			DocNumber: st.DocNumber, GivenNames: st.GivenNames, FirstSurname: st.FirstSurname,
			SecondSurname: st.SecondSurname, FullName: st.FullName()}}
	}
	return res, nil
}
