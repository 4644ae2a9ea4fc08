package verifier

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"

	"github.com/minedu-cla/cla/crypto/bundle"
	"github.com/minedu-cla/cla/crypto/status"
	"github.com/minedu-cla/cla/verifier/store"
	"github.com/minedu-cla/cla/verifier/trust"
)

// The issuer's trust endpoints (docs/API.md).
const (
	PathKeysets     = "/trust/keysets"      // ?after=N → bundle of newer keysets, 204 when none
	PathStatus      = "/trust/status"       // full status list (ETag)
	PathStatusDelta = "/trust/status/delta" // ?from=N → one delta to the newest list, 204 when current, 410 when N is unknown
	PathBundle      = "/trust/bundle"       // everything, for offline offices
)

// ErrOffline: the issuer could not be reached (no network, DNS, refused,
// timeout). The trust data held is unchanged.
var ErrOffline = errors.New("verifier: the issuer cannot be reached")

// SyncReport says what a sync changed.
type SyncReport struct {
	KeysetFrom, KeysetTo uint64
	StatusFrom, StatusTo uint64
	// FullList is set when the whole list was downloaded (no delta).
	FullList bool
	Bytes    int64
}

type response struct {
	code int
	body []byte
	etag string
}

// The HTTP statuses the trust endpoints answer, as numbers: package
// net/http is not linked into the WebAssembly build (client_js.go), where
// it would be a third of the download.
const (
	statusOK          = 200
	statusNoContent   = 204
	statusNotModified = 304
	statusNotFound    = 404
	statusGone        = 410
)

// Sync brings the trust data up to date from the issuer: newer keysets,
// then the status list by delta, or whole when there is no delta (first
// sync, a gap, a diverged copy). Everything is verified before anything is
// saved; trust.ErrUpToDate means nothing changed.
func (e *Engine) Sync(ctx context.Context, c *Client) (SyncReport, error) {
	var rep SyncReport
	err := e.update(ctx, c.Base, func(s *trust.State, info *store.SyncInfo) (*trust.State, error) {
		next, changed := s, false
		if s.Keyset != nil {
			rep.KeysetFrom = s.Keyset.Seq
		}
		if s.List != nil {
			rep.StatusFrom = s.List.Seq
		}
		ks, err := c.keysets(ctx, next, &rep)
		if err != nil {
			return nil, err
		}
		if ks != nil {
			next, changed = ks, true
		}
		st, etag, err := c.status(ctx, next, info.ETags[PathStatus], &rep)
		if err != nil {
			if changed {
				return next, fmt.Errorf("%w: %w", trust.ErrListRejected, err)
			}
			return nil, err
		}
		if etag != "" {
			info.ETags = map[string]string{PathStatus: etag}
		}
		if st != nil {
			next, changed = st, true
		}
		if next.Keyset != nil {
			rep.KeysetTo = next.Keyset.Seq
		}
		if next.List != nil {
			rep.StatusTo = next.List.Seq
		}
		if !changed {
			return nil, trust.ErrUpToDate
		}
		return next, nil
	})
	return rep, err
}

func (c *Client) keysets(ctx context.Context, s *trust.State, rep *SyncReport) (*trust.State, error) {
	var after uint64
	if s.Keyset != nil {
		after = s.Keyset.Seq
	}
	r, err := c.get(ctx, PathKeysets, url.Values{"after": {strconv.FormatUint(after, 10)}}, "", bundle.MaxSize)
	if err != nil {
		return nil, err
	}
	rep.Bytes += int64(len(r.body))
	switch r.code {
	case statusNoContent:
		return nil, nil
	case statusOK:
	default:
		return nil, fmt.Errorf("verifier: %s: HTTP %d", PathKeysets, r.code)
	}
	b, err := bundle.Parse(r.body)
	if err != nil {
		return nil, err
	}
	next, err := s.WithKeysets(b.Keysets)
	if errors.Is(err, trust.ErrUpToDate) {
		return nil, nil
	}
	return next, err
}

// status returns the state with a newer status list, or nil when the one
// held is current, and the ETag of a full list downloaded.
func (c *Client) status(ctx context.Context, s *trust.State, etag string, rep *SyncReport) (*trust.State, string, error) {
	next, current, err := c.statusDelta(ctx, s, rep)
	if next != nil || current || err != nil {
		return next, "", err
	}
	if s.List == nil {
		etag = "" // nothing held to be "not modified"
	}
	r, err := c.get(ctx, PathStatus, nil, etag, status.MaxDocument)
	if err != nil {
		return nil, "", err
	}
	rep.Bytes += int64(len(r.body))
	switch r.code {
	case statusNotModified:
		return nil, "", nil
	case statusOK:
	default:
		return nil, "", fmt.Errorf("verifier: %s: HTTP %d", PathStatus, r.code)
	}
	rep.FullList = true
	next, err = s.WithList(r.body)
	if errors.Is(err, trust.ErrUpToDate) {
		return nil, r.etag, nil
	}
	return next, r.etag, err
}

// statusDelta tries the delta from the list held: the next state, or
// current when the issuer has nothing newer, or neither when the whole
// list must be fetched (none held, the issuer has no delta from our seq,
// or our copy diverged).
func (c *Client) statusDelta(ctx context.Context, s *trust.State, rep *SyncReport) (next *trust.State, current bool, err error) {
	if s.Keyset == nil {
		return nil, false, errors.New("verifier: the issuer sent no keyset")
	}
	if s.List == nil || s.ListDoc == nil || len(s.DeltaDocs) >= trust.MaxHistory {
		return nil, false, nil // no list, no history to extend, or a long one: take the full list
	}
	r, err := c.get(ctx, PathStatusDelta, url.Values{"from": {strconv.FormatUint(s.List.Seq, 10)}}, "", status.MaxDocument)
	if err != nil {
		return nil, false, err
	}
	rep.Bytes += int64(len(r.body))
	switch r.code {
	case statusNoContent:
		return nil, true, nil
	case statusOK:
		next, err := s.WithDelta(r.body)
		if err == nil || (!errors.Is(err, status.ErrDiverged) && !errors.Is(err, status.ErrSeq)) {
			return next, false, err
		}
		return nil, false, nil
	case statusGone, statusNotFound:
		return nil, false, nil
	}
	return nil, false, fmt.Errorf("verifier: %s: HTTP %d", PathStatusDelta, r.code)
}
