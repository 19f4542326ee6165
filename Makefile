# raycourse: every job has one entry point. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Sphinx options for the strict build: warnings are errors, broken references
# are warnings (so errors), and every problem is reported before stopping.
STRICT := -W -n --keep-going

.PHONY: help setup book book-strict test lint unit grader serve bench clean

help: ## Show this help
	@echo "raycourse make targets:"
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[book,test]"
	touch $@

setup: $(STAMP) ## Create .venv and install the package, the book stack and the test tools

book: $(STAMP) ## Build the site into _build/html (cached execution for unchanged pages)
	$(BIN)/jupyter-book build .

book-strict: $(STAMP) ## Build the site from scratch, executing every page, warnings as errors
	rm -rf _build/.jupyter_cache
	$(BIN)/jupyter-book build . --all $(STRICT)

lint: $(STAMP) ## Check the code with ruff (lint and format)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: $(STAMP) ## Run the unit tests of the raycourse package
	$(BIN)/pytest tests --ignore=tests/exercises

grader: $(STAMP) ## Check the reference solutions with the exercise grader
	$(BIN)/pytest tests/exercises --solutions

test: lint unit grader book-strict ## Run every check: lint, unit tests, grader, strict book build

serve: ## Serve _build/html on $(HOST):$(PORT)
	@test -f _build/html/index.html || { echo "No site yet: run 'make book' first."; exit 1; }
	@echo "Serving the site at http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(PYTHON) -m http.server $(PORT) --bind $(HOST) --directory _build/html

clean: ## Remove the built site and caches (keeps .venv)
	rm -rf _build .pytest_cache .ruff_cache
