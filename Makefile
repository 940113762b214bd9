# The README's commands. `make run` and `make test` set up what they need first.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

PORT ?= 8080
BROWSER_DATA := target/browser-data

.PHONY: run test dist setup setup-test check native-test browser-test browser-data bench clean
BENCH_DATA := target/bench

## Build the release and serve it on http://127.0.0.1:$(PORT)/ (the offline file is dist/sspr-viewer.html).
run: dist
	@echo
	@echo "Serving the viewer on http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	@echo "Offline single file: $(CURDIR)/dist/sspr-viewer.html"
	@echo
	python3 -m http.server $(PORT) --bind 127.0.0.1 --directory dist

## fmt, clippy (native and wasm), native tests, then browser tests on both page forms.
test: setup-test check native-test dist browser-test

setup:
	./setup.sh build

setup-test:
	./setup.sh test

## Release build: dist/index.html (hosted, relative URLs) and dist/sspr-viewer.html (offline).
dist: setup
	trunk build --release
	cargo run --quiet --bin bundle -- dist

check:
	cargo fmt --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib --bin sspr-viewer -- -D warnings

native-test:
	cargo test --workspace

browser-data:
	cargo run --quiet --bin sspr-gen -- --out $(BROWSER_DATA)/sample --preset sample
	cargo run --quiet --bin sspr-gen -- --out $(BROWSER_DATA)/nl --preset sample --style excel-nl
	cargo run --quiet --bin sspr-gen -- --out $(BROWSER_DATA)/zh --preset sample --style excel-zh-tw
	cargo run --quiet --bin sspr-gen -- --out $(BROWSER_DATA)/modern --preset audit-sample --modern

browser-test: browser-data
	npm test

## Benchmarks: prints figures and appends them to benches/RESULTS.md (asserts nothing).
bench: setup-test dist
	cargo run --quiet --release --bin sspr-gen -- --out $(BENCH_DATA) --bench-inputs
	(cargo bench --quiet --bench ingest -- $(BENCH_DATA) && cargo bench --quiet --bench phases -- $(BENCH_DATA)) | tee $(BENCH_DATA)/native.txt
	node benches/browser.mjs $(BENCH_DATA)

clean:
	rm -rf dist $(BROWSER_DATA)
