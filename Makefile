# The two README commands: `make app` and `make test`. Both set up .venv first.
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: setup app test check lint format bench clean

setup:
	@bash scripts/setup.sh

app: setup
	$(BIN)/streamlit run Home.py --server.port $(PORT) --server.headless true

test: setup lint
	$(BIN)/python -m pytest -q

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
