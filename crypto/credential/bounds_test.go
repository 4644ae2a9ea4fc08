package credential_test

import (
	"testing"
	"time"

	"github.com/minedu-cla/cla/internal/sample"
)

// TestHeaderBounds: iat from 1 to 9999-12-31T23:59:59Z, iss under the
// text rule, the code in its canonical form; for the QR code and the
// record alike.
func TestHeaderBounds(t *testing.T) {
	t.Parallel()
	for name, tt := range map[string]struct {
		iat  int64
		iss  string
		code string
		ok   bool
	}{
		"iat 1":         {1, "MINEDU", "7K3M9QXT2HBNM", true},
		"iat max":       {253402300799, "MINEDU", "7K3M9QXT2HBNM", true},
		"iat 0":         {0, "MINEDU", "7K3M9QXT2HBNM", false},
		"iat max+1":     {253402300800, "MINEDU", "7K3M9QXT2HBNM", false},
		"iss bell":      {1, "MINEDU\a", "7K3M9QXT2HBNM", false},
		"iss space":     {1, " MINEDU", "7K3M9QXT2HBNM", false},
		"iss 64 bytes":  {1, "ÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑ", "7K3M9QXT2HBNM", true},
		"iss 65 bytes":  {1, "AÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑÑ", "7K3M9QXT2HBNM", false},
		"code lower":    {1, "MINEDU", "7k3m9qxt2hbnm", false},
		"code dashes":   {1, "MINEDU", "7K3M-9QXT-2HBN-M", false},
		"code no check": {1, "MINEDU", "7K3M9QXT2HBN", false},
	} {
		r := sample.Record(sample.ShortStudent(), 3)
		r.IssuedAt, r.Issuer, r.Code = time.Unix(tt.iat, 0).UTC(), tt.iss, tt.code
		if err := r.Validate(); (err == nil) != tt.ok {
			t.Errorf("%s: record %v, want ok %v", name, err, tt.ok)
		}
		c := sample.Claims(r, []byte("record"))
		if err := c.Validate(); (err == nil) != tt.ok {
			t.Errorf("%s: claims %v, want ok %v", name, err, tt.ok)
		}
	}
}
