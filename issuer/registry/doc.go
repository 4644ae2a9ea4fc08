// Package registry defines how the issuer asks the state's registries about
// people and school records, and the domain types they answer with.
//
//   - IdentityRegistry answers who a person is: RENIEC for a DNI, Migraciones
//     for a carné de extranjería (Identities routes by document kind).
//   - RecordsRegistry answers what SIAGIE holds about a student: the school
//     years and grades from 2013 on, the tutors (apoderados) registered for
//     the student, and the state of each year's acta.
//
// Implementations: synth (a seeded synthetic population, any size), dataset
// (an in-memory registry loaded from a JSON file; the embedded demo default)
// and httpreg (HTTP JSON clients for registry services, and the handlers the
// simulator serves them with).
//
// Errors are documented sentinels the issuer maps to messages: ErrNotFound,
// ErrUnsupported, ErrUnavailable and ErrTimeout (which is also
// ErrUnavailable: for the requester both mean "try later"). They never carry
// personal data, and neither do the messages of any error in these packages.
//
// Matching a requester's statements against a registry answer is done by
// Person.Matches and GuardianOf, which answer yes or no and never which field
// differed.
package registry
