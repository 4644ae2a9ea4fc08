package verifier

import (
	"errors"
	"time"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/verifier/trust"
)

// lookup returns the keys to verify against: the --jwks keys, or the
// keyset held (none when nothing is held yet).
func (e *Engine) lookup(st *trust.State) keyset.Lookup {
	switch {
	case e.opts.Keys != nil:
		return e.opts.Keys
	case st.Keyset != nil:
		return st.Keyset
	}
	return keyset.List{}
}

// VerifyText verifies a QR text.
func (e *Engine) VerifyText(text string) Result {
	r, _ := e.open(text)
	return r
}

// open verifies a QR text and also returns its claims, when readable.
func (e *Engine) open(text string) (Result, *credential.Claims) {
	st, now := e.state.Load(), e.opts.Now()
	c, k, err := credential.Open(text, e.lookup(st))
	r := e.judge(st, now, c, k, err)
	r.basis = &basis{st: st, text: text}
	return r, c
}

// judge turns the outcome of opening a code into a Result: the status from
// the signature and key, then revocation, then the freshness of the trust
// data. Revoked wins over stale: a revocation, once seen, stands.
func (e *Engine) judge(st *trust.State, now time.Time, c *credential.Claims, k keyset.Key, err error) Result {
	r := Result{Status: credential.StatusOf(err), Trust: e.trustInfo(st, now)}
	if err != nil {
		r.Detail = err.Error()
	}
	if c != nil {
		r.Constancia = constanciaOf(c)
	}
	if k.ID != nil {
		r.Key = keyInfo(k)
	}
	if e.opts.Keys != nil {
		if r.Status == credential.Valid {
			r.Warnings = append(r.Warnings, WarnNoRevocation)
		}
		return r
	}
	fresh := st.Freshness(now, e.opts.Limits)
	switch r.Status {
	case credential.UnknownKey:
		if fresh.Stale || fresh.Old {
			r.Warnings = append(r.Warnings, WarnSyncMayHelp)
		}
		if st.Keyset == nil {
			r.Status, r.Reason = credential.Stale, trust.NoTrustData
		}
		return r
	case credential.Valid:
	default:
		return r
	}
	if st.List != nil {
		revoked, err := st.List.Revoked(c.StatusIndex)
		switch {
		case revoked:
			r.Status = credential.Revoked
			return r
		case err != nil:
			r.Status, r.Reason, r.Detail = credential.Stale, ReasonNotCovered, err.Error()
			r.Warnings = append(r.Warnings, WarnSyncMayHelp)
			return r
		}
	}
	switch {
	case fresh.Stale:
		r.Status, r.Reason = credential.Stale, fresh.Reason
		if fresh.Reason != trust.ClockBehind {
			r.Warnings = append(r.Warnings, WarnSyncMayHelp)
		}
	case fresh.Old:
		r.Warnings = append(r.Warnings, WarnTrustOld)
	}
	return r
}

func (e *Engine) trustInfo(st *trust.State, now time.Time) TrustInfo {
	if e.opts.Keys != nil {
		return TrustInfo{KeysOnly: true, JudgedAt: now}
	}
	t := TrustInfo{JudgedAt: now}
	if st.Keyset != nil {
		t.KeysetSeq, t.KeysetIssuedAt = st.Keyset.Seq, st.Keyset.IssuedAt
		t.KeysetAge = max(now.Sub(st.Keyset.IssuedAt), 0)
	}
	if st.List != nil {
		t.StatusSeq, t.StatusIssuedAt = st.List.Seq, st.List.IssuedAt
		t.Age = max(now.Sub(st.List.IssuedAt), 0)
	}
	return t
}

// verifyRecord judges a signed full record found without its QR code.
func (e *Engine) verifyRecord(doc []byte) (Result, *credential.Record) {
	st, now := e.state.Load(), e.opts.Now()
	rec, k, err := credential.OpenRecord(doc, e.lookup(st))
	var c *credential.Claims
	if rec != nil {
		c = &credential.Claims{Issuer: rec.Issuer, IssuedAt: rec.IssuedAt, Code: rec.Code, StatusIndex: rec.StatusIndex,
			Student: rec.Student, Years: rec.Summary(), RecordDigest: credential.RecordDigest(doc)}
	}
	r := e.judge(st, now, c, k, err)
	if rec != nil {
		r.Constancia.Record = recordOf(rec)
	}
	r.basis = &basis{st: st, record: doc}
	return r, rec
}

// Rejudge returns r judged again against the trust data held now, and
// whether that trust data differs from what r was judged with. A result
// on screen when a sync or an import lands is passed here, so that no
// verdict outlives the trust data it was judged with. Results with nothing
// to judge again (no code found; an online lookup) come back unchanged.
func (e *Engine) Rejudge(r Result) (Result, bool) {
	b := r.basis
	if b == nil || b.st == e.state.Load() {
		return r, false
	}
	var n Result
	if b.text != "" {
		var c *credential.Claims
		n, c = e.open(b.text)
		if b.several {
			n.Warnings = append(n.Warnings, WarnSeveralCodes)
		}
		it := item{n, c}
		e.attachRecord(&it, b.records)
		n = it.Result
		n.basis.several, n.basis.records = b.several, b.records
	} else {
		n, _ = e.verifyRecord(b.record)
		n.Warnings = append(n.Warnings, WarnRecordOnly)
	}
	n.Source, n.Page = r.Source, r.Page
	return n, true
}

// errNoCode is the Result of an input with no code in it.
func noCode(source, reason string, err error) Result {
	r := Result{Status: credential.Malformed, Reason: reason, Source: source}
	if err != nil && !errors.Is(err, errNone) {
		r.Detail = err.Error()
	}
	return r
}

var errNone = errors.New("none")

// attachRecord pairs a code with the attached record it vouches for (by
// digest), and warns when the PDF carries a record that is not its own.
func (e *Engine) attachRecord(it *item, records [][]byte) {
	if it.claims == nil || len(records) == 0 {
		return
	}
	it.basis.records = records
	for _, doc := range records {
		if it.claims.Matches(doc) != nil {
			continue
		}
		// Key problems are the QR code's result already (same key).
		rec, _, _ := credential.OpenRecord(doc, e.lookup(it.basis.st))
		switch {
		case rec == nil:
			it.Warnings = append(it.Warnings, WarnRecordNotSigned)
		case it.claims.Agrees(rec) != nil:
			// The same digest but another story: an issuer bug, never a
			// forgery (both are signed). Say so rather than pick one.
			it.Warnings = append(it.Warnings, WarnRecordMismatch)
		default:
			it.Constancia.Record = recordOf(rec)
		}
		return
	}
	it.Warnings = append(it.Warnings, WarnRecordMismatch)
}
