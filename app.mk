# Desktop verifier (issue 6): build, package, screenshots, start-up bench.
# Included by the Makefile; `make app-shots` and `make app-bench` need no
# display (they start Xvfb), only the Debian packages scripts/deps.sh
# installs. See docs/APP.md.

FYNE_CMD      := fyne.io/tools/cmd/fyne@v1.7.4
APP_BIN       := bin/cla-verificador
APP_SHOTS_DIR ?= bin/app-shots
APP_SAMPLES   := bin/app-samples
APP_DISPLAY   ?= :99
APP_BENCH_N   ?= 10
# Fyne warns about a plain C locale; a UTF-8 Spanish one is what offices use.
APP_ENV       := LANG=es_PE.UTF-8 DISPLAY=$(APP_DISPLAY)

.PHONY: app app-run package package-windows app-shots app-bench app-deps app-first-minute

# app-deps: xwininfo (x11-utils) tells when a window is mapped; deps.sh
# brings Xvfb and ImageMagick.
app-deps: deps
	@command -v xwininfo >/dev/null || { echo "app: installing x11-utils"; \
	  $$( [ "$$(id -u)" -ne 0 ] && echo sudo ) apt-get install -y -qq --no-install-recommends x11-utils >/dev/null; }

## app: build the desktop verifier (cgo + OpenGL: ~2 min cold, ~2 s warm)
app: deps
	$(GO) build -o $(APP_BIN) .

## app-run: open the app trusting the local development issuer (make run starts it)
app-run: deps
	$(GO) run . --root data/keys/root.pub --issuer http://127.0.0.1:8080

$(TOOLS)/fyne:
	GOBIN=$(TOOLS) $(GO) install $(FYNE_CMD)

## package: the Linux package (binary, icon, .desktop file and an install Makefile) in dist/
# fyne package bumps Build in FyneApp.toml on every run: the file is put
# back, so a package build leaves the tree clean.
package: deps $(TOOLS)/fyne
	mkdir -p dist bin
	$(GO) build -trimpath -ldflags "-s -w" -o bin/pkg/cla-verificador .
	cp FyneApp.toml bin/FyneApp.toml.keep
	$(TOOLS)/fyne package --os linux --release --exe bin/pkg/cla-verificador --src . ; \
	  rc=$$?; cp bin/FyneApp.toml.keep FyneApp.toml; exit $$rc
	mv -f "Verificador CLA.tar.xz" dist/cla-verificador-linux-amd64.tar.xz
	@ls -l dist/cla-verificador-linux-amd64.tar.xz

## package-windows: the Windows package (the app and cla-verify.exe, cross-built with MinGW-w64)
## as dist/cla-verificador-windows-amd64.zip; CLA_RELEASE_ROOTS=FILE embeds those root keys
package-windows: deps $(TOOLS)/fyne
	FYNE=$(TOOLS)/fyne scripts/package-windows.sh dist

# app-xvfb starts a virtual display unless one answers at APP_DISPLAY.
define app-xvfb
	if ! DISPLAY=$(APP_DISPLAY) xwininfo -root >/dev/null 2>&1; then \
	  Xvfb $(APP_DISPLAY) -screen 0 1280x800x24 -noreset >/dev/null 2>&1 & echo $$! > bin/xvfb.pid; sleep 1; fi
endef
define app-xvfb-stop
	if [ -f bin/xvfb.pid ]; then kill $$(cat bin/xvfb.pid) 2>/dev/null || true; rm -f bin/xvfb.pid; fi
endef

