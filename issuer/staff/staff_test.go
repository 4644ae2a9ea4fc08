package staff

import (
	"context"
	"crypto/rand"
	"errors"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minedu-cla/cla/issuer/staff/totp"
	"github.com/minedu-cla/cla/issuer/store"
)

var cheap = Params{Time: 1, MemoryKiB: 64, Threads: 1}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func accounts(t *testing.T) (*Accounts, *clock) {
	t.Helper()
	st, err := store.OpenBolt(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &clock{t: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	return &Accounts{Store: st, Params: cheap, Now: c.now, Rand: rand.Reader}, c
}

func TestCreateAndLogin(t *testing.T) {
	a, _ := accounts(t)
	ctx := context.Background()
	for _, bad := range []struct{ name, role, pass string }{
		{"ab", "registrar", "long enough pass"},
		{"Ana Maria", "registrar", "long enough pass"},
		{"ana", "root", "long enough pass"},
		{"ana", "registrar", "short"},
	} {
		if _, err := a.Create(ctx, bad.name, Role(bad.role), bad.pass); err == nil {
			t.Errorf("Create(%q, %q, %q) accepted", bad.name, bad.role, bad.pass)
		}
	}
	uri, err := a.Create(ctx, "ana", Registrar, "correct horse battery")
	if err != nil || !strings.HasPrefix(uri, "otpauth://") {
		t.Fatalf("Create registrar: %q %v (every role gets a second factor)", uri, err)
	}
	if _, err := a.Create(ctx, "ana", Auditor, "another long password"); !errors.Is(err, ErrExists) {
		t.Fatalf("duplicate user: %v", err)
	}
	// A registrar sees personal data: the password alone is not enough.
	if _, err := a.Authenticate(ctx, "ana", "correct horse battery", ""); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("registrar without a code: %v", err)
	}
	u0, _ := url.Parse(uri)
	code, _ := totp.Code(u0.Query().Get("secret"), a.Now())
	u, err := a.Authenticate(ctx, "ana", "correct horse battery", code)
	if err != nil || u.Role != Registrar || u.Name != "ana" {
		t.Fatalf("login: %+v %v", u, err)
	}
	for _, tt := range []struct{ user, pass string }{{"ana", "wrong password!"}, {"nobody", "correct horse battery"}} {
		if _, err := a.Authenticate(ctx, tt.user, tt.pass, ""); !errors.Is(err, ErrBadLogin) {
			t.Errorf("login %s/%s: %v", tt.user, tt.pass, err)
		}
	}
	if n, _ := a.Count(ctx); n != 1 {
		t.Fatalf("Count = %d", n)
	}
}

// TestNoLockout: failures lock nothing here (the console limits them per
// account and address): after many wrong passwords the right one works,
// and an unknown user and a disabled one get the same error as a wrong
// password. An account made before every role had a second factor is
// told so once the password is right, and only then.
func TestNoLockout(t *testing.T) {
	a, c := accounts(t)
	ctx := context.Background()
	uri, _ := a.Create(ctx, "ana", Registrar, "correct horse battery")
	u0, _ := url.Parse(uri)
	secret := u0.Query().Get("secret")
	for range 20 {
		if _, err := a.Authenticate(ctx, "ana", "guess", ""); !errors.Is(err, ErrBadLogin) {
			t.Fatalf("wrong password: %v", err)
		}
	}
	code, _ := totp.Code(secret, c.now())
	if _, err := a.Authenticate(ctx, "ana", "correct horse battery", code); err != nil {
		t.Fatalf("the right password after 20 failures: %v", err)
	}
	if err := a.SetPassword(ctx, "ana", "a brand new password"); err != nil {
		t.Fatal(err)
	}
	c.add(time.Minute)
	code, _ = totp.Code(secret, c.now())
	if _, err := a.Authenticate(ctx, "ana", "a brand new password", code); err != nil {
		t.Fatalf("after reset: %v", err)
	}
	if err := a.SetDisabled(ctx, "ana", true); err != nil {
		t.Fatal(err)
	}
	c.add(time.Minute)
	code, _ = totp.Code(secret, c.now())
	for _, tt := range []struct{ user, pass string }{{"ana", "a brand new password"}, {"nobody", "a brand new password"}} {
		if _, err := a.Authenticate(ctx, tt.user, tt.pass, code); !errors.Is(err, ErrBadLogin) {
			t.Fatalf("%s: %v", tt.user, err)
		}
	}
	// An account kept by an earlier version: no second factor.
	a.Create(ctx, "old.auditor", Auditor, "correct horse battery")
	err := a.Store.Update(ctx, func(tx store.Tx) error {
		u, err := get(tx, "old.auditor")
		if err != nil {
			return err
		}
		u.TOTP = ""
		return put(tx, u)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Authenticate(ctx, "old.auditor", "wrong password!!", ""); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("no second factor, wrong password: %v", err)
	}
	if _, err := a.Authenticate(ctx, "old.auditor", "correct horse battery", ""); !errors.Is(err, ErrNoSecondFactor) {
		t.Fatalf("no second factor, right password: %v", err)
	}
}

func TestAdminTOTP(t *testing.T) {
	a, c := accounts(t)
	ctx := context.Background()
	uri, err := a.Create(ctx, "root.admin", Admin, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "otpauth" {
		t.Fatalf("enrolment URI %q: %v", uri, err)
	}
	secret := u.Query().Get("secret")
	if _, err := a.Authenticate(ctx, "root.admin", "correct horse battery", ""); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("admin without a code: %v", err)
	}
	code, _ := totp.Code(secret, c.now())
	if _, err := a.Authenticate(ctx, "root.admin", "correct horse battery", code); err != nil {
		t.Fatalf("admin with a code: %v", err)
	}
	// The same code again (replay) is refused.
	if _, err := a.Authenticate(ctx, "root.admin", "correct horse battery", code); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("replayed code: %v", err)
	}
	c.add(time.Minute)
	code, _ = totp.Code(secret, c.now())
	if _, err := a.Authenticate(ctx, "root.admin", "wrong password!!", code); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("right code, wrong password: %v", err)
	}
	list, err := a.List(ctx)
	if err != nil || len(list) != 1 || list[0].Hash != nil || list[0].TOTP != "" {
		t.Fatalf("List leaks secrets or misses users: %+v %v", list, err)
	}
}

