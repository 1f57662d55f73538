# The two commands of the README: `make demo` and `make test`. Everything the product
# and its tests need is installed from here (Python packages and Debian packages).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM_STAMP := .data/.system-packages
# checkov pins old dependencies (packaging, openai<1): it gets a virtualenv of its own.
CHECKOV_VERSION := 3.3.30
CHECKOV_VENV := .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed-$(CHECKOV_VERSION)
BROWSER_STAMP := .data/.browser-packages
# The browser tests drive Debian's Chromium: Playwright cannot download its own here.
BROWSER_PACKAGES := chromium fonts-liberation
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# One BLAS/OpenMP thread: on this 2-core machine more threads were many times slower.
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export HF_HUB_OFFLINE := 1

.PHONY: demo test install browser lint bench clean package

install: $(STAMP) $(CHECKOV_STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: Python 3.11 or newer is needed (set PYTHON=python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

$(CHECKOV_STAMP):
	rm -rf $(CHECKOV_VENV)
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/pip install --quiet 'checkov==$(CHECKOV_VERSION)'
	touch $(CHECKOV_STAMP)

# apt-get only when something is missing; the stamp keeps later runs from asking dpkg.
browser: $(BROWSER_STAMP)

$(BROWSER_STAMP):
	@if command -v chromium >/dev/null && dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1; then \
		echo "chromium is installed"; \
	else \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $(BROWSER_PACKAGES); \
	fi
	@mkdir -p $(dir $@) && touch $@

demo: $(STAMP)
	$(BIN)/odoo-engines demo

test: $(STAMP) $(CHECKOV_STAMP) $(BROWSER_STAMP)
	$(BIN)/ruff check shared tests functions
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check shared tests functions

# Every benchmark script, one after the other (about 30 minutes; figures in the README).
BENCHES := sandbox_odoo odoo_client embeddings products orders forecast_accuracy \
	forecast_competitions forecast_speed knowledge enrichment reliability real_odoo archives
bench: $(STAMP)
	@for b in $(BENCHES); do echo "== tests/bench/$$b.py"; $(BIN)/python tests/bench/$$b.py || exit 1; done

# The functions' archives that Terraform uploads (terraform/build/<name>.zip).
package: $(STAMP)
	$(BIN)/odoo-engines package --out terraform/build

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) .data .pytest_cache terraform/build
