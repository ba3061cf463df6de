# `make run` and `make test` do all set-up on a fresh machine (README).
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
MODEL_INPUTS := config.yml $(shell find domain data -name '*.yml' 2>/dev/null)
export RASA_TELEMETRY_ENABLED := false

.PHONY: run test model eval setup clean domain check

$(VENV)/.installed: pyproject.toml
	@py="$$(tools/find_python310.sh)" || exit 1; \
	  [ -x $(BIN)/python ] || "$$py" -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip wheel
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

# Train only when the training data or config changed.
models/.trained: $(MODEL_INPUTS) | $(VENV)/.installed
	PYTHONWARNINGS=$${PYTHONWARNINGS:-ignore::DeprecationWarning,ignore::FutureWarning} \
	  TF_CPP_MIN_LOG_LEVEL=$${TF_CPP_MIN_LOG_LEVEL:-2} SQLALCHEMY_SILENCE_UBER_WARNING=1 \
	  $(BIN)/rasa train --domain domain --fixed-model-name dermatome-leg-pain --out models
	touch $@

model: models/.trained

# The parts of the domain that repeat the contract's ids, generated (tests check it is fresh).
domain: setup
	$(BIN)/python tools/make_domain.py

# Lint, format, types and the unit tests: the gate before every commit.
check: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest tests/unit -q -p no:cacheprovider

run: setup model web-assets
	$(BIN)/python tools/serve.py

test: setup model web-assets browser cluster-deps
	$(MAKE) --no-print-directory check
	$(BIN)/python -m pytest --ignore=tests/unit

# The clinical evaluation: writes reports/eval.md and its charts.
eval: setup model
	$(BIN)/python tools/evaluate.py

clean:
	rm -rf models .state reports .pytest_cache

# --- web assets (owned by web) ---
# The chat widget: rasa-webchat from the npm registry, pinned by web/package-lock.json and
# installed again only when the lockfile changes. The browser tests use Debian's Chromium
# (/usr/bin/chromium), never a downloaded browser. npm and Chromium come from apt if missing.
.PHONY: web-assets browser
APT_GET := $(if $(filter 0,$(shell id -u)),,sudo )apt-get

web/node_modules/.installed: web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "web: installing Node.js and npm from Debian"; \
	  $(APT_GET) update -q && DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -q nodejs npm; }
	cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

web-assets: web/node_modules/.installed

browser: web-assets
	@[ -x /usr/bin/chromium ] || { echo "web: installing Chromium from Debian for the browser tests"; \
	  $(APT_GET) update -q && DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -q chromium chromium-driver; }
# --- end web assets ---

# --- benchmark (owned by privacy and bench) ---
# This assistant against Rasa's own `rasa init` bot, one after the other, same closed-loop
# REST load (tools/bench.py; README "Performance"). BENCH_ARGS=--tiny: a few messages only.
.PHONY: bench
bench: setup model
	$(BIN)/python tools/bench.py $(BENCH_ARGS)
# --- end benchmark ---

# --- cluster (owned by cluster) ---
# PostgreSQL (tracker store) + Redis (lock store) + RASA_REPLICAS Rasa servers +
# ACTION_REPLICAS action servers behind HAProxy on RASA_PORT, the web page on WEB_PORT
# (tools/cluster.py; README "Running at scale"). The three servers come from Debian's
# packages, installed when missing (as Chromium is above).
.PHONY: cluster cluster-deps bench-cluster
cluster-deps:
	@missing=""; ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing="$$missing postgresql"; \
	  command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	  command -v haproxy >/dev/null || missing="$$missing haproxy"; \
	  [ -z "$$missing" ] || { echo "cluster: installing$$missing from Debian"; \
	  $(APT_GET) update -q && DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -q $$missing; }

cluster: setup model web-assets cluster-deps
	$(BIN)/python tools/cluster.py

# The cluster against one `make run` process, same load, same run (tools/bench_cluster.py).
bench-cluster: setup model cluster-deps
	$(BIN)/python tools/bench_cluster.py $(BENCH_ARGS)
# --- end cluster ---
