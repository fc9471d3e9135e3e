# labkb: two commands for a fresh machine.
#   make html   build the site into _build/html (creates .venv on first use)
#   make test   run the test suite
# The virtual environment is created with Python >= 3.12 (Sphinx >= 9.1.1 fixes Chinese search).

VENV      ?= .venv
BUILDDIR  ?= _build
SPHINXOPTS ?= -W -n
PY        := $(VENV)/bin/python
SPHINX    := $(PY) -m sphinx -c . docs

# A usable interpreter: the first candidate that actually runs and is >= 3.12
# (pyenv shims exist but fail unless that version is selected, so each is run, not just found).
define find_python
for c in $(PYTHON) python3.13 python3.12 python3 \
         "$$(pyenv root 2>/dev/null)"/versions/3.13*/bin/python3 \
         "$$(pyenv root 2>/dev/null)"/versions/3.12*/bin/python3; do \
  [ -n "$$c" ] || continue; \
  if "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo "$$c"; exit 0; fi; \
done; exit 1
endef

.PHONY: help html test clean serve linkcheck bench lint venv

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

$(VENV)/bin/python:
	@py="$$($(find_python))" || { \
	  echo "error: labkb needs Python 3.12 or newer (python3.13 or python3.12)."; \
	  echo "       Install one (e.g. 'pyenv install 3.13' or your package manager) or set PYTHON=/path/to/python3."; \
	  exit 1; }; \
	echo "creating $(VENV) with $$py"; "$$py" -m venv $(VENV)

$(VENV)/.docs-installed: $(VENV)/bin/python pyproject.toml
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[docs]'
	@touch $@

$(VENV)/.test-installed: $(VENV)/.docs-installed pyproject.toml
	$(PY) -m pip install -q -e '.[test]'
	@touch $@

venv: $(VENV)/.test-installed  ## create .venv with everything installed

html: $(VENV)/.docs-installed  ## build the site into _build/html (warnings are errors)
	$(SPHINX) $(BUILDDIR)/html -b html -d $(BUILDDIR)/doctrees $(SPHINXOPTS)

test: $(VENV)/.test-installed  ## run the test suite
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.test-installed  ## ruff check
	$(PY) -m ruff check ext tests benchmarks conf.py

serve: $(VENV)/.docs-installed  ## live preview with sphinx-autobuild
	$(PY) -m sphinx_autobuild -c . docs $(BUILDDIR)/html -d $(BUILDDIR)/doctrees \
	  --watch ext --watch refs --watch conf.py --ignore '*/_build/*'

linkcheck: $(VENV)/.docs-installed  ## check external links (needs network)
	$(SPHINX) $(BUILDDIR)/linkcheck -b linkcheck -d $(BUILDDIR)/doctrees

clean:  ## remove the build output
	rm -rf $(BUILDDIR)

bench: $(VENV)/.test-installed  ## benchmark (benchmarks/results.*; the full run takes over an hour)
	$(PY) benchmarks/bench.py $(BENCH_ARGS)
