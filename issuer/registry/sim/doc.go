// Package sim serves registries over the HTTP APIs of docs/REGISTRIES.md,
// as RENIEC (/reniec), Migraciones (/migraciones) and SIAGIE (/siagie) would,
// with faults to inject: latency, an error rate and an outage that can be
// switched on and off while it runs. It is the library behind
// cmd/cla-registry-sim, for integration tests, load tests and demos.
package sim
