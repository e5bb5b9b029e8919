# Brooklet's two front doors: `make serve` and `make test`. Both install what is missing first,
# and skip each install when the right version is already there.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

TRUNK_VERSION      := 0.21.14
BINARYEN_VERSION   := 132.0.0
PLAYWRIGHT_VERSION := 1.65.1
# The wasm-bindgen CLI must equal the library version in Cargo.lock, or the bindings will not load.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/"/, "", $$3); print $$3 }' Cargo.lock)

TOOLS := $(CURDIR)/.tools
# The two tools are compiled once per machine; their own release profiles ask for fat LTO and one
# codegen unit, which makes the install's last step minutes long on 2 cores for no gain that a
# build of this site can measure. Thin local LTO and parallel codegen for the installs only.
INSTALL_PROFILE := CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export PATH := $(TOOLS)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# wasm-bindgen-test-runner drives Debian's Chromium through its ChromeDriver, with the flags
# that root in a container needs.
export CHROMEDRIVER := /usr/bin/chromedriver
export WASM_BINDGEN_TEST_WEBDRIVER_JSON := $(CURDIR)/tests/webdriver.json
export WASM_BINDGEN_TEST_TIMEOUT := 120

.PHONY: help serve build test tools browser-tools lint test-native test-browser test-e2e bench bench-browser bench-browser-storage clean-tools

help:
	@echo "make serve   install what is missing, build, serve the playground on http://127.0.0.1:8080"
	@echo "make test    install what is missing, run every check and test (native, browser, end-to-end)"
	@echo "make build   the release site in dist/"
	@echo "make bench   the native benchmarks (criterion)"
	@echo "make bench-browser   README's performance page: size, core (wasm vs native), storage, page benches (~5 min warm)"
	@echo "make bench-browser-storage   IndexedDB produce throughput and reload time (~1.5 min once built)"

serve: tools
	trunk serve --offline

build: tools
	trunk build --release --offline

test: tools browser-tools lint test-native test-browser test-e2e
	@echo "All checks passed."

lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib --bins --test 'browser_*' -- -D warnings

test-native:
	cargo test

test-browser:
	cargo test --target wasm32-unknown-unknown --test 'browser_*'

test-e2e: build
	node tests/e2e/smoke.mjs dist target/e2e
	node tests/e2e/terminal.mjs dist target/e2e
	node tests/e2e/pyspark.mjs dist target/e2e
	node tests/e2e/streams.mjs dist target/e2e
	node tests/e2e/topic.mjs dist target/e2e
	node tests/e2e/groups.mjs dist target/e2e
	node tests/e2e/journey.mjs dist target/e2e
	node tests/e2e/layout.mjs dist target/e2e
	node tests/e2e/quota.mjs dist target/e2e
	node tests/e2e/js_api.mjs dist target/e2e

bench:
	cargo bench

# README's performance page, measured in one run (~5 min warm; ~15-20 min after a code change,
# most of it the release, bench and "z" bench builds): the shipped wasm's size, the core bench natively and as wasm in
# Chromium (the same body, back to back, both at the bench profile's opt-level 3; then the wasm
# side again at the shipped "z"), storage, memory, criterion's native log bench, the page
# benches (benches/page.mjs and benches/page_reload.mjs, each when it is there); then
# benches/report.mjs writes README's section between the perf markers and benches/results.json (the next run's "previous"). Each bench's output goes to
# $(BENCH_OUT)/<bench>.txt; a bench that fails is noted there and its figures show as
# "not measured" rather than stopping the run.
BENCH_OUT := target/bench-out
run_bench = { $(2); } 2>&1 | tee $(BENCH_OUT)/$(1).txt \
  || echo "bench-failed: $(1) (exit $$?; see $(BENCH_OUT)/$(1).txt)" | tee -a $(BENCH_OUT)/$(1).txt

bench-browser: tools browser-tools build
	rm -rf $(BENCH_OUT) && mkdir -p $(BENCH_OUT) && date +%s > $(BENCH_OUT)/started
	cut -d' ' -f1 /proc/loadavg > $(BENCH_OUT)/load
	$(call run_bench,size,benches/wasm_size.sh dist)
	$(call run_bench,core_native,cargo bench --bench core_native)
	$(call run_bench,core_wasm,cargo bench --target wasm32-unknown-unknown --bench browser_log)
	$(call run_bench,storage,WASM_BINDGEN_TEST_TIMEOUT=900 cargo bench --target wasm32-unknown-unknown --bench browser_storage)
	$(call run_bench,memory,WASM_BINDGEN_TEST_TIMEOUT=900 cargo bench --target wasm32-unknown-unknown --bench browser_memory)
	$(call run_bench,core_wasm_z,CARGO_PROFILE_BENCH_OPT_LEVEL=z BROOKLET_BENCH_BUILD=z cargo bench --target wasm32-unknown-unknown --bench browser_log)
	$(call run_bench,log_criterion,cargo bench --bench log -- 100B_x100)
	if [ -f benches/page.mjs ]; then $(call run_bench,page,node benches/page.mjs dist $(BENCH_OUT)/page); fi
	if [ -f benches/page_reload.mjs ]; then $(call run_bench,page_reload,node benches/page_reload.mjs dist $(BENCH_OUT)/page_reload); fi
	node benches/report.mjs $(BENCH_OUT) README.md benches/results.json

# Persisted produce vs a raw IndexedDB put, and reload time (see benches/browser_storage.rs).
# The 1M-record set-up and reopen take ~25 s; the longer timeout leaves room on a loaded machine.
bench-browser-storage: tools browser-tools
	WASM_BINDGEN_TEST_TIMEOUT=900 cargo bench --target wasm32-unknown-unknown --bench browser_storage

# ---- installs -------------------------------------------------------------------------------

tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "Installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (a few minutes, once)"; \
	  $(INSTALL_PROFILE) cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); fi
	@if [ "$$(trunk --version 2>/dev/null)" != "trunk $(TRUNK_VERSION)" ]; then \
	  echo "Installing trunk $(TRUNK_VERSION) (a few minutes, once)"; \
	  $(INSTALL_PROFILE) cargo install trunk --version $(TRUNK_VERSION) --locked; fi
	@command -v node >/dev/null && command -v npm >/dev/null \
	  || { echo "Node.js and npm are needed for wasm-opt and the end-to-end test: apt-get install -y nodejs npm"; exit 1; }
	@if [ "$$(cat $(TOOLS)/.npm-versions 2>/dev/null)" != "binaryen@$(BINARYEN_VERSION) playwright-core@$(PLAYWRIGHT_VERSION)" ]; then \
	  echo "Installing wasm-opt (npm binaryen $(BINARYEN_VERSION)) and playwright-core $(PLAYWRIGHT_VERSION) into .tools/"; \
	  mkdir -p $(TOOLS); \
	  npm install --silent --no-audit --no-fund --no-save --prefix $(TOOLS) \
	    binaryen@$(BINARYEN_VERSION) playwright-core@$(PLAYWRIGHT_VERSION); \
	  echo "binaryen@$(BINARYEN_VERSION) playwright-core@$(PLAYWRIGHT_VERSION)" > $(TOOLS)/.npm-versions; fi

browser-tools:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian's chromium and chromium-driver"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver \
	    || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; }; \
	elif command -v sudo >/dev/null; then \
	  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; \
	else \
	  echo "The browser tests need Chromium and its driver: run, as root, apt-get install -y chromium chromium-driver"; \
	  exit 1; fi

clean-tools:
	rm -rf $(TOOLS)
