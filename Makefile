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
	$(BIN)/python -m compileall -q src > /dev/null  # (as a wheel's install does: PYTHONDONTWRITEBYTECODE may be set)
	touch $(STAMP)

demo: $(STAMP)
	@echo "(the first scan compiles copydesk's kernels: about half a minute, once)"
	$(BIN)/copydesk scan src/copydesk/demo/demo.jsonl --out results/demo --report
	@echo
	@echo "Read it:           open results/demo/report/index.html in a browser"
	@echo "Explain one pair:  $(BIN)/copydesk compare --corpus src/copydesk/demo/demo.jsonl ID_A ID_B"
	@echo "Score it:          $(BIN)/copydesk eval --gold src/copydesk/demo results/demo"
	@echo "(copydesk is in $(BIN)/; to have it on your PATH: pipx install .  or  pip install .)"

lint: $(STAMP)
	$(BIN)/ruff check .

test: lint
	$(BIN)/python -m pytest

PEERS := bench/.venv-peers
# the benchmark kit beside the repository (a plain clone does not have it)
BBC   ?= $(or $(COPYDESK_BBC),../shared/data/bbc/articles.jsonl)
# where `make bench` appends its table; `make bench RECORD=bench/RESULTS.md` records a round
RECORD ?= bench/out/RESULTS.md
BENCH_DOCS ?= 10000
# `make profile` scans the corpus `make bench` made (generating it if needed)
DOCS ?= $(BENCH_DOCS)

# fail at once, before installing anything, when the benchmark data is missing
ifneq ($(filter bench,$(MAKECMDGOALS)),)
ifeq ($(wildcard $(BBC)),)
$(error make bench needs the benchmark kit's $(BBC) (the ../shared folder beside the repository; or set BBC=FILE))
endif
endif
ifneq ($(filter profile,$(MAKECMDGOALS)),)
ifeq ($(wildcard bench/data/$(DOCS)/corpus.jsonl)$(wildcard $(BBC)),)
$(error make profile needs bench/data/$(DOCS)/corpus.jsonl or the benchmark kit's $(BBC) to make it)
endif
endif

$(PEERS)/.installed: bench/requirements-peers.txt
	$(PYTHON) -m venv $(PEERS)
	$(PEERS)/bin/python -m pip install --quiet -r bench/requirements-peers.txt
	touch $@

# speed benchmark against the MinHash dedup tools (minutes; not part of the tests)
bench: $(STAMP) $(PEERS)/.installed
	@mkdir -p $(dir $(RECORD))
	COPYDESK_BBC=$(BBC) $(BIN)/python bench/scale.py --docs $(BENCH_DOCS) --record $(RECORD)

# where a scan's time goes (py-spy over all processes)
profile: $(STAMP)
	$(BIN)/python -m pip install --quiet py-spy
	COPYDESK_BBC=$(BBC) $(BIN)/python bench/profile.py --docs $(DOCS)

clean:
	rm -rf $(VENV) results build src/*.egg-info .pytest_cache .ruff_cache
