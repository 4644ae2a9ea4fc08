// Package synth generates a synthetic population, deterministic from a seed,
// and answers registry lookups about it: RENIEC and Migraciones for persons
// (IdentityRegistry), SIAGIE for students (RecordsRegistry).
//
// Families are drawn independently from (seed, family number): parents,
// sometimes a tutor (a grandparent, aunt, uncle or legal tutor registered in
// SIAGIE), and 1–5 children, each with a school history from 2013 to the
// year before Config.Today, with repeaters, recovery, transfers, gaps, EXO,
// actas under review, deaths, foreign families holding a CE, and children
// with no document. Document numbers are a keyed permutation of a person's
// slot (family × 8 + role), so a lookup by DNI, CE or código del estudiante
// inverts the permutation and regenerates that one family: O(1) time and no
// memory per person, for 100 or 10,000,000 students alike.
//
// The first families are a fixed showcase (Showcase) with one family per
// path the issuer must handle; docs/DEMO.md lists them.
//
// Export writes a population as a dataset file (package dataset) plus the
// ubigeo catalogue of the places it uses; the demo dataset embedded in
// assets/demo is Export(DefaultConfig()).
package synth
