// Package staff keeps the issuer's staff accounts: who may use the admin
// console, with which role, a password hashed with argon2id and, for
// admins, a TOTP second factor. It throttles guessing: every failure is
// counted, and five in a row lock the account for fifteen minutes.
package staff

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/minedu-cla/cla/issuer/staff/totp"
	"github.com/minedu-cla/cla/issuer/store"
	"golang.org/x/crypto/argon2"
)

// Role is what a staff member may do.
type Role string

// Roles (issue 7).
const (
	// Admin manages keys and users, and may undo a revocation.
	Admin Role = "admin"
	// Registrar revokes, reissues and answers data-subject requests.
	Registrar Role = "registrar"
	// Auditor reads the audit trail and the statistics, nothing else.
	Auditor Role = "auditor"
)

// Valid reports whether r is a role.
func (r Role) Valid() bool { return r == Admin || r == Registrar || r == Auditor }

// Errors.
var (
	// ErrBadLogin: a wrong user, password or code — one error for all, so
	// a login form reveals nothing about which was wrong.
	ErrBadLogin = errors.New("staff: wrong user, password or code")
	// ErrNoSecondFactor: the password is right but the account has no
	// second factor yet (made before every role needed one): an admin
	// gives it one (ResetTOTP).
	ErrNoSecondFactor = errors.New("staff: the account has no second factor yet")
	// ErrExists: a user with that name exists.
	ErrExists = errors.New("staff: the user exists")
	// ErrWeakPassword: shorter than MinPassword.
	ErrWeakPassword = errors.New("staff: password too short")
)

// MinPassword is the shortest password accepted. Failed sign-ins are
// limited by the console per account and address (an account is never
// locked for everyone: anyone could lock any admin out).
const MinPassword = 12

// Params are the argon2id costs (RFC 9106's second recommendation by
// default: 64 MiB, 3 passes: ~0.2 s a login on two cores).
type Params struct {
	Time, MemoryKiB uint32
	Threads         uint8
}

// DefaultParams are the production costs.
var DefaultParams = Params{Time: 3, MemoryKiB: 64 << 10, Threads: 2}

// User is one staff account.
type User struct {
	Name     string `cbor:"name"`
	Role     Role   `cbor:"role"`
	Salt     []byte `cbor:"salt"`
	Hash     []byte `cbor:"hash"`
	Params   Params `cbor:"params"`
	TOTP     string `cbor:"totp,omitempty"` // base32 secret; every role needs one
	TOTPStep int64  `cbor:"totp_step,omitempty"`
	// Failures and LockedUntil are read from accounts kept by earlier
	// versions, and ignored.
	Failures    int       `cbor:"failures,omitempty"`
	LockedUntil time.Time `cbor:"locked_until,omitzero"`
	Created     time.Time `cbor:"created"`
	Disabled    bool      `cbor:"disabled,omitempty"`
}

// Accounts manages users in the issuer's store.
type Accounts struct {
	Store  store.Store
	Params Params
	Now    func() time.Time
	Rand   io.Reader
}

const prefix = "staff/"

func key(name string) string { return prefix + strings.ToLower(name) }

func get(tx store.Tx, name string) (*User, error) {
	b, err := tx.Meta(key(name))
	if err != nil {
		return nil, err
	}
	u := &User{}
	return u, store.Unmarshal(b, u)
}

func put(tx store.Tx, u *User) error {
	b, err := store.Marshal(u)
	if err != nil {
		return err
	}
	return tx.PutMeta(key(u.Name), b)
}

