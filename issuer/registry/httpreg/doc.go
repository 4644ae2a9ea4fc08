// Package httpreg speaks the registries' HTTP JSON APIs (docs/REGISTRIES.md):
// clients that implement registry.IdentityRegistry and
// registry.RecordsRegistry against a RENIEC-, Migraciones- or SIAGIE-like
// service, and the handlers that serve any registry that way (the
// simulator, cmd/cla-registry-sim, uses them).
//
// Lookups are POSTs with the document in the body, never in the URL, so
// that no access log or proxy records who was looked up. They are
// idempotent, so the client retries what may pass on a second try (network
// errors, timeouts, 429 and 5xx) with exponential backoff and jitter, and
// maps every failure to the registry sentinels: ErrNotFound,
// ErrUnsupported, ErrUnavailable, ErrTimeout.
package httpreg
