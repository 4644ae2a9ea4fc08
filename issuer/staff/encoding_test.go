package staff

import (
	"reflect"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/minedu-cla/cla/issuer/store"
)

// TestOlderRecordsRead: accounts were written with the CBOR library's
// default encoder before they shared the store's encoding; those records
// still read the same.
func TestOlderRecordsRead(t *testing.T) {
	u := User{Name: "ana", Role: Admin, Salt: []byte{1, 2}, Hash: []byte{3}, Params: Params{Time: 1, MemoryKiB: 64, Threads: 1},
		TOTP: "JBSWY3DPEHPK3PXP", TOTPStep: 7, Failures: 2, LockedUntil: time.Unix(1_780_000_000, 0).UTC(),
		Created: time.Unix(1_770_000_000, 0).UTC()}
	old, err := cbor.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	var got User
	if err := store.Unmarshal(old, &got); err != nil {
		t.Fatal(err)
	}
	got.LockedUntil, got.Created = got.LockedUntil.UTC(), got.Created.UTC()
	if !reflect.DeepEqual(got, u) {
		t.Fatalf("read %+v\nwant %+v", got, u)
	}
}
