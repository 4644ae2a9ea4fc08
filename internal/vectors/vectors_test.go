package vectors

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/crypto/status"
)

var root = filepath.Join("..", "..", Dir)

// TestNoDrift: the committed vectors are exactly what the generator makes
// (run `make vectors` after a deliberate format change).
func TestNoDrift(t *testing.T) {
	t.Parallel()
	set, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	files, err := set.Files()
	if err != nil {
		t.Fatal(err)
	}
	onDisk := map[string]bool{}
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			onDisk[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(root, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s drifted from the generator (run make vectors): %v", name, err)
		}
		delete(onDisk, name)
	}
	for name := range onDisk {
		t.Errorf("%s is not made by the generator", name)
	}
}

func load[T any](t *testing.T, kind string) map[string]T {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(root, kind, "*.json"))
	if len(paths) == 0 {
		t.Fatalf("no %s vectors", kind)
	}
	out := map[string]T{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var v T
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out[filepath.Base(p)] = v
	}
	return out
}

// TestCredentialVectors checks every QR vector from its file, as another
// implementation would.
func TestCredentialVectors(t *testing.T) {
	t.Parallel()
	for name, v := range load[Credential](t, "credential") {
		t.Run(name, func(t *testing.T) {
			keys, err := keyset.ParseJWKS(v.JWKS)
			if err != nil {
				t.Fatal(err)
			}
			c, _, err := credential.Open(v.QR, keys)
			if got := credential.StatusOf(err); string(got) != v.Expected {
				t.Fatalf("status %s (%v), want %s", got, err, v.Expected)
			}
			switch v.Expected {
			case "valid", "key_compromised", "key_not_valid":
				if v.Claims == nil {
					t.Fatal("no claims in a vector a verifier decodes")
				}
			default:
				if v.Claims != nil {
					t.Fatal("claims in a vector a verifier does not decode")
				}
			}
			if v.Claims != nil {
				if c == nil {
					t.Fatal("no claims")
				}
				got, _ := json.Marshal(claimsJSON(c))
				want, _ := json.Marshal(v.Claims)
				if !bytes.Equal(got, want) {
					t.Fatalf("claims\n got %s\nwant %s", got, want)
				}
			}
			if (v.Record == "") != (v.RecordExpected == "") || (v.Record == "") != (v.RecordMatches == nil) {
				t.Fatal("record, record_expected and record_matches come together")
			}
			if v.Record != "" {
				doc, _ := b64.DecodeString(v.Record)
				r, _, rerr := credential.OpenRecord(doc, keys)
				if got := credential.StatusOf(rerr); string(got) != v.RecordExpected {
					t.Fatalf("record: %s (%v), want %s", got, rerr, v.RecordExpected)
				}
				matches := rerr == nil && c != nil && c.Matches(doc) == nil && c.Agrees(r) == nil
				if matches != *v.RecordMatches {
					t.Fatalf("record matches: %v, want %v", matches, *v.RecordMatches)
				}
			}
		})
	}
}

func TestKeysetVectors(t *testing.T) {
	t.Parallel()
	for name, v := range load[Keyset](t, "keyset") {
		t.Run(name, func(t *testing.T) {
			var roots []ed25519.PublicKey
			for _, r := range v.Roots {
				b, _ := b64.DecodeString(r)
				roots = append(roots, b)
			}
			var held *keyset.Keyset
			var heldDoc []byte
			if v.Held != "" {
				heldDoc, _ = b64.DecodeString(v.Held)
				var err error
				if held, err = keyset.Open(heldDoc, roots); err != nil {
					t.Fatal(err)
				}
			}
			var docs [][]byte
			for _, d := range v.Keysets {
				b, _ := b64.DecodeString(d)
				docs = append(docs, b)
			}
			last, _, err := keyset.FollowsChain(held, heldDoc, docs, roots)
			got := "accept"
			switch {
			case errors.Is(err, keyset.ErrRollback):
				got = "rollback"
			case errors.Is(err, keyset.ErrBrokenChain):
				got = "broken_chain"
			case errors.Is(err, keyset.ErrUntrustedRoot):
				got = "untrusted_root"
			case errors.Is(err, keyset.ErrMalformed):
				got = "malformed"
			case err != nil:
				got = err.Error()
			}
			if got != v.Expected {
				t.Fatalf("got %s (%v), want %s", got, err, v.Expected)
			}
			if err == nil && last.Seq != v.Seq {
				t.Fatalf("seq %d, want %d", last.Seq, v.Seq)
			}
		})
	}
}

