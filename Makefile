# ogi: make help lists the targets.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help venv data reports test lint bench lab clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}'

venv: $(STAMP) ## Create .venv and install ogi with dev extras (re-runs only when pyproject.toml changes)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -e '.[dev,dask]'
	touch $(STAMP)

data: $(STAMP) ## Extract data/raw into data/processed
	mkdir -p data/processed
	$(BIN)/ogi extract data/raw --out data/processed

reports: venv data ## The main job: set up, extract data/raw, render every region's HTML report into reports/
	$(BIN)/ogi render --data data/processed --out reports

test: venv ## Run the test suite
	$(BIN)/python -m pytest -q

lint: venv ## Lint with ruff
	$(BIN)/ruff check analysis tests benchmarks

bench: venv ## Run the extraction and rendering benchmarks (minutes; prints figures)
	$(BIN)/python benchmarks/extract.py
	$(BIN)/python benchmarks/render.py

# JupyterLab settings live inside the venv, so `.py` notebooks open as notebooks by double-click
# without touching the user's own Jupyter configuration.
LAB_CONFIG := $(abspath $(VENV))/jupyter-config

lab: venv ## Open JupyterLab on notebooks/ (the .py files open as notebooks)
	JUPYTER_CONFIG_DIR=$(LAB_CONFIG) $(BIN)/jupytext-config set-default-viewer python
	JUPYTER_CONFIG_DIR=$(LAB_CONFIG) $(BIN)/jupyter lab --allow-root notebooks/

clean: ## Remove the venv, caches and generated outputs
	rm -rf $(VENV) data/processed build dist *.egg-info .pytest_cache .ruff_cache .hypothesis
	rm -rf reports/*.html reports/*.csv reports/.render reports/.render-state.json
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
