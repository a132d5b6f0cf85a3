# copydesk — two commands do all the set-up on a fresh machine:
#   make demo   create .venv, install copydesk, scan the bundled demo corpus
#   make test   create .venv, install copydesk with test tools, lint and run the tests
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/copydesk scan src/copydesk/demo/demo.jsonl --out results/demo
	@echo
	@echo "Explain one pair:  $(BIN)/copydesk compare --corpus src/copydesk/demo/demo.jsonl ID_A ID_B"

lint: $(STAMP)
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) results build src/*.egg-info .pytest_cache .ruff_cache
