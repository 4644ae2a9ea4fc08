//go:build !race

package qrfile

const raceEnabled = false
