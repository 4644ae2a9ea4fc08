package credential_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/minedu-cla/cla/crypto/base45"
	"github.com/minedu-cla/cla/crypto/cose"
	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/internal/sample"
	"github.com/skip2/go-qrcode"
)

var (
	signer = sample.Key("signing 2026")
	pub    = signer.Public().(ed25519.PublicKey)
	window = keyset.NewKey(pub, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC))
	keys   = keyset.List{window}
)

func TestSealOpen(t *testing.T) {
	t.Parallel()
	text, want, doc, err := sample.Sealed(signer, sample.Student(), 13)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text, credential.Prefix) {
		t.Fatalf("text %q", text)
	}
	got, k, err := credential.Open(text, keys)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k.ID, window.ID) || got.Student != want.Student || got.Code != want.Code ||
		!got.IssuedAt.Equal(want.IssuedAt) || len(got.Years) != 13 || got.Years[12] != want.Years[12] {
		t.Fatalf("Open = %+v, want %+v", got, want)
	}
	if err := got.Matches(doc); err != nil {
		t.Fatal(err)
	}
	rec, _, err := credential.OpenRecord(doc, keys)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Student != want.Student || len(rec.Years) != 13 || rec.Years[5].Areas[0] != sample.Record(sample.Student(), 13).Years[5].Areas[0] {
		t.Fatalf("OpenRecord = %+v", rec)
	}
	if err := got.Agrees(rec); err != nil {
		t.Fatal(err)
	}
	other, _, otherDoc, _ := sample.Sealed(signer, sample.ShortStudent(), 3)
	otherRec, _, _ := credential.OpenRecord(otherDoc, keys)
	if got.Agrees(otherRec) == nil {
		t.Fatal("a record of another student agrees")
	}
	if got.Matches(otherDoc) == nil || other == text {
		t.Fatal("a record matched another code's digest")
	}
}

// TestQRBudget: docs/DESIGN.md's budget, a student with 13 school years fits a
// QR code of version ≤ 15 at level Q in alphanumeric mode, with names of up
// to 73 bytes in all (version 15-Q holds 426 characters).
// longestNames: the longest names the QR budget allows with 13 years.
var longestNames = credential.Student{DocType: credential.DNI, DocNumber: "44556677",
	GivenNames: "MARÍA DE LOS ÁNGELES ROSARIO", FirstSurname: "DE LA PUENTE Y LAVALLE", SecondSurname: "HUAMANÑAHUI CCAHUANA"}

func TestQRBudget(t *testing.T) {
	t.Parallel()
	for _, st := range []credential.Student{longestNames, sample.Student(), sample.ShortStudent()} {
		text, _, _, err := sample.Sealed(signer, st, 13)
		if err != nil {
			t.Fatal(err)
		}
		q, err := qrcode.New(text, qrcode.High) // go-qrcode's High is level Q
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d characters, QR version %d-Q", st.GivenNames, len(text), q.VersionNumber)
		if q.VersionNumber > 15 {
			t.Errorf("%s: QR version %d-Q, budget is 15", st.GivenNames, q.VersionNumber)
		}
		for _, c := range text {
			if !strings.ContainsRune(base45.Alphabet, c) {
				t.Fatalf("character %q outside the QR alphanumeric set", c)
			}
		}
	}
}

func TestWhitespaceTolerated(t *testing.T) {
	t.Parallel()
	text, _, _, _ := sample.Sealed(signer, sample.ShortStudent(), 5)
	for _, v := range []string{" " + text, text + "\n", "\r\n\t" + text + "  \r\n"} {
		if _, _, err := credential.Open(v, keys); err != nil {
			t.Errorf("Open(%q…): %v", v[:8], err)
		}
	}
}

