// Package e2e holds the end-to-end tests: the real binaries (cla-issuer,
// cla-verify, cla-registry-sim, cla-keys) built once, started as processes,
// talking real HTTP and writing real files. The package has no code of
// its own; see its _test.go files.
package e2e
