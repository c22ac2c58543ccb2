# attrdb — build, demo, test, benchmark. Each target installs what it needs on a fresh Debian machine.
SWIFT ?= swift
DB ?= /tmp/attrdb-demo.sqlite
EXAMPLE := examples/tl-modadd
BIN := .build/release/attrdb
# The Python that makes the tests' virtualenv (make test PYTHON=/usr/bin/python3); the tests, the
# reliability scripts and the benchmark then run the virtualenv's python3, named by $ATTRDB_PYTHON.
PYTHON ?= python3
VENV := .venv-test
VENV_PYTHON := $(CURDIR)/$(VENV)/bin/python3
export ATTRDB_PYTHON := $(VENV_PYTHON)

.PHONY: deps venv test-deps python-deps build demo test python-test wheel wheel-test reliability fuzz sanitize bench bench-scale scale schema clean

# The system SQLite and zlib headers and libraries, through pkg-config (Debian: libsqlite3-dev, zlib1g-dev).
deps:
	@pkg-config --exists sqlite3 zlib libzstd 2>/dev/null || { \
	  echo "installing libsqlite3-dev zlib1g-dev libzstd-dev"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsqlite3-dev zlib1g-dev libzstd-dev pkg-config; }

# Independent oracles for the tests: numpy, scipy, pyarrow and duckdb from PyPI into a virtualenv of
# its own, .venv-test/ (Debian's python3 refuses pip installs: externally-managed-environment; its
# venv module needs python3-venv, installed when missing). A half-made virtualenv is made again.
venv:
	@$(VENV_PYTHON) -m pip --version >/dev/null 2>&1 || { \
	  rm -rf $(VENV); \
	  $(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	    rm -rf $(VENV); echo "installing python3-venv"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); }; }
	@$(VENV_PYTHON) -c 'import numpy, scipy, pyarrow, duckdb' 2>/dev/null || { \
	  echo "installing numpy scipy pyarrow duckdb into $(VENV)/"; \
	  $(VENV_PYTHON) -m pip install -q numpy scipy pyarrow duckdb; }

# The Python package (python/) installed editable into the test virtualenv with pandas, xarray,
# pytest, xxhash and polars (its extras all and test), so its tests run the working tree's code, and
# torch and TransformerLens (the extra scan) for attrdb.scan's tests. torch is pinned to a release whose
# CPU wheel pip finds without the CUDA downloads (here through pip's find-links; elsewhere add
# --extra-index-url https://download.pytorch.org/whl/cpu).
python-deps: venv
	@$(VENV_PYTHON) -c 'import attrdb, pandas, xarray, pytest, xxhash, polars, importlib.util as u; \
	  assert u.find_spec("torch") and u.find_spec("transformer_lens")' 2>/dev/null || { \
	  echo "installing ./python[all,test,scan] into $(VENV)/"; \
	  $(VENV_PYTHON) -m pip install -q -e './python[all,test,scan]'; }

# The oracles, and librsvg and Chromium to render the plots and the report.
test-deps: deps venv python-deps
	@command -v rsvg-convert >/dev/null && command -v chromium >/dev/null || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq librsvg2-bin chromium >/dev/null; }

# Linked with the Swift standard library inside, as the wheel's binary is (--static-swift-stdlib on
# the command line, not unsafeFlags in Package.swift): each attrdb process starts 5–8 ms sooner
# without resolving the Swift libraries' symbols, a fifth of a whole-grid query.
build: deps
	$(SWIFT) build -c release --product attrdb --static-swift-stdlib

# The main job on the bundled example: a fresh store, the example ingested, then the runs, the top
# components and the capacity table (checkpoint × layer) printed.
demo: build
	@rm -f $(DB) $(DB)-journal $(DB)-wal $(DB)-shm
	$(BIN) --db $(DB) ingest $(EXAMPLE) --run modadd
	$(BIN) --db $(DB) runs --format table
	$(BIN) --db $(DB) top --run modadd -k 5 --format table
	$(BIN) --db $(DB) capacity --run modadd --wide --checkpoint every:4 --format table

