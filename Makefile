# The two commands of the README's quick start: `make demo` and `make test`.
# Both create .venv when it is missing and install the project into it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: demo test lint typecheck docs bench fuzz clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,xlsx,pdf,dask]'
	touch $(VENV)/.installed $@

$(VENV)/.installed-demo: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[demo,xlsx,pdf,dask]'
	touch $(VENV)/.installed $@

$(VENV)/.installed-docs: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[docs]'
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed-demo
	$(PY) examples/demo.py

# The docs site (mkdocs-material + mkdocstrings) into site/; any warning fails the build.
docs: $(VENV)/.installed-docs
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict

lint: $(VENV)/.installed-test
	$(PY) -m ruff check src tests tools examples
	$(PY) -m ruff format --check src tests tools examples
	$(PY) -m mypy

test: lint
	$(PY) -m pytest

$(VENV)/.installed-bench: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[bench,pdf,dask]'
	touch $(VENV)/.installed $@

# Benchmarks are run by hand (never timed in CI): one table per area, ratios vs baselines.
bench: $(VENV)/.installed-bench
	PYTHONPATH=src $(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

# No-crash properties at scale, by hand: make fuzz FUZZ_EXAMPLES=100000
FUZZ_EXAMPLES ?= 5000
fuzz: $(VENV)/.installed-test
	DISCLOSURE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -q tests/test_fuzz.py tests/parse/test_fuzz.py tests/parse/test_mutations.py
