package qrfile

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minedu-cla/cla/internal/testpdf"
)

// bombBudget is the goal: four concurrent worst-case files raise
// the peak resident memory by at most 256 MB.
const bombBudget = 256 << 20

// bombReport is what the child process measured for one file.
type bombReport struct {
	PeakDelta int64    // peak RSS (VmHWM) over RSS before, bytes
	Allocated uint64   // bytes allocated (touched or not: a 400 MB make is RSS only once written)
	Elapsed   string   // wall time for the four
	Errors    []string // one a file
}

// TestHostileFilesMemory reads each hostile PDF four times at once in a
// child process (so its peak RSS is its own) and checks the rise of the
// peak against bombBudget, and that each read ends with an answer.
func TestHostileFilesMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 256 MiB Flate bombs; make test runs it")
	}
	if name := os.Getenv("CLA_BOMB_CHILD"); name != "" {
		bombChild(name)
		return
	}
	if raceEnabled {
		// The race detector's shadow memory would be measured too: run
		// this test again in a binary without it.
		out, err := exec.Command("go", "test", "-count=1", "-v", "-run", "^TestHostileFilesMemory$", ".").CombinedOutput()
		t.Logf("without -race:\n%s", out)
		if err != nil {
			t.Fatalf("without -race: %v", err)
		}
		return
	}
	names := make([]string, 0)
	for name := range testpdf.Bombs() {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestHostileFilesMemory$")
			cmd.Env = append(os.Environ(), "CLA_BOMB_CHILD="+name)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			var r bombReport
			line := out[bytes.LastIndex(out, []byte("BOMB "))+5:]
			if err := json.NewDecoder(bytes.NewReader(line)).Decode(&r); err != nil {
				t.Fatalf("child output: %v\n%s", err, out)
			}
			t.Logf("%s: peak RSS +%d MB, %d MB allocated, %s, %v", name, r.PeakDelta>>20, r.Allocated>>20, r.Elapsed, r.Errors)
			if r.PeakDelta > bombBudget {
				t.Errorf("peak RSS rose by %d MB, budget %d MB", r.PeakDelta>>20, bombBudget>>20)
			}
			// Allocated counts what the four reads asked for in all: a
			// decoder trusting a header asks for hundreds of MB at once.
			if r.Allocated > 4*bombBudget {
				t.Errorf("%d MB allocated for four reads", r.Allocated>>20)
			}
		})
	}
}

// bombChild reads the named bomb four times at once and prints a
// bombReport.
func bombChild(name string) {
	data := testpdf.Bombs()[name]
	debug.FreeOSMemory()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	before := procStatus("VmRSS")
	start := time.Now()
	errs := make([]string, 4)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			texts, err := Texts(context.Background(), data)
			errs[i] = fmt.Sprintf("%d texts, err %v", len(texts), err)
		})
	}
	wg.Wait()
	runtime.ReadMemStats(&m1)
	r := bombReport{PeakDelta: procStatus("VmHWM") - before, Allocated: m1.TotalAlloc - m0.TotalAlloc, Elapsed: time.Since(start).Round(time.Millisecond).String(), Errors: errs}
	b, _ := json.Marshal(r)
	fmt.Printf("BOMB %s\n", b)
}

// procStatus reads a field of /proc/self/status in bytes.
func procStatus(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
