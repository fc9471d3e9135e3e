# labkb: two commands for a fresh machine.
#   make html   build the site into _build/html (creates .venv on first use)
#   make test   run the test suite
# The virtual environment is created with Python >= 3.12 (Sphinx >= 9.1.1 fixes Chinese search).

VENV      ?= .venv
BUILDDIR  ?= _build
SPHINXOPTS ?= -W -n
PY        := $(VENV)/bin/python
PIP       := $(PY) -m pip --disable-pip-version-check
LOCK_DOCS := requirements/docs.txt
LOCK_TEST := requirements/test.txt
# One set of flags for both lock files: every platform, Python >= 3.12, hashes.
LOCK_FLAGS := pyproject.toml requirements/build.in --universal --python-version 3.12 --generate-hashes \
              --custom-compile-command "make lock"
# Sphinx's own command line, ended without the interpreter's tear-down (labkb/sphinxext/build_main.py)
SPHINX    := $(PY) -m labkb.sphinxext.build_main -c . docs
NPM       ?= npm
# What npm installs (package.json, locked with integrity hashes in package-lock.json): Pagefind's
# indexer, newer there than on PyPI. `npm ci` puts this platform's binary in node_modules/, where
# labkb.sphinxext.search_index.pagefind_binary() looks before the pagefind-bin-extended wheel.
NODE_DONE := node_modules/.package-lock.json

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

.PHONY: help html test test-latest lock clean serve linkcheck bench lint venv

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

$(VENV)/bin/python:
	@py="$$($(find_python))" || { \
	  echo "error: labkb needs Python 3.12 or newer (python3.13 or python3.12)."; \
	  echo "       Install one (e.g. 'pyenv install 3.13' or your package manager) or set PYTHON=/path/to/python3."; \
	  exit 1; }; \
	echo "creating $(VENV) with $$py"; "$$py" -m venv $(VENV)

# Installs come from the committed lock (exact versions with hashes), never from pyproject's ranges:
# the project itself goes on top with --no-deps. `make lock` regenerates the lock.
$(VENV)/.docs-installed: $(VENV)/bin/python $(LOCK_DOCS) pyproject.toml
	$(PIP) install -q --require-hashes --no-deps -r $(LOCK_DOCS)
	$(PIP) install -q --no-deps --no-build-isolation -e .
	@touch $@

$(VENV)/.test-installed: $(VENV)/.docs-installed $(LOCK_TEST)
	$(PIP) install -q --require-hashes --no-deps -r $(LOCK_TEST)
	@touch $@

# `npm ci` installs exactly the lock (it fails if package.json and the lock disagree) and checks
# every hash; no install script runs (Pagefind's packages have none: the binary is in the tarball).
$(NODE_DONE): package.json package-lock.json
	@if ! command -v $(NPM) >/dev/null 2>&1; then \
	  echo "note: npm (Node.js 18 or newer) is missing, so the site is indexed by the Pagefind of the"; \
	  echo "      pagefind-bin-extended wheel (1.5.2: search as you type about 3x slower) instead of"; \
	  echo "      package-lock.json's. Install npm (e.g. 'apt-get install npm') or set NPM=/path/to/npm."; \
	else \
	  $(NPM) ci --ignore-scripts --no-audit --no-fund && touch $@; \
	fi

venv: $(VENV)/.test-installed $(NODE_DONE)  ## create .venv with everything installed (and node_modules)

html: $(VENV)/.docs-installed $(NODE_DONE)  ## build the site into _build/html (warnings are errors)
	$(SPHINX) $(BUILDDIR)/html -b html -d $(BUILDDIR)/doctrees $(SPHINXOPTS)

test: $(VENV)/.test-installed $(NODE_DONE)  ## run the test suite
	$(PY) -m pytest $(PYTEST_ARGS)

lock: $(VENV)/.test-installed  ## regenerate requirements/*.txt from pyproject (LOCK_ARGS=--upgrade: newest releases) and package-lock.json
	$(PY) -m uv pip compile -q $(LOCK_FLAGS) $(LOCK_ARGS) --extra test -o $(LOCK_TEST)
	$(PY) -m uv pip compile -q $(LOCK_FLAGS) $(LOCK_ARGS) --extra docs -c $(LOCK_TEST) -o $(LOCK_DOCS)
	$(NPM) install --package-lock-only --ignore-scripts --no-audit --no-fund

# Not part of CI: the newest releases that pyproject's ranges allow, in a venv of their own, so that
# drift shows before the lock is refreshed.
LATEST := .venv-latest
test-latest:  ## build and test against the newest releases (not the lock)
	rm -rf $(LATEST)
	$(MAKE) $(LATEST)/bin/python VENV=$(LATEST)
	$(LATEST)/bin/python -m pip install -q --disable-pip-version-check --upgrade -e '.[test]'
	touch $(LATEST)/.docs-installed $(LATEST)/.test-installed
	mkdir -p $(BUILDDIR) && $(LATEST)/bin/python -m pip freeze --exclude-editable > $(BUILDDIR)/latest-freeze.txt
	$(MAKE) html test VENV=$(LATEST) BUILDDIR=$(BUILDDIR)/latest

lint: $(VENV)/.test-installed  ## ruff and mypy (strict on the layers without Sphinx; see pyproject)
	$(PY) -m ruff check ext tests benchmarks conf.py
	$(PY) -m mypy

serve: $(VENV)/.docs-installed $(NODE_DONE)  ## live preview (sphinx-autobuild; see labkb/sphinxext/serve.py)
	$(PY) -m labkb.sphinxext.serve -c . docs $(BUILDDIR)/html -d $(BUILDDIR)/doctrees \
	  --watch ext --watch refs --watch conf.py --ignore '*/_build/*'

linkcheck: $(VENV)/.docs-installed  ## check external links (needs network)
	$(SPHINX) $(BUILDDIR)/linkcheck -b linkcheck -d $(BUILDDIR)/doctrees

clean:  ## remove the build output
	rm -rf $(BUILDDIR)

bench: $(VENV)/.test-installed $(NODE_DONE)  ## benchmark (benchmarks/results.*; the full run takes over an hour)
	$(PY) benchmarks/bench.py $(BENCH_ARGS)
