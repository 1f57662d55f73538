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

# One BLAS/OpenMP thread: on this 2-core machine more threads were many times slower.
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export HF_HUB_OFFLINE := 1

.PHONY: demo test install lint bench clean package

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

demo: $(STAMP)
	$(BIN)/odoo-engines demo

test: $(STAMP) $(CHECKOV_STAMP)
	$(BIN)/ruff check shared tests functions
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check shared tests functions

# The functions' archives that Terraform uploads (terraform/build/<name>.zip).
package: $(STAMP)
	$(BIN)/odoo-engines package --out terraform/build

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) .data .pytest_cache terraform/build