# The build must print no compiler warning for the project's own files (scripts/build-without-warnings.sh).
test: test-deps
	SWIFT=$(SWIFT) scripts/build-without-warnings.sh
	$(SWIFT) test --skip-build
	$(VENV_PYTHON) Tests/reliability/crash.py --attrdb .build/debug/attrdb --kills 20 --big 100
	$(VENV_PYTHON) Tests/reliability/concurrency.py --attrdb .build/debug/attrdb --runs-per-writer 2
	$(VENV_PYTHON) Tests/reliability/concurrent_ingest.py --attrdb .build/debug/attrdb --processes 4 --failing 2 --rounds 4
	$(VENV_PYTHON) Tests/reliability/concurrent_ingest.py --attrdb .build/debug/attrdb --merge --processes 4 --failing 2 --rounds 4
	$(MAKE) --no-print-directory python-test

# The Python package's tests (python/tests) against the debug binary make test just built.
python-test: python-deps
	ATTRDB_BIN=$(CURDIR)/.build/debug/attrdb $(VENV_PYTHON) -m pytest -q python/tests

# A platform wheel carrying an attrdb linked with the Swift standard library inside (no Swift on the
# GPU node; --static-swift-stdlib on the command line, not unsafeFlags in Package.swift), in dist/.
wheel: deps venv
	$(SWIFT) build -c release --product attrdb --static-swift-stdlib
	mkdir -p python/attrdb/_bin
	install -m 755 .build/release/attrdb python/attrdb/_bin/attrdb
	strip python/attrdb/_bin/attrdb
	rm -rf python/build
	$(VENV_PYTHON) -m pip wheel -q --no-deps -w dist ./python
	rm -rf python/attrdb/_bin python/build
	@ls -l dist/attrdb-*.whl

# The wheel in a fresh virtualenv, run with the Swift toolchain off PATH; ldd shows no Swift library.
wheel-test: wheel
	PYTHON=$(PYTHON) scripts/wheel-test.sh

# Fault injection below SQLite on larger stores (every I/O error, power loss and torn write of an
# ingest, a backup and the migrations), crash safety (60 SIGKILLs, with --replace ingests), concurrency
# (4 writers, 2 readers; 16 ingests of one run's checkpoints into one store at once) and memory (ingest and queries on a 1 GiB input), full size; hostile .npz
# archives (zip bombs, a full TMPDIR); 1 000 refused re-ingests that must each exit 4 (the suite runs 200).
reliability: build test-deps
	$(SWIFT) build --build-tests
	ATTRDB_FAULT_SCALE=64 $(SWIFT) test --skip-build --filter FaultInjectionTests
	$(VENV_PYTHON) Tests/reliability/crash.py --attrdb $(BIN) --kills 60 --big 200
	$(VENV_PYTHON) Tests/reliability/concurrency.py --attrdb $(BIN) --runs-per-writer 3
	$(VENV_PYTHON) Tests/reliability/concurrent_ingest.py --attrdb $(BIN) --processes 16 --failing 4 --rounds 10
	$(VENV_PYTHON) Tests/reliability/concurrent_ingest.py --attrdb $(BIN) --merge --processes 16 --failing 4 --rounds 10
	$(VENV_PYTHON) Tests/reliability/memory.py --attrdb $(BIN)
	$(VENV_PYTHON) Tests/reliability/hostile_npz.py --attrdb $(BIN)
	$(SWIFT) build --build-tests
	ATTRDB_CONFLICT_RUNS=1000 $(SWIFT) test --skip-build --filter ConflictRaceCommandTests