func TestStatusVectors(t *testing.T) {
	t.Parallel()
	for name, v := range load[Status](t, "status") {
		t.Run(name, func(t *testing.T) {
			keys, err := keyset.ParseJWKS(v.JWKS)
			if err != nil {
				t.Fatal(err)
			}
			doc, _ := b64.DecodeString(v.List)
			l, err := status.Open(doc, keys)
			if err == nil && v.Delta != "" {
				dd, _ := b64.DecodeString(v.Delta)
				var d *status.Delta
				if d, err = status.OpenDelta(dd, keys); err == nil {
					l, err = l.Apply(d)
				}
			}
			got := "accept"
			switch {
			case errors.Is(err, status.ErrSeq):
				got = "seq_mismatch"
			case errors.Is(err, status.ErrDiverged):
				got = "diverged"
			case errors.Is(err, status.ErrSignature):
				got = "invalid_signature"
			case err != nil:
				got = string(credential.StatusOf(err))
			}
			if got != v.Expected {
				t.Fatalf("got %s (%v), want %s", got, err, v.Expected)
			}
			if err != nil {
				return
			}
			if l.Seq != v.Seq || l.Count() != v.Count {
				t.Fatalf("seq %d count %d, want %d %d", l.Seq, l.Count(), v.Seq, v.Count)
			}
			for idx, want := range v.Samples {
				var i uint64
				fmt.Sscan(idx, &i)
				if r, _ := l.Revoked(i); r != want {
					t.Errorf("index %s revoked = %v, want %v", idx, r, want)
				}
			}
		})
	}
}

func TestJWKSVectors(t *testing.T) {
	t.Parallel()
	for name, v := range load[JWKS](t, "jwks") {
		t.Run(name, func(t *testing.T) {
			keys, err := keyset.ParseJWKS(v.JWKS)
			got := "accept"
			if err != nil {
				got = "reject"
			}
			if got != v.Expected {
				t.Fatalf("got %s (%v), want %s", got, err, v.Expected)
			}
			if err == nil && len(keys) != v.Keys {
				t.Fatalf("%d keys, want %d", len(keys), v.Keys)
			}
		})
	}
}

func TestFingerprintVectors(t *testing.T) {
	t.Parallel()
	for name, v := range load[Fingerprint](t, "fingerprint") {
		t.Run(name, func(t *testing.T) {
			key, err := b64.DecodeString(v.Key)
			if err != nil {
				t.Fatal(err)
			}
			got := keyset.Fingerprint(key)
			if (got != "") != (v.Expected == "accept") || got != v.Fingerprint {
				t.Fatalf("fingerprint %q, want %s %q", got, v.Expected, v.Fingerprint)
			}
		})
	}
}

// TestVectorsCoverEveryStatus: the credential vectors exercise every
// status Open can produce.
func TestVectorsCoverEveryStatus(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, v := range load[Credential](t, "credential") {
		seen[v.Expected] = true
	}
	for _, s := range []credential.Status{credential.Valid, credential.InvalidSignature, credential.UnknownKey,
		credential.KeyCompromised, credential.KeyNotValid, credential.Malformed} {
		if !seen[string(s)] {
			t.Errorf("no vector expects %s", s)
		}
	}
}