func TestOpenStatuses(t *testing.T) {
	t.Parallel()
	text, _, _, _ := sample.Sealed(signer, sample.ShortStudent(), 6)
	compromised := window
	compromised.Status = keyset.Compromised
	later := keyset.NewKey(pub, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC))
	forger := sample.Key("forger")
	forged, _, _, _ := sample.Sealed(forger, sample.ShortStudent(), 6)
	// Same kid as the real key, other signature: an impostor who forged
	// the kid header.
	impostor := keyset.List{{ID: cose.KeyID(forger.Public().(ed25519.PublicKey)), Public: pub,
		NotBefore: window.NotBefore, NotAfter: window.NotAfter, Status: keyset.Active}}
	tests := []struct {
		name string
		text string
		keys keyset.Lookup
		want credential.Status
	}{
		{"valid", text, keys, credential.Valid},
		{"unknown key", text, keyset.List{keyset.NewKey(forger.Public().(ed25519.PublicKey), window.NotBefore, window.NotAfter)}, credential.UnknownKey},
		{"compromised", text, keyset.List{compromised}, credential.KeyCompromised},
		{"outside window", text, keyset.List{later}, credential.KeyNotValid},
		{"forged under a known kid", forged, impostor, credential.InvalidSignature},
		{"no prefix", strings.TrimPrefix(text, credential.Prefix), keys, credential.Malformed},
		{"lowercase", strings.ToLower(text), keys, credential.Malformed},
		{"empty", "", keys, credential.Malformed},
		{"huge", credential.Prefix + strings.Repeat("0", 10000), keys, credential.Malformed},
		{"truncated", text[:len(text)-3], keys, credential.Malformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _, err := credential.Open(tt.text, tt.keys)
			if got := credential.StatusOf(err); got != tt.want {
				t.Fatalf("status %s (%v), want %s", got, err, tt.want)
			}
			keyErr := tt.want == credential.KeyCompromised || tt.want == credential.KeyNotValid
			if (c != nil) != (tt.want == credential.Valid || keyErr) {
				t.Fatalf("claims %v returned with status %s", c, tt.want)
			}
		})
	}
}

// TestEverySingleByteFlip: changing any bit of any byte of the signed
// message never yields valid.
func TestEverySingleByteFlip(t *testing.T) {
	t.Parallel()
	text, _, _, _ := sample.Sealed(signer, sample.Student(), 13)
	msg, err := credential.Decode(text)
	if err != nil {
		t.Fatal(err)
	}
	for i := range msg {
		for _, mask := range []byte{0x01, 0x80, 0xff} {
			b := bytes.Clone(msg)
			b[i] ^= mask
			flipped := credential.Prefix + base45.Encode(b)
			if _, _, err := credential.Open(flipped, keys); err == nil {
				t.Fatalf("byte %d ^ %#x still valid", i, mask)
			}
		}
	}
}

func TestZlib(t *testing.T) {
	t.Parallel()
	// Repetitive names compress: Seal picks zlib only then.
	st := credential.Student{DocType: credential.CE, DocNumber: "000123456",
		GivenNames: strings.Repeat("ANA MARÍA ", 8) + "ANA", FirstSurname: strings.Repeat("QUISPE ", 8) + "QUISPE",
		SecondSurname: strings.Repeat("MAMANI ", 8) + "MAMANI"}
	long, _, _, err := sample.Sealed(signer, st, 13)
	if err != nil {
		t.Fatal(err)
	}
	short, _, _, _ := sample.Sealed(signer, sample.ShortStudent(), 13)
	for _, tt := range []struct {
		text     string
		wantZlib bool
	}{{long, true}, {short, false}} {
		raw, _ := base45.Decode(strings.TrimPrefix(tt.text, credential.Prefix))
		if isZlib := raw[0] == 0x78; isZlib != tt.wantZlib {
			t.Errorf("zlib = %v, want %v (first byte %#x)", isZlib, tt.wantZlib, raw[0])
		}
		if _, _, err := credential.Open(tt.text, keys); err != nil {
			t.Error(err)
		}
	}
}

