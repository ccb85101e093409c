# Build, test and lint entry points for incident-constructs.
#
# Needs only python3 (>= 3.10) and node + npm on PATH. Everything else is
# installed into the working tree:
#   .venv/         python3 -m venv, pinned requirements.txt, then this
#                  library in editable mode (pip install -e . --no-deps)
#   node_modules/  npm ci from package-lock.json: the aws-cdk CLI, a Node 22
#                  binary (node_modules/.bin/node, preferred by jsii) and the
#                  SSM document JSON schema used by the tests
#
# Stamp files inside .venv/ and node_modules/ make the set-up idempotent: it
# is redone only when requirements.txt / pyproject.toml or package.json /
# package-lock.json change (or when the directory is removed).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
NPM ?= npm

VENV := .venv
VENV_PY := $(VENV)/bin/python
VENV_BIN := $(CURDIR)/$(VENV)/bin
NODE_BIN := $(CURDIR)/node_modules/.bin
CDK_OUT := cdk.out

PY_STAMP := $(VENV)/.requirements.stamp
# The stamp's name changes once incident_constructs/__init__.py exists, so that an
# editable install made before the package existed (which maps nothing) is redone.
PKG_STAMP := $(VENV)/.editable-install$(if $(wildcard incident_constructs/__init__.py),,-nopkg).stamp
NPM_STAMP := node_modules/.npm-ci.stamp
# cdk-nag 2.x beside the pinned 3.x (they cannot share site-packages): the tests check that the
# README's v2 suppressions work too, in a subprocess with this folder first on sys.path.
CDK_NAG_V2 := 2.38.2
NAG2_STAMP := $(VENV)/cdk-nag-$(CDK_NAG_V2)/.stamp

# Extra arguments, e.g. `make test PYTEST_ARGS="-n 2 -k contacts"`.
PYTEST_ARGS ?=
CDK_ARGS ?=
BENCH_ARGS ?=

# Environment for everything that runs the CDK app (jsii starts `node` from
# PATH) or the CDK CLI (whose app command is `python3 app.py`):
# node_modules/.bin first so jsii gets Node 22, then the venv's bin so that
# `python3` is the venv's interpreter.
TOOL_ENV := env \
	PATH="$(NODE_BIN):$(VENV_BIN):$$PATH" \
	JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION=1 \
	JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1 \
	CDK_DISABLE_VERSION_CHECK=1 \
	CDK_DISABLE_CLI_TELEMETRY=true \
	AWS_EC2_METADATA_DISABLED=true

# Inputs of the CDK app: a change in any of them makes `make lint` re-synth.
APP_SOURCES := $(wildcard app.py cdk.json) \
	$(shell find incident_constructs stacks runbooks -type f \
		\( -name '*.py' -o -name '*.json' -o -name '*.yaml' -o -name '*.yml' \) \
		-not -path '*/__pycache__/*' 2>/dev/null)

define CDK_SYNTH
rm -rf $(CDK_OUT)
$(TOOL_ENV) $(NODE_BIN)/cdk synth --quiet --no-notices --output $(CDK_OUT) $(CDK_ARGS)
endef

.PHONY: help deps py-deps node-deps synth test bench lint ruff mypy cfn-lint clean distclean

help:
	@echo "Targets:"
	@echo "  make synth      set up .venv + node_modules, cdk synth into $(CDK_OUT)/, print a summary"
	@echo "  make test       set up .venv + node_modules, run the whole pytest suite"
	@echo "  make lint       ruff check, ruff format --check, mypy --strict, cfn-lint on $(CDK_OUT)/*.template.json"
	@echo "  make bench      run 'python -m benchmarks' when a benchmarks/ package exists"
	@echo "  make deps       only set up .venv and node_modules"
	@echo "  make clean      remove $(CDK_OUT)/, caches and build output"
	@echo "  make distclean  clean, and remove .venv/ and node_modules/ too"

# --- prerequisites -----------------------------------------------------------

deps: py-deps node-deps
py-deps: $(PKG_STAMP) $(NAG2_STAMP)
node-deps: $(NPM_STAMP)

