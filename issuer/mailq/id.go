package mailq

import (
	"encoding/hex"
	"fmt"
	"io"
	"time"
)

// idTime is the time part of a message id: UTC to the nanosecond, so ids
// sort in enqueue order and read as dates in a directory listing.
const idTime = "20060102T150405.000000000Z"

// idRandLen random bytes follow the time: 48 bits keep two ids made in the
// same nanosecond apart, and make a Message-ID unguessable.
const idRandLen = 6

const idLen = len(idTime) + 1 + 2*idRandLen

// newID returns a message id such as 20260301T142233.123456789Z-3f9a0c1b2d4e.
// Ids name outbox files and form the Message-ID.
func newID(now time.Time, rand io.Reader) (string, error) {
	var r [idRandLen]byte
	if _, err := io.ReadFull(rand, r[:]); err != nil {
		return "", fmt.Errorf("mail: message id: %w", err)
	}
	return now.UTC().Format(idTime) + "-" + hex.EncodeToString(r[:]), nil
}

// validID reports whether s has the exact shape newID makes. It is the
// guard that keeps ids from naming a path outside the outbox folder.
func validID(s string) bool {
	if len(s) != idLen || s[len(idTime)] != '-' {
		return false
	}
	if _, err := time.Parse(idTime, s[:len(idTime)]); err != nil {
		return false
	}
	for i := len(idTime) + 1; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
