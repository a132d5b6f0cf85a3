# copydesk — two commands do all the set-up on a fresh machine:
#   make demo   create .venv, install copydesk, scan the bundled demo corpus
#   make test   create .venv, install copydesk with test tools, lint and run the tests
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench profile clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	@echo "(the first scan compiles copydesk's kernels: about half a minute, once)"
	$(BIN)/copydesk scan src/copydesk/demo/demo.jsonl --out results/demo
	@echo
	@echo "Explain one pair:  $(BIN)/copydesk compare --corpus src/copydesk/demo/demo.jsonl ID_A ID_B"

lint: $(STAMP)
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest

PEERS := bench/.venv-peers

$(PEERS)/.installed: bench/requirements-peers.txt
	$(PYTHON) -m venv $(PEERS)
	$(PEERS)/bin/python -m pip install --quiet -r bench/requirements-peers.txt
	touch $@

# speed benchmark against the MinHash dedup tools (minutes; not part of the tests)
bench: $(STAMP) $(PEERS)/.installed
	$(BIN)/python bench/scale.py --docs 10000 --record bench/RESULTS.md

# where a scan's time goes (py-spy over all processes); DOCS picks the generated corpus
DOCS ?= 100000
profile: $(STAMP)
	$(BIN)/python -m pip install --quiet py-spy
	$(BIN)/python bench/profile.py bench/data/$(DOCS)/corpus.jsonl

clean:
	rm -rf $(VENV) results build src/*.egg-info .pytest_cache .ruff_cache