func TestSealRejectsInvalid(t *testing.T) {
	t.Parallel()
	_, c, _, _ := sample.Sealed(signer, sample.ShortStudent(), 3)
	breakers := map[string]func(c *credential.Claims){
		"short DNI":       func(c *credential.Claims) { c.Student.DocNumber = "1234567" },
		"empty name":      func(c *credential.Claims) { c.Student.GivenNames = "" },
		"control char":    func(c *credential.Claims) { c.Student.FirstSurname = "RUIZ\x00" },
		"bad code":        func(c *credential.Claims) { c.Code = "7K3M9QXT2HBNA" },
		"year 2012":       func(c *credential.Claims) { c.Years[0].Year = 2012 },
		"grade 7":         func(c *credential.Claims) { c.Years[2].Grade = 7 },
		"unsorted years":  func(c *credential.Claims) { c.Years[0], c.Years[1] = c.Years[1], c.Years[0] },
		"no years":        func(c *credential.Claims) { c.Years = nil },
		"short digest":    func(c *credential.Claims) { c.RecordDigest = c.RecordDigest[:16] },
		"unknown doctype": func(c *credential.Claims) { c.Student.DocType = 9 },
	}
	for name, brk := range breakers {
		cc := *c
		cc.Years = append([]credential.YearSummary{}, c.Years...)
		brk(&cc)
		if _, err := credential.Seal(signer, &cc); err == nil {
			t.Errorf("%s: sealed", name)
		}
	}
}

func TestRecordRejectsBadMarks(t *testing.T) {
	t.Parallel()
	for name, brk := range map[string]func(r *credential.Record){
		"AD in inicial":     func(r *credential.Record) { r.Years[0].Areas[0].Value = "AD" },
		"21 vigesimal":      func(r *credential.Record) { r.Years[8].Areas[0].Value = "21" },
		"1 digit vigesimal": func(r *credential.Record) { r.Years[8].Areas[0].Value = "9" },
		"bad codmod":        func(r *credential.Record) { r.Years[3].School.Code = "040369" },
		"no areas":          func(r *credential.Record) { r.Years[3].Areas = nil },
		"grade 7 primaria":  func(r *credential.Record) { r.Years[8].Grade, r.Years[8].Level = 7, credential.Primaria },
		"age 2 inicial":     func(r *credential.Record) { r.Years[0].Grade = 2 },
		"index 2^24":        func(r *credential.Record) { r.StatusIndex = 1 << 24 },
		"tab observation":   func(r *credential.Record) { r.Years[3].Observations = []string{"2016 -	RD"} },
		"spaced area":       func(r *credential.Record) { r.Years[3].Areas[0].Area += " " },
		"21 observations":   func(r *credential.Record) { r.Years[3].Observations = slices.Repeat([]string{"2016 - RD 1 - X"}, 21) },
		"41 areas":          func(r *credential.Record) { r.Years[3].Areas = slices.Repeat(r.Years[3].Areas[:1], 41) },
		"ubigeo 5 digits":   func(r *credential.Record) { r.Years[3].School.Ubigeo = "15010" },
	} {
		r := sample.Record(sample.Student(), 13)
		brk(r)
		if _, err := credential.SealRecord(signer, r); err == nil {
			t.Errorf("%s: sealed", name)
		}
	}
}

func TestZlibBomb(t *testing.T) {
	t.Parallel()
	bomb := credential.Prefix + base45.Encode(zlibOf(make([]byte, 1<<20)))
	_, _, err := credential.Open(bomb, keys)
	if !errors.Is(err, credential.ErrMalformed) || !strings.Contains(err.Error(), "inflates past") {
		t.Fatalf("bomb: %v", err)
	}
}

// TestRecordObservationLayout: "{year} - {resolution} - {reason}" is how
// the issuer writes observations, not a rule a reader checks.
func TestRecordObservationLayout(t *testing.T) {
	t.Parallel()
	r := sample.Record(sample.Student(), 13)
	r.Years[3].Observations = []string{"TRASLADO A OTRA INSTITUCIÓN EDUCATIVA"}
	if _, err := credential.SealRecord(signer, r); err != nil {
		t.Fatal(err)
	}
}
