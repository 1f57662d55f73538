# The two commands of the README: `make demo` and `make test`. Everything the product
# and its tests need is installed from here (Python packages and Debian packages).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM_STAMP := .data/.system-packages
BROWSER_STAMP := .data/.browser-packages
# The browser tests drive Debian's Chromium: Playwright cannot download its own here.
BROWSER_PACKAGES := chromium fonts-liberation
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# One BLAS/OpenMP thread: on this 2-core machine more threads were many times slower.
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export HF_HUB_OFFLINE := 1

.PHONY: demo test install browser lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: Python 3.11 or newer is needed (set PYTHON=python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

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

test: $(STAMP) $(BROWSER_STAMP)
	$(BIN)/ruff check shared tests functions
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check shared tests functions

clean:
	rm -rf $(VENV) .data .pytest_cache
