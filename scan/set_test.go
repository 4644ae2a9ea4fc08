package scan

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/minedu-cla/cla/internal/degrade"
)

// The degraded set: setPerCategory cases of each of degrade.Categories
// (16 × 11 = 176 pictures), always the same for setSeed. Under the race
// detector, which slows this arithmetic 5–10× (~1.3 s a picture), only
// the first of each (16): the full set runs without -race.
const (
	setSeed        = 20261128
	setPerCategory = 11
)

func perCategory() int {
	if raceEnabled {
		return 1
	}
	return setPerCategory
}

// CLA_SCAN_SEED=N renders another set, to check that nothing was tuned to
// this one.
var degradedSet = sync.OnceValues(func() ([]degrade.Case, error) {
	seed := uint64(setSeed)
	if s := os.Getenv("CLA_SCAN_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return nil, err
		}
		seed = n
	}
	return degrade.RenderAll(degrade.Specs(seed, perCategory()), runtime.GOMAXPROCS(0))
})

func loadSet(t testing.TB) []degrade.Case {
	t.Helper()
	cases, err := degradedSet()
	if err != nil {
		t.Fatal(err)
	}
	return cases
}

// tally counts the cases a decoder read exactly, per category.
type tally struct{ ok, total map[string]int }

func newTally() *tally { return &tally{map[string]int{}, map[string]int{}} }

// add records whether got holds every expected text (and nothing else
// that is not one of them: a misread counts as a failure).
func (t *tally) add(c degrade.Case, got []string) bool {
	t.total[c.Category]++
	good := len(got) == len(c.Texts)
	for _, g := range got {
		good = good && contains(c.Texts, g)
	}
	if good {
		t.ok[c.Category]++
	}
	return good
}

func (t *tally) sum() (ok, total int) {
	for c := range t.total {
		ok, total = ok+t.ok[c], total+t.total[c]
	}
	return ok, total
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// table renders tallies side by side, one row a category, then overall.
func table(names []string, ts []*tally) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-12s", "category")
	for _, n := range names {
		fmt.Fprintf(&b, " %12s", n)
	}
	b.WriteString("\n")
	cats := append([]string(nil), degrade.Categories...)
	for _, c := range cats {
		fmt.Fprintf(&b, "%-12s", c)
		for _, t := range ts {
			fmt.Fprintf(&b, " %8d/%-3d", t.ok[c], t.total[c])
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%-12s", "overall")
	for _, t := range ts {
		ok, total := t.sum()
		fmt.Fprintf(&b, " %8d/%-3d", ok, total)
	}
	b.WriteString("\n")
	return b.String()
}

// decodeSet runs decode on every case on GOMAXPROCS goroutines.
func decodeSet(cases []degrade.Case, decode func(degrade.Case) []string) (*tally, []string) {
	got := make([][]string, len(cases))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				got[i] = decode(cases[i])
			}
		}()
	}
	for i := range cases {
		next <- i
	}
	close(next)
	wg.Wait()
	t := newTally()
	var failed []string
	for i, c := range cases {
		if !t.add(c, got[i]) {
			failed = append(failed, c.Name)
		}
	}
	sort.Strings(failed)
	return t, failed
}

// ours decodes a case with the pipeline as tuned.
func ours(tu tuning) func(degrade.Case) []string {
	return func(c degrade.Case) []string {
		img, err := decode(c.Data)
		if err != nil {
			return nil
		}
		found, _ := search(context.Background(), toPlane(img), tu)
		return inReadingOrder(found)
	}
}
