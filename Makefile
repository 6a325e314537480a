# The two README commands: `make app` and `make test`. Both set up .venv first.
#   make app                 the app on http://127.0.0.1:8501, this machine only (`s2s app`'s defaults)
#   make app HOST=0.0.0.0    every interface: anyone who reaches the port can train and upload
#                            (on the command line only: some shells export HOST as the machine's name)
#   make app PORT=8502       another port
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup app test test-fast check lint format bench clean

setup:
	@bash scripts/setup.sh

app: setup
	$(BIN)/python -m core app $(if $(filter command line,$(origin HOST)),--host $(HOST)) $(if $(PORT),--port $(PORT))

test: setup lint
	$(BIN)/python -m pytest -q

# Lint and the tests that neither train nor drive a browser (markers in pyproject.toml): about a
# minute on a 2-core machine, for the edit-test loop. `make test` runs everything.
test-fast: setup lint
	$(BIN)/python -m pytest -q -m "not slow and not browser"

check: test

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(BIN)/python benchmarks/train_throughput.py
	$(BIN)/python benchmarks/decode_speed.py
	$(BIN)/python benchmarks/grammar_learning.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
