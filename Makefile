# `make run` and `make test` do all set-up on a fresh machine (README).
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
MODEL_INPUTS := domain.yml config.yml $(shell find data -name '*.yml' 2>/dev/null)
export RASA_TELEMETRY_ENABLED := false

.PHONY: run test model eval setup clean

$(VENV)/.installed: pyproject.toml
	@py="$$(tools/find_python310.sh)" || exit 1; \
	  [ -x $(BIN)/python ] || "$$py" -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip wheel
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

# Train only when the training data or config changed.
models/.trained: $(MODEL_INPUTS) | $(VENV)/.installed
	$(BIN)/rasa train --fixed-model-name dermatome-leg-pain --out models
	touch $@

model: models/.trained

run: setup model
	$(BIN)/python tools/serve.py

test: setup model
	$(BIN)/python -m pytest

# The clinical evaluation: writes reports/eval.md and its charts.
eval: setup model
	$(BIN)/python tools/evaluate.py

clean:
	rm -rf models .state reports .pytest_cache
