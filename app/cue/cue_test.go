package cue

import (
	"encoding/binary"
	"testing"
)

func TestWAV(t *testing.T) {
	for _, k := range []Kind{Good, Bad} {
		b := WAV(k)
		if string(b[:4]) != "RIFF" || string(b[8:16]) != "WAVEfmt " || string(b[36:40]) != "data" {
			t.Fatalf("%d: not a WAV header", k)
		}
		n := binary.LittleEndian.Uint32(b[40:44])
		if int(n) != len(b)-44 || binary.LittleEndian.Uint32(b[4:8]) != uint32(len(b)-8) {
			t.Errorf("%d: sizes in the header disagree with the file", k)
		}
		ms := float64(n/2) / rate * 1000
		if ms < 150 || ms > 500 {
			t.Errorf("%d: %.0f ms: a cue should be short but audible", k, ms)
		}
	}
}
