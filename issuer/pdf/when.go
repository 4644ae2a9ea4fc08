package pdf

import (
	"fmt"
	"time"

	"github.com/minedu-cla/cla/issuer/lima"
)

var months = [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
	"agosto", "septiembre", "octubre", "noviembre", "diciembre"}

// limaTime writes t as Peruvians read it: "2 de marzo de 2026, 10:04:05
// (hora de Lima)".
func limaTime(t time.Time) string {
	t = t.In(lima.Zone)
	return fmt.Sprintf("%d de %s de %d, %02d:%02d:%02d (hora de Lima)",
		t.Day(), months[t.Month()-1], t.Year(), t.Hour(), t.Minute(), t.Second())
}