# Coverage-guided fuzzing: each libFuzzer harness in Fuzzing/ (npy header, npy, npz, CSV, JSON lines,
# JSON, axes.json, gzip) for FUZZ_SECONDS, under the address sanitizer, seeded from Tests/corpus and
# Fuzzing/corpus; a crash leaves its input in .build-fuzz/crashes/ and fails the target. Then a
# million seeded mutations per reader (.npy, .npz, CSV, JSON lines, axes.json); make test runs 2 000.
# The harnesses are a package of their own so no fuzzer flag reaches the library's targets; lld
# (shipped with the toolchain) links them, as gold fails on libFuzzer's archive; a debug build (so
# -enable-testing and every runtime check) optimized with -O: 2–3× the inputs a second of -Onone.
FUZZ_SECONDS ?= 60
fuzz: test-deps
	$(SWIFT) build --package-path Fuzzing --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing -Xswiftc -use-ld=lld -Xswiftc -O
	$(VENV_PYTHON) Fuzzing/seeds.py .build-fuzz/seeds
	Fuzzing/run.sh $(FUZZ_SECONDS)
	$(SWIFT) build --build-tests
	ATTRDB_FUZZ_ITERATIONS=1000000 $(SWIFT) test --skip-build --filter FuzzTests

# The test suite under the address sanitizer (with LeakSanitizer), then under the thread
# sanitizer, each in its own scratch path so neither instrumented build replaces the plain one.
# Clean = no report: any report fails the target (ASan stops at the first; TSan reports them all,
# then exits nonzero). Leak suppressions (Tests/sanitizers/lsan.supp): the toolchain's own code and one
# known leak in ZIPFoundation, each with its reason.
# ThreadSanitizer's runtime cannot start under a file-size limit of a few KB (even `attrdb --help`
# dies with SIGBUS reading its own mappings), so the one test that runs attrdb under `ulimit -f 8`
# is left out of the TSan run; it runs in make test and under ASan.
TSAN_SKIP := OutputSafetyCommandTests.testAFailedExportLeavesTheOldFileAsItWasAndNothingBeside
sanitize: test-deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/sanitizers/lsan.supp:print_suppressions=0 $(SWIFT) test --skip-build --sanitize=address --scratch-path .build-asan
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	$(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan --skip $(TSAN_SKIP)

bench: build test-deps
	@command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
	$(VENV_PYTHON) Benchmarks/bench.py --attrdb $(BIN)
	$(VENV_PYTHON) Benchmarks/bench_scan.py --attrdb $(BIN) --threads 1

# Spark in local mode runs docs/scale-out.md's SQL over the exported Parquet dataset and must equal
# attrdb capacity and top (Tests/scaleout/check_queries.py; make test runs the same check with DuckDB).
# Java from Debian's default-jre-headless and pyspark from PyPI (into .venv-scale/, kept apart from the
# test virtualenv: pyspark is ~600 MB), each installed when missing.
SCALE_VENV := .venv-scale
scale: build
	@java -version >/dev/null 2>&1 || { echo "installing default-jre-headless"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }
	@$(SCALE_VENV)/bin/python3 -c 'import pyspark, numpy' 2>/dev/null || { \
	  rm -rf $(SCALE_VENV); \
	  $(PYTHON) -m venv $(SCALE_VENV) 2>/dev/null || { \
	    rm -rf $(SCALE_VENV); echo "installing python3-venv"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(SCALE_VENV); }; \
	  echo "installing pyspark numpy into $(SCALE_VENV)/"; $(SCALE_VENV)/bin/python3 -m pip install -q pyspark numpy; }
	@start=$$(date +%s); \
	  $(SCALE_VENV)/bin/python3 Tests/scaleout/check_queries.py --attrdb $(BIN) --engine spark; \
	  status=$$?; echo "make scale: $$(( $$(date +%s) - start )) s in all"; exit $$status

# The scale benchmark (issue 13): a generated 1.024 x 10^9-value scan (4.1 GB, plus the store and its
# log: ~13 GB free needed in SCALE_WORK), ingested, queried from the summaries and by full scans.
SCALE_WORK ?= /tmp
bench-scale: build venv
	@command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
	$(VENV_PYTHON) Benchmarks/bench_scale.py --attrdb $(BIN) --work-root $(SCALE_WORK)

# Regenerates the migrations embedded in the library from schema/*.sql.
schema:
	bash schema/embed.sh

clean:
	rm -rf .build $(VENV) $(SCALE_VENV)
