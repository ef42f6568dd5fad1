# The developer interface: `make demo`, `make test`, `make lint`, `make check`.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

$(BIN)/safebot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

.PHONY: demo test lint check bench eval-distress train-distress
demo: $(BIN)/safebot  ## the local playground on http://127.0.0.1:8080
	$(BIN)/safebot demo

test: $(BIN)/safebot  ## every test, browser tests included
	$(BIN)/python -m pytest

lint: $(BIN)/safebot
	$(BIN)/ruff check bot tests benchmarks
	$(BIN)/ruff format --check bot tests benchmarks
	$(BIN)/mypy

check: $(BIN)/safebot
	$(BIN)/safebot check

bench: $(BIN)/safebot
	$(BIN)/python benchmarks/run.py

eval-distress: $(BIN)/safebot  ## recall and false alarms of the distress phrases, per language
	$(BIN)/python benchmarks/distress_eval.py

train-distress: $(BIN)/safebot  ## learn the likeness weights again after the development lines change
	$(BIN)/python -m pip install -q -e ".[train]"
	$(BIN)/python benchmarks/train_likeness.py
