package pdf

import (
	"fmt"
	"sync"
	"time"
)

// lima is Peru's time zone. Peru has kept UTC−5 without summer time since
// 1994, so the fixed zone is exact for every constancia when the system
// has no time zone database.
var lima = sync.OnceValue(func() *time.Location {
	if loc, err := time.LoadLocation("America/Lima"); err == nil {
		return loc
	}
	return time.FixedZone("UTC-5", -5*60*60)
})

var months = [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
	"agosto", "septiembre", "octubre", "noviembre", "diciembre"}

// limaTime writes t as Peruvians read it: "2 de marzo de 2026, 10:04:05
// (hora de Lima)".
func limaTime(t time.Time) string {
	t = t.In(lima())
	return fmt.Sprintf("%d de %s de %d, %02d:%02d:%02d (hora de Lima)",
		t.Day(), months[t.Month()-1], t.Year(), t.Hour(), t.Minute(), t.Second())
}