// validName accepts 3–32 of a–z, 0–9, '.', '-', '_'.
func validName(n string) bool {
	if len(n) < 3 || len(n) > 32 {
		return false
	}
	for _, c := range n {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Create adds a user with a TOTP secret, returned as an otpauth:// URI to
// enrol an authenticator app; it is shown once. Every role has a second
// factor: each sees or changes personal data, or the trail of who did.
func (a *Accounts) Create(ctx context.Context, name string, role Role, password string) (otpURI string, err error) {
	if !validName(name) || !role.Valid() {
		return "", fmt.Errorf("staff: user name (3–32 of a-z 0-9 . - _) or role %q", role)
	}
	if utf8.RuneCountInString(password) < MinPassword {
		return "", ErrWeakPassword
	}
	u := &User{Name: name, Role: role, Params: a.Params, Created: a.Now().UTC(), Salt: make([]byte, 16)}
	if _, err := io.ReadFull(a.Rand, u.Salt); err != nil {
		return "", err
	}
	if u.Hash, err = u.Params.hashBounded(ctx, password, u.Salt); err != nil {
		return "", err
	}
	if u.TOTP, err = totp.NewSecret(a.Rand); err != nil {
		return "", err
	}
	otpURI = totp.URI(u.TOTP, "CLA MINEDU", name)
	err = a.Store.Update(ctx, func(tx store.Tx) error {
		if _, err := get(tx, name); err == nil {
			return ErrExists
		}
		return put(tx, u)
	})
	return otpURI, err
}

func (p Params) hash(password string, salt []byte) []byte {
	return argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, 32)
}

// hashing bounds concurrent argon2id runs: each takes Params.MemoryKiB,
// so a burst of logins cannot exhaust the machine's memory.
var hashing = make(chan struct{}, 2)

func (p Params) hashBounded(ctx context.Context, password string, salt []byte) ([]byte, error) {
	select {
	case hashing <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-hashing }()
	return p.hash(password, salt), nil
}

// Authenticate checks a sign-in: the password, then a current TOTP code
// (every role). It answers ErrBadLogin for every failure, whether the user
// exists or not, and locks nothing: the console limits failures per
// account and address. A code is accepted once. The slow hash runs outside
// any write transaction (it would stall issuance).
func (a *Accounts) Authenticate(ctx context.Context, name, password, code string) (*User, error) {
	now := a.Now().UTC()
	var u *User
	err := a.Store.View(ctx, func(tx store.Tx) (err error) {
		u, err = get(tx, name)
		return err
	})
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.Disabled) {
		// Spend the same time as a real check: no user enumeration by
		// timing.
		if _, err := a.Params.hashBounded(ctx, password, make([]byte, 16)); err != nil {
			return nil, err
		}
		return nil, ErrBadLogin
	}
	if err != nil {
		return nil, err
	}
	h, err := u.Params.hashBounded(ctx, password, u.Salt)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare(h, u.Hash) != 1 {
		return nil, ErrBadLogin
	}
	if u.TOTP == "" {
		return nil, ErrNoSecondFactor
	}
	var result error
	err = a.Store.Update(ctx, func(tx store.Tx) error {
		result = ErrBadLogin
		cur, err := get(tx, name)
		if err != nil || cur.Disabled || subtle.ConstantTimeCompare(cur.Hash, u.Hash) != 1 {
			return nil // changed meanwhile
		}
		// Inside the transaction: a code is accepted once.
		step, ok := totp.Verify(cur.TOTP, code, now, cur.TOTPStep)
		if !ok {
			return nil
		}
		cur.TOTPStep, cur.Failures, cur.LockedUntil = step, 0, time.Time{}
		result, u = nil, cur
		return put(tx, cur)
	})
	if err != nil {
		return nil, err
	}
	if result != nil {
		return nil, result
	}
	return u, nil
}

// SetPassword replaces a user's password (an admin resetting it, or the
// user changing their own) and lifts a lock.
func (a *Accounts) SetPassword(ctx context.Context, name, password string) error {
	if utf8.RuneCountInString(password) < MinPassword {
		return ErrWeakPassword
	}
	salt := make([]byte, 16)
	if _, err := io.ReadFull(a.Rand, salt); err != nil {
		return err
	}
	h, err := a.Params.hashBounded(ctx, password, salt)
	if err != nil {
		return err
	}
	return a.Store.Update(ctx, func(tx store.Tx) error {
		u, err := get(tx, name)
		if err != nil {
			return err
		}
		u.Salt, u.Hash, u.Params, u.Failures, u.LockedUntil = salt, h, a.Params, 0, time.Time{}
		return put(tx, u)
	})
}

// Get returns a user without secrets.
func (a *Accounts) Get(ctx context.Context, name string) (*User, error) {
	var u *User
	err := a.Store.View(ctx, func(tx store.Tx) (err error) {
		u, err = get(tx, name)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &User{Name: u.Name, Role: u.Role, Created: u.Created, Disabled: u.Disabled, LockedUntil: u.LockedUntil}, nil
}

// Count returns how many users exist (the console asks for the first
// admin to be made by the CLI when there are none).
func (a *Accounts) Count(ctx context.Context) (int, error) {
	n := 0
	err := a.Store.View(ctx, func(tx store.Tx) error {
		return tx.ForEachMeta(prefix, func(string, []byte) error { n++; return nil })
	})
	return n, err
}

// List returns every user (no secrets).
func (a *Accounts) List(ctx context.Context) ([]User, error) {
	var out []User
	err := a.Store.View(ctx, func(tx store.Tx) error {
		return tx.ForEachMeta(prefix, func(_ string, v []byte) error {
			var u User
			if err := store.Unmarshal(v, &u); err != nil {
				return err
			}
			out = append(out, User{Name: u.Name, Role: u.Role, Created: u.Created, Disabled: u.Disabled,
				LockedUntil: u.LockedUntil})
			return nil
		})
	})
	return out, err
}

// SetDisabled disables or re-enables a user.
func (a *Accounts) SetDisabled(ctx context.Context, name string, disabled bool) error {
	return a.Store.Update(ctx, func(tx store.Tx) error {
		u, err := get(tx, name)
		if err != nil {
			return err
		}
		u.Disabled = disabled
		return put(tx, u)
	})
}

// ResetTOTP gives a user a new second-factor secret (a lost phone, or an
// account made before every role had one) and returns its otpauth:// URI,
// to show once; the old codes stop working.
func (a *Accounts) ResetTOTP(ctx context.Context, name string) (string, error) {
	secret, err := totp.NewSecret(a.Rand)
	if err != nil {
		return "", err
	}
	var uri string
	err = a.Store.Update(ctx, func(tx store.Tx) error {
		u, err := get(tx, name)
		if err != nil {
			return err
		}
		u.TOTP, u.TOTPStep = secret, 0
		uri = totp.URI(secret, "CLA MINEDU", u.Name)
		return put(tx, u)
	})
	return uri, err
}
