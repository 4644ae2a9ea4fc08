package staff

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"testing"
	"time"

	"github.com/minedu-cla/cla/issuer/store"
)

// BenchmarkLogin is a whole sign-in at the production argon2id costs,
// against its baseline, the hash alone: the bookkeeping (read the user,
// count the outcome in a transaction) should be small beside the
// deliberate cost of the hash.
func BenchmarkLogin(b *testing.B) {
	st, err := store.OpenBolt(filepath.Join(b.TempDir(), "db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	a := &Accounts{Store: st, Params: DefaultParams, Now: time.Now, Rand: rand.Reader}
	if _, err := a.Create(context.Background(), "rosa", Registrar, "correct horse battery"); err != nil {
		b.Fatal(err)
	}
	salt := make([]byte, 16)
	b.Run("baseline=argon2id", func(b *testing.B) {
		for b.Loop() {
			DefaultParams.hash("correct horse battery", salt)
		}
	})
	b.Run("Authenticate", func(b *testing.B) {
		for b.Loop() {
			if _, err := a.Authenticate(context.Background(), "rosa", "correct horse battery", ""); err != nil {
				b.Fatal(err)
			}
		}
	})
}
