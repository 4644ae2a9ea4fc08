# Two commands matter (README.md): `make run` and `make test`.
# Each installs what it needs on a fresh Debian machine.

GO           ?= go
STATICCHECK  := honnef.co/go/tools/cmd/staticcheck@v0.8.2
TOOLS        := $(CURDIR)/.tools
FUZZTIME     ?= 30s
export FUZZTIME
BENCHTIME    ?= 1s
BENCHTABLE   ?=
LOADTIME     ?= 20s
LOADCONC     ?= 8

.PHONY: all run test deps tools lint vet staticcheck gotest interop bench bench-verify fuzz vectors demo clean
.PHONY: load load-scale check run-pg wasm

all: test

## run: the issuer on the embedded defaults (http://127.0.0.1:8080, data in ./data);
## where a display exists, the desktop verifier too, trusting that issuer
run: deps wasm
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then ( for i in $$(seq 120); do \
	  [ -s data/keys/root.pub ] && break; sleep 0.5; done; \
	  $(GO) run . --root data/keys/root.pub --issuer http://127.0.0.1:8080 ) & fi
	$(GO) run ./cmd/cla-issuer

## wasm: the browser verifier's engine (/V), embedded by the issuer:
## assets/webverify/gen/{cla.wasm, cla-pdf.wasm (with the PDF reader), wasm_exec.js}
WASMGEN := assets/webverify/gen
wasm:
	@mkdir -p $(WASMGEN)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $(WASMGEN)/cla.wasm ./cmd/cla-wasm
	GOOS=js GOARCH=wasm $(GO) build -tags clapdf -trimpath -ldflags="-s -w" -o $(WASMGEN)/cla-pdf.wasm ./cmd/cla-wasm
	@root=$$($(GO) env GOROOT); for f in $$root/lib/wasm/wasm_exec.js $$root/misc/wasm/wasm_exec.js; do \
	  if [ -f $$f ]; then cp $$f $(WASMGEN)/wasm_exec.js; exit 0; fi; done; \
	  echo "wasm: no wasm_exec.js under $$root" >&2; exit 1

## run-pg: the issuer on a local PostgreSQL (a cluster in data-pg/, started for the run)
run-pg: deps
	scripts/run-pg.sh

## test: everything CI checks: formatting, vet, staticcheck, race tests, vector drift
test: deps lint gotest interop

## check: the fast loop (under 3 minutes here): gofmt, go vet and the tests
## under -short, without -race; the browser, e2e, scan-corpus and
## million-student suites skip themselves under -short. make test runs all.
check: wasm
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) test -short ./...

deps:
	@./scripts/deps.sh

$(TOOLS)/staticcheck:
	GOBIN=$(TOOLS) $(GO) install $(STATICCHECK)

tools: $(TOOLS)/staticcheck

## lint: gofmt, go vet and staticcheck
lint: tools
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(TOOLS)/staticcheck ./...

gotest: wasm
	$(GO) test -race -count=1 -timeout 45m ./...
	@# crypto/ as the browser runs it (js/wasm under Node, Go's runner): the
	@# signature check there is crypto/internal/ed25519verify, not crypto/ed25519
	GOOS=js GOARCH=wasm $(GO) test -count=1 ./crypto/... -exec "$$($(GO) env GOROOT)/lib/wasm/go_js_wasm_exec"

## interop: the test vectors checked by an independent implementation (Node, tools/interop)
interop:
	@command -v node >/dev/null || { echo "interop: node not found (make deps installs it)" >&2; exit 1; }
	@node tools/interop/check-vectors.mjs | tail -1
	@node tools/interop/check-vectors.mjs >/dev/null

## bench: every benchmark, each next to its baseline, as one table
## (make bench BENCHTIME=300ms; BENCHTABLE=-md for Markdown)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -timeout 60m ./... 2>&1 | \
	  $(GO) run ./tools/bench/table $(BENCHTABLE)

## bench-verify: verify-by-code over HTTP under wrk, against a bare net/http handler
bench-verify:
	./scripts/bench-verify.sh

## load: the issuer on a free loopback port under tools/cla-load, LOADTIME a scenario
## (request and verify, API and pages), LOADCONC clients (make load LOADTIME=20s LOADCONC=8)
load:
	LOADTIME=$(LOADTIME) LOADCONC=$(LOADCONC) ./scripts/load.sh

## load-scale: issuance and verify-by-code, bbolt vs PostgreSQL (1 and 2 replicas), at a thousand
## and a million stored constancias (SIZES="1000 1000000", BACKENDS="bbolt postgres"; ~20 minutes, 16 GB of disk)
load-scale:
	LOADTIME=$(LOADTIME) LOADCONC=$(LOADCONC) ./scripts/load-scale.sh

## fuzz: every fuzz target for FUZZTIME each (make fuzz FUZZTIME=5m)
fuzz:
	./scripts/fuzz.sh

## vectors: regenerate testdata/vectors (tests fail when they drift)
vectors:
	$(GO) run ./tools/vectorgen

clean:
	rm -rf $(TOOLS) bin dist

include app.mk
