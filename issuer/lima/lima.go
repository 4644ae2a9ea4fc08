// Package lima is Peru's time zone, in which the issuer counts ages and
// dates and shows times: America/Lima from the IANA database embedded in
// the binary (time/tzdata, ~450 KB), so no host can make it differ. Peru
// has kept UTC−5 without summer time since 1994; the database also knows
// the older rules, for dates of birth before that.
package lima

import (
	"time"
	_ "time/tzdata" // the zone database, whatever the host has
)

// Zone is America/Lima.
var Zone = load()

func load() *time.Location {
	l, err := time.LoadLocation("America/Lima")
	if err != nil {
		panic("lima: the embedded time zone database lacks America/Lima: " + err.Error())
	}
	return l
}