$(VENV)/pyvenv.cfg:
	$(PYTHON) -m venv $(VENV)

$(PY_STAMP): requirements.txt $(VENV)/pyvenv.cfg
	$(VENV_PY) -m pip install --quiet --no-input --disable-pip-version-check -r requirements.txt
	touch $@

$(NAG2_STAMP): $(PY_STAMP)
	rm -rf $(VENV)/cdk-nag-$(CDK_NAG_V2)
	$(VENV_PY) -m pip install --quiet --no-input --disable-pip-version-check --no-deps \
		--target $(VENV)/cdk-nag-$(CDK_NAG_V2) cdk-nag==$(CDK_NAG_V2)
	touch $@

# Re-done when pyproject.toml or the requirements change.
$(PKG_STAMP): pyproject.toml $(PY_STAMP)
	$(VENV_PY) -m pip install --quiet --no-input --disable-pip-version-check --no-deps -e .
	touch $@

# npm ci deletes node_modules/ first, so it runs with the system node/npm.
# The `node` package fetches its platform binary in a preinstall script
# (allowed by "allowScripts" in package.json); check that it really did.
$(NPM_STAMP): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund
	@v="$$(node_modules/.bin/node --version 2>/dev/null || true)"; \
	case "$$v" in \
	  v22.*) echo "node_modules/.bin/node is $$v" ;; \
	  *) echo "error: node_modules/.bin/node should be Node 22 but is '$$v';" \
	          "did the preinstall script of the 'node' package run?" >&2; exit 1 ;; \
	esac
	touch $@

# --- synth -------------------------------------------------------------------

synth: deps
	$(CDK_SYNTH)
	$(VENV_PY) scripts/summary.py $(CDK_OUT)
	@echo
	@echo "What an incident under the example's response plan does, minute by minute:"
	$(TOOL_ENV) $(VENV_BIN)/incident-constructs timeline EC2HighCPU --assembly $(CDK_OUT) --minutes 15

# File target used by `make lint`: synthesizes only when the app changed.
$(CDK_OUT)/manifest.json: $(APP_SOURCES) $(PKG_STAMP) $(NPM_STAMP)
	$(CDK_SYNTH)

# --- test / bench ------------------------------------------------------------

test: deps
	$(TOOL_ENV) $(VENV_PY) -m pytest $(PYTEST_ARGS)

bench: deps
	@if [ -f benchmarks/__main__.py ] || [ -f benchmarks/__init__.py ]; then \
	  echo "$(TOOL_ENV) $(VENV_PY) -m benchmarks $(BENCH_ARGS)"; \
	  $(TOOL_ENV) $(VENV_PY) -m benchmarks $(BENCH_ARGS); \
	else \
	  echo "make bench: there is no benchmarks/ package in this repository" \
	       "(expected benchmarks/__main__.py); nothing to run."; \
	fi

# --- lint --------------------------------------------------------------------

# -k: run every check even when one fails, then fail if any did.
lint:
	$(MAKE) --no-print-directory -k ruff mypy cfn-lint

ruff: py-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# mypy --strict over the package, the example app and the benchmark (files in pyproject.toml).
mypy: py-deps
	$(VENV_PY) -m mypy

cfn-lint: py-deps $(CDK_OUT)/manifest.json
	@shopt -s nullglob; \
	templates=($(CDK_OUT)/*.template.json $(CDK_OUT)/assembly-*/*.template.json); \
	if [ $${#templates[@]} -eq 0 ]; then \
	  echo "error: no *.template.json in $(CDK_OUT)/" >&2; exit 1; \
	fi; \
	echo "cfn-lint $${templates[*]}"; \
	$(VENV)/bin/cfn-lint --non-zero-exit-code warning -- "$${templates[@]}"

# --- cleaning ----------------------------------------------------------------

clean:
	rm -rf $(CDK_OUT) build dist *.egg-info .pytest_cache .mypy_cache .hypothesis
	find . \( -path ./$(VENV) -o -path ./node_modules -o -path ./.git \) -prune \
		-o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) node_modules
