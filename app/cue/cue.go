// Package cue plays the short sounds that tell a person, without looking,
// that the camera read a code: a rising two-note chime for a good code, a
// low double buzz for anything else. Fyne has no audio API, so the sound
// is a WAV made here and handed to the system's player; with no player,
// there is no sound and the visual cue stands alone.
package cue

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
)

// Kind is which sound to play.
type Kind int

// Sounds.
const (
	Good Kind = iota // the code verified: accept
	Bad              // anything else: look at the screen
)

const rate = 22050 // Hz: plenty for two tones, half the bytes of 44.1 kHz

// note is one tone: frequency in Hz, length in ms.
type note struct{ hz, ms float64 }

var sounds = map[Kind][]note{
	Good: {{880, 90}, {1320, 140}},          // A5 then E6: "ding-ding", rising
	Bad:  {{220, 160}, {0, 60}, {220, 160}}, // A3 twice: a low "buzz buzz"
}

// WAV returns the sound as a 16-bit mono WAV file.
func WAV(k Kind) []byte {
	var pcm []int16
	for _, n := range sounds[k] {
		count := int(n.ms * rate / 1000)
		for i := range count {
			env := math.Min(1, math.Min(float64(i), float64(count-i))/(rate*0.008)) // 8 ms ramps: no clicks
			pcm = append(pcm, int16(0.5*32767*env*math.Sin(2*math.Pi*n.hz*float64(i)/rate)))
		}
	}
	var b bytes.Buffer
	w := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	w(uint32(36 + 2*len(pcm)))
	b.WriteString("WAVEfmt ")
	w(uint32(16))
	w(uint16(1)) // PCM
	w(uint16(1)) // mono
	w(uint32(rate))
	w(uint32(rate * 2))
	w(uint16(2))
	w(uint16(16))
	b.WriteString("data")
	w(uint32(2 * len(pcm)))
	w(pcm)
	return b.Bytes()
}

// Player plays cues.
type Player interface{ Play(Kind) }

// System plays through the first player found: paplay, pw-play or aplay
// on Linux, afplay on macOS, PowerShell's SoundPlayer on Windows. Play
// returns at once; a failure is silent (the screen says it all anyway).
type System struct {
	once  sync.Once
	dir   string
	argv  []string
	muted bool
}

// Play implements Player.
func (s *System) Play(k Kind) {
	s.once.Do(s.setup)
	if s.muted {
		return
	}
	path := filepath.Join(s.dir, map[Kind]string{Good: "good.wav", Bad: "bad.wav"}[k])
	args := append(append([]string(nil), s.argv[1:]...), path)
	if runtime.GOOS == "windows" {
		args = []string{"-NoProfile", "-Command", "(New-Object Media.SoundPlayer '" + path + "').PlaySync()"}
	}
	cmd := exec.Command(s.argv[0], args...)
	if cmd.Start() == nil {
		go func() { _ = cmd.Wait() }()
	}
}

func (s *System) setup() {
	s.muted = true
	var candidates [][]string
	switch runtime.GOOS {
	case "darwin":
		candidates = [][]string{{"afplay"}}
	case "windows":
		candidates = [][]string{{"powershell"}}
	default:
		candidates = [][]string{{"paplay"}, {"pw-play"}, {"aplay", "-q"}}
	}
	for _, c := range candidates {
		if p, err := exec.LookPath(c[0]); err == nil {
			s.argv = append([]string{p}, c[1:]...)
			break
		}
	}
	if s.argv == nil {
		return
	}
	dir, err := os.MkdirTemp("", "cla-cue")
	if err != nil {
		return
	}
	for k, name := range map[Kind]string{Good: "good.wav", Bad: "bad.wav"} {
		if os.WriteFile(filepath.Join(dir, name), WAV(k), 0o600) != nil {
			return
		}
	}
	s.dir, s.muted = dir, false
}
