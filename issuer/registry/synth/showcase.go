package synth

import (
	"github.com/minedu-cla/cla/issuer/idnum"
	"github.com/minedu-cla/cla/issuer/registry"
)

// showcase fixes the plans of the first families, one per path the issuer
// must handle, given the last closed school year ly. Names, dates within a
// year and grades are still drawn from the seed. Birth years keep minors
// minors, and adults adults, for at least five years after DefaultToday.
var showcase = []func(ly int) plan{
	// 0: adult student with DNI; minor brother (parent guardians).
	func(ly int) plan { return plan{children: []childPlan{kid(ly-21, 0), kid(ly-12, 1)}} },
	// 1: father not recorded, mother deceased, grandmother is the SIAGIE tutor.
	func(ly int) plan {
		return plan{noFather: true, motherDied: ly - 3, tutor: registry.RelGrandmother, children: []childPlan{kid(ly-11, 0)}}
	},
	// 2: foreign family: a child with CE born abroad, a child with DNI born here.
	func(ly int) plan {
		c := kid(ly-15, 2)
		c.doc = idnum.KindCE
		return plan{foreign: true, arrival: ly - 7, children: []childPlan{c, kid(ly-6, 0)}}
	},
	// 3: adult student with CE.
	func(ly int) plan {
		c := kid(ly-22, 2)
		c.doc = idnum.KindCE
		return plan{foreign: true, arrival: ly - 9, children: []childPlan{c}}
	},
	// 4: a child with no document: SIAGIE knows them by código only.
	func(ly int) plan {
		c := kid(ly-9, 0)
		c.doc = idnum.KindNone
		return plan{children: []childPlan{c}}
	},
	// 5: an adult student who has died.
	func(ly int) plan {
		c := kid(ly-23, 2)
		c.died = ly - 1
		return plan{children: []childPlan{c}}
	},
	// 6: a minor whose last year's acta is under review.
	func(ly int) plan {
		c := kid(ly-14, 0)
		c.review = true
		return plan{children: []childPlan{c}}
	},
	// 7: an adult who repeated a grade and needed recovery.
	func(ly int) plan {
		c := kid(ly-20, 1)
		c.repeat, c.recovery = true, true
		return plan{children: []childPlan{c}}
	},
	// 8: an adult who changed school three times.
	func(ly int) plan {
		c := kid(ly-19, 0)
		c.transfers = 3
		return plan{children: []childPlan{c}}
	},
	// 9: a minor with a year missing.
	func(ly int) plan {
		c := kid(ly-10, 0)
		c.gap = true
		return plan{children: []childPlan{c}}
	},
	// 10: an adult exonerated from Educación Religiosa.
	func(ly int) plan { return plan{exo: true, children: []childPlan{kid(ly-18, 1)}} },
	// 11: names with Ñ and accents; an uncle registered as tutor.
	func(ly int) plan {
		return plan{accents: true, tutor: registry.RelUncle, children: []childPlan{kid(ly-8, 0)}}
	},
	// 12: a child with Inicial only.
	func(ly int) plan { return plan{children: []childPlan{kid(ly-4, 0)}} },
	// 13: two minors: the elder is not a valid guardian of the younger.
	func(ly int) plan { return plan{children: []childPlan{kid(ly-15, 0), kid(ly-9, 1)}} },
}

func kid(born, entry int) childPlan { return childPlan{born: born, doc: idnum.KindDNI, entry: entry} }
