package vectors

import (
	"bytes"
	"testing"

	"github.com/minedu-cla/cla/crypto/credential"
	"github.com/minedu-cla/cla/crypto/keyset"
	"github.com/minedu-cla/cla/internal/sample"
)

// TestRecordVariantUnchanged: re-encoding the record untouched gives the
// same signed record, so each record vector fails for its own change only.
func TestRecordVariantUnchanged(t *testing.T) {
	t.Parallel()
	short, err := seal(signKey, sample.ShortStudent(), 3, sample.IssuedAt)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := recordVariant(short, func(map[any]any) {})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(doc, short.record) {
		t.Fatal("the untouched variant differs from the record")
	}
	if _, _, err := credential.OpenRecord(doc, keyset.List{signingWindow()}); err != nil {
		t.Fatal(err)
	}
}