## app-shots: run the real app under Xvfb on sample PDFs and pictures; screenshots in bin/app-shots/
app-shots: app app-deps
	$(GO) build -o bin/cla-app-shots ./tools/cla-app-shots
	$(GO) build -o bin/cla-verify ./cmd/cla-verify
	rm -rf $(APP_SHOTS_DIR) $(APP_SAMPLES) bin/app-store && mkdir -p $(APP_SHOTS_DIR) bin/app-store
	bin/cla-app-shots gen $(APP_SAMPLES)
	@$(app-xvfb)
	@# 1. The app binary itself, as `make run` opens it: a store that cla-verify
	@#    filled from a USB bundle, a PDF given on the command line, no issuer.
	bin/cla-verify import --store bin/app-store/trust.db --root "$$(cat $(APP_SAMPLES)/root.pub)" $(APP_SAMPLES)/confianza.cla
	$(APP_ENV) CLA_LANG=es $(APP_BIN) --store bin/app-store/trust.db --root $(APP_SAMPLES)/root.pub \
	  --issuer http://127.0.0.1:1 $(APP_SAMPLES)/valida.pdf & pid=$$!; sleep 6; \
	  $(APP_ENV) import -window root $(APP_SHOTS_DIR)/00-binario-pdf-valida.png; kill $$pid
	@# 2. Every screen and result, driven step by step.
	$(APP_ENV) bin/cla-app-shots shots $(APP_SAMPLES) $(APP_SHOTS_DIR)
	@$(app-xvfb-stop)
	@echo "screenshots in $(APP_SHOTS_DIR)/"

## app-bench: time to a mapped window, the app against a hello-world Fyne window (goal ≤ 1.5×)
app-bench: app app-deps
	$(GO) build -o bin/cla-app-shots ./tools/cla-app-shots
	$(GO) build -o bin/fyne-hello ./tools/cla-app-shots/hello
	$(GO) build -o bin/cla-verify ./cmd/cla-verify
	rm -rf $(APP_SAMPLES) bin/app-store && mkdir -p bin/app-store
	bin/cla-app-shots gen $(APP_SAMPLES)
	bin/cla-verify import --store bin/app-store/trust.db --root "$$(cat $(APP_SAMPLES)/root.pub)" $(APP_SAMPLES)/confianza.cla
	@$(app-xvfb)
	$(APP_ENV) CLA_STORE=$(CURDIR)/bin/app-store/trust.db CLA_ROOTS=$$(cat $(APP_SAMPLES)/root.pub) \
	  CLA_ISSUER_URL=http://127.0.0.1:1 bin/cla-app-shots startup $(APP_BIN) bin/fyne-hello $(APP_BENCH_N)
	@$(app-xvfb-stop)

## app-first-minute: make run's path, under Xvfb: the development issuer on a fresh folder,
## a constancia requested through its API, the app opening the PDF with a fresh store
app-first-minute: app app-deps
	$(GO) build -o bin/cla-issuer ./cmd/cla-issuer
	rm -rf bin/first-minute && mkdir -p bin/first-minute $(APP_SHOTS_DIR)
	@$(app-xvfb)
	bin/cla-issuer -data bin/first-minute/data -addr 127.0.0.1:18080 > bin/first-minute/issuer.log 2>&1 & echo $$! > bin/first-minute/issuer.pid; \
	for i in $$(seq 120); do curl -sf -o /dev/null http://127.0.0.1:18080/trust/keyset && break; sleep 0.5; done; \
	curl -sf -X POST -H 'Content-Type: application/json' http://127.0.0.1:18080/api/v1/solicitudes \
	  -d '{"requester":"adult","student":{"doc_type":"DNI","doc_number":"26380187","father_names":"FERNANDO SEBASTIÁN","mother_names":"LUZ","ubigeo":"110101"},"email":"valeria@example.pe","accept_terms":"2026-11"}' \
	  > bin/first-minute/answer.json && cat bin/first-minute/answer.json && echo; \
	curl -sf -o bin/first-minute/constancia.pdf "http://127.0.0.1:18080$$(sed 's/.*"pdf":"\([^"]*\)".*/\1/' bin/first-minute/answer.json)"; \
	$(APP_ENV) CLA_LANG=es CLA_STORE=bin/first-minute/verifier/trust.db $(APP_BIN) --root bin/first-minute/data/keys/root.pub \
	  --issuer http://127.0.0.1:18080 bin/first-minute/constancia.pdf & pid=$$!; sleep 8; \
	$(APP_ENV) import -window root $(APP_SHOTS_DIR)/first-minute.png; kill $$pid; kill $$(cat bin/first-minute/issuer.pid)
	@$(app-xvfb-stop)
	@echo "screenshot: $(APP_SHOTS_DIR)/first-minute.png"
