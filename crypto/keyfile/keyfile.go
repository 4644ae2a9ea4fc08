// Package keyfile stores Ed25519 private keys at rest, encrypted under a
// passphrase: argon2id (RFC 9106) derives a key that seals the 32-byte seed
// with XChaCha20-Poly1305. The file is JSON, so an operator can read which
// key it holds (role, kid, public key) without the passphrase.
package keyfile

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/minedu-cla/cla/crypto/cose"
	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// Format names this file format and version.
const Format = "cla-private-key/1"

// Roles of keys.
const (
	RoleRoot    = "root"
	RoleSigning = "signing"
)

var (
	// ErrPassphrase: the passphrase is wrong (or the file was altered).
	ErrPassphrase = errors.New("keyfile: wrong passphrase or altered key file")
	// ErrFormat: not a key file this package reads.
	ErrFormat = errors.New("keyfile: not a CLA private key file")
)

// Params are the argon2id costs.
type Params struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
}

// DefaultParams follow RFC 9106's second recommendation (64 MiB, 3 passes):
// ~0.2 s on a 2-core machine per unlock, which happens once at start-up.
var DefaultParams = Params{Time: 3, MemoryKiB: 64 << 10, Threads: 2}

// Caps on parameters read from a file: a hostile file must not make the
// reader allocate gigabytes or spin for minutes.
const (
	maxTime      = 16
	maxMemoryKiB = 1 << 20 // 1 GiB
	maxThreads   = 16
	maxFile      = 4096
)

// File is the JSON form.
type File struct {
	Format     string `json:"format"`
	Role       string `json:"role"`
	Kid        string `json:"kid"`
	Public     string `json:"public"`
	KDF        string `json:"kdf"`
	Params     Params `json:"kdf_params"`
	Salt       string `json:"salt"`
	AEAD       string `json:"aead"`
	Nonce      string `json:"nonce"`
	Ciphertext string `json:"ciphertext"`
}

var b64 = base64.RawURLEncoding

// Seal encrypts priv under passphrase and returns the file contents.
func Seal(priv ed25519.PrivateKey, role string, passphrase []byte, p Params, rand io.Reader) ([]byte, error) {
	if role != RoleRoot && role != RoleSigning {
		return nil, fmt.Errorf("keyfile: unknown role %q", role)
	}
	if len(passphrase) == 0 {
		return nil, errors.New("keyfile: empty passphrase")
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	salt := make([]byte, 16)
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	if _, err := io.ReadFull(rand, salt); err != nil {
		return nil, err
	}
	if _, err := io.ReadFull(rand, nonce); err != nil {
		return nil, err
	}
	pub := priv.Public().(ed25519.PublicKey)
	aead, _ := chacha20poly1305.NewX(p.derive(passphrase, salt))
	ct := aead.Seal(nil, nonce, priv.Seed(), ad(role, pub))
	f := File{Format: Format, Role: role, Kid: b64.EncodeToString(cose.KeyID(pub)), Public: b64.EncodeToString(pub),
		KDF: "argon2id", Params: p, Salt: b64.EncodeToString(salt), AEAD: "xchacha20poly1305",
		Nonce: b64.EncodeToString(nonce), Ciphertext: b64.EncodeToString(ct)}
	out, err := json.MarshalIndent(f, "", "  ")
	return append(out, '\n'), err
}

// ad binds the public parts to the ciphertext: changing the role or the
// public key in the file makes decryption fail.
func ad(role string, pub ed25519.PublicKey) []byte {
	return append([]byte(Format+"\x00"+role+"\x00"), pub...)
}

func (p Params) check() error {
	if p.Time < 1 || p.Time > maxTime || p.MemoryKiB < 8*uint32(max(p.Threads, 1)) || p.MemoryKiB > maxMemoryKiB ||
		p.Threads < 1 || p.Threads > maxThreads {
		return fmt.Errorf("keyfile: argon2id parameters %+v out of range", p)
	}
	return nil
}

func (p Params) derive(passphrase, salt []byte) []byte {
	return argon2.IDKey(passphrase, salt, p.Time, p.MemoryKiB, p.Threads, chacha20poly1305.KeySize)
}

// Parse reads the public parts of a key file, without the passphrase.
func Parse(data []byte) (*File, ed25519.PublicKey, error) {
	if len(data) > maxFile {
		return nil, nil, ErrFormat
	}
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if f.Format != Format || f.KDF != "argon2id" || f.AEAD != "xchacha20poly1305" ||
		(f.Role != RoleRoot && f.Role != RoleSigning) {
		return nil, nil, ErrFormat
	}
	pub, err := b64.DecodeString(f.Public)
	if err != nil || len(pub) != ed25519.PublicKeySize || f.Kid != b64.EncodeToString(cose.KeyID(pub)) {
		return nil, nil, fmt.Errorf("%w: bad public key or kid", ErrFormat)
	}
	if err := f.Params.check(); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	return &f, pub, nil
}

// Open decrypts a key file with passphrase.
func Open(data, passphrase []byte) (ed25519.PrivateKey, *File, error) {
	f, pub, err := Parse(data)
	if err != nil {
		return nil, nil, err
	}
	salt, err1 := b64.DecodeString(f.Salt)
	nonce, err2 := b64.DecodeString(f.Nonce)
	ct, err3 := b64.DecodeString(f.Ciphertext)
	if err := errors.Join(err1, err2, err3); err != nil || len(salt) < 16 || len(nonce) != chacha20poly1305.NonceSizeX {
		return nil, nil, fmt.Errorf("%w: bad salt, nonce or ciphertext", ErrFormat)
	}
	aead, _ := chacha20poly1305.NewX(f.Params.derive(passphrase, salt))
	seed, err := aead.Open(nil, nonce, ct, ad(f.Role, pub))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, nil, ErrPassphrase
	}
	priv := ed25519.NewKeyFromSeed(seed)
	if !priv.Public().(ed25519.PublicKey).Equal(pub) {
		return nil, nil, ErrPassphrase
	}
	return priv, f, nil
}

// Perm is the mode a key file is written with (issuer/keytool.WriteKey
// writes it atomically, never over an existing file).
const Perm = 0o600

// ReadFile opens the key file at path.
func ReadFile(path string, passphrase []byte) (ed25519.PrivateKey, *File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	return Open(data, passphrase)
}