func TestResetTOTP(t *testing.T) {
	a, c := accounts(t)
	ctx := context.Background()
	uri, _ := a.Create(ctx, "root.admin", Admin, "correct horse battery")
	a.Create(ctx, "rosa", Registrar, "correct horse battery")
	old, _ := url.Parse(uri)
	uri2, err := a.ResetTOTP(ctx, "root.admin")
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := url.Parse(uri2)
	code, _ := totp.Code(old.Query().Get("secret"), c.now())
	// About once in 330,000 runs the old secret's code is also one the new
	// secret accepts now (3 steps of 10^6 codes): move on to a step where
	// it is not, so that only the old secret is tried.
	for {
		if _, ok := totp.Verify(fresh.Query().Get("secret"), code, c.now(), 0); !ok {
			break
		}
		c.add(totp.Period * time.Second)
		code, _ = totp.Code(old.Query().Get("secret"), c.now())
	}
	if _, err := a.Authenticate(ctx, "root.admin", "correct horse battery", code); !errors.Is(err, ErrBadLogin) {
		t.Fatalf("the old secret still works: %v", err)
	}
	code, _ = totp.Code(fresh.Query().Get("secret"), c.now())
	if _, err := a.Authenticate(ctx, "root.admin", "correct horse battery", code); err != nil {
		t.Fatalf("the new secret: %v", err)
	}
	if uri, err := a.ResetTOTP(ctx, "rosa"); err != nil || !strings.HasPrefix(uri, "otpauth://") {
		t.Fatalf("a registrar's TOTP reset: %v", err)
	}
}
