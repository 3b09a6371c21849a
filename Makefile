# Kenesh: every job is a target here (`make help`). .ci/run, the Dockerfile and the README call
# these targets; they never repeat the commands.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONWARNINGS := ignore::DeprecationWarning

.PHONY: help install run test test-fast test-model test-desk-postgres lint format types kb-lint nlu train eval bench validate clean \
	i18n-extract i18n-update i18n-compile risk-diagram

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

# ---- setup ---------------------------------------------------------------------------------
$(STAMP): requirements.txt constraints.txt pyproject.toml scripts/find-python.sh
	@python=$$(scripts/find-python.sh) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV) || exit 1; fi
	@echo "Installing pinned dependencies into $(VENV) (a few minutes the first time)..."
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	@$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@$(VENV)/bin/rasa telemetry disable >/dev/null
	@touch $@

install: $(STAMP) ## create .venv with Python 3.10 and install the pinned dependencies (run and test do it too)

# ---- the two commands ----------------------------------------------------------------------
run: $(STAMP) ## start the assistant: Telegram with TELEGRAM_BOT_TOKEN, else a terminal chat (trains first if needed)
	@$(PY) -m bot run

test: $(STAMP) ## run the whole test suite (trains the model first if needed)
	@$(PY) -m bot train
	@PYTHONWARNINGS= $(PY) -m pytest -q

test-fast: $(STAMP) ## the inner loop (under a minute): every test that needs no trained model and is not slow
	@PYTHONWARNINGS= $(PY) -m pytest -q -m "not model and not slow and not browser"

test-model: $(STAMP) ## the slow tests and those that need the trained model (trains first if needed)
	@$(PY) -m bot train
	@PYTHONWARNINGS= $(PY) -m pytest -q -m "model or slow"

test-desk-postgres: $(STAMP) ## the desk's tests (not the browser ones) on a throwaway PostgreSQL server (needs postgresql)
	@PYTHONWARNINGS= scripts/with-postgres.sh $(PY) -m pytest -q -m "not browser" tests/desk

# ---- code quality: ruff (lint and format), mypy, import-linter; configured in pyproject.toml --
lint: $(STAMP) ## ruff's checks and formatting check, and the layer contracts
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/lint-imports --no-logo --no-cache

format: $(STAMP) ## format the code and apply ruff's safe fixes
	@$(VENV)/bin/ruff check --fix --quiet . || true
	@$(VENV)/bin/ruff format .

types: $(STAMP) ## mypy on bot/, rasa_project/ and bench/
	@$(VENV)/bin/mypy

# ---- knowledge and model -------------------------------------------------------------------
kb-lint: $(STAMP) ## check the knowledge base
	@$(PY) -m bot kb lint

nlu: $(STAMP) ## regenerate rasa_project/data from knowledge/
	@$(PY) -m bot nlu

train: $(STAMP) ## train the model if what it learns from changed (knowledge/examples/, rasa_project/)
	@$(PY) -m bot train

validate: $(STAMP) ## rasa data validate
	@cd rasa_project && ../$(VENV)/bin/rasa data validate --fail-on-warnings

eval: $(STAMP) ## held-out NLU accuracy per language and topic, confusion pairs
	@$(PY) -m bot train
	@$(PY) -m bot eval

bench: $(STAMP) ## training, load time, latency, throughput, memory; Telegram end to end; recovery after kill -9; desk lookup; handoff
	@$(PY) -m bot train
	@$(PY) -m bench.rasa_bench
	@$(PY) -m bench.telegram_bench
	@$(PY) -m bench.recovery_bench
	@$(PY) -m bench.desk_bench
	@$(PY) -m bench.handoff_bench
	@$(PY) -m bench.live_knowledge_bench
	@$(PY) -m bench.retrain_bench

risk-diagram: $(STAMP) ## draw knowledge/risk_rules.yaml for lawyers: var/risk-diagram/risk-rules.svg and .png (needs graphviz)
	@command -v dot >/dev/null || { echo "Graphviz is needed: sudo apt-get install graphviz (macOS: brew install graphviz)"; exit 1; }
	@$(PY) -m bot risk-diagram

# ---- translations: locales/<lang>/LC_MESSAGES/messages.po, managed by pybabel --------------
PYBABEL := $(VENV)/bin/pybabel
i18n-extract: $(STAMP) ## collect the interface strings from the code into locales/messages.pot
	@$(PYBABEL) extract -F babel.cfg -o locales/messages.pot --project=Kenesh \
		--copyright-holder="Kenesh contributors" -c "Translators:" bot rasa_project/actions

i18n-update: $(STAMP) ## merge messages.pot into every catalog; then translate what is new or fuzzy
	@$(PYBABEL) update -i locales/messages.pot -d locales -D messages --ignore-obsolete

i18n-compile: $(STAMP) ## compile the catalogs to .mo (the bot compiles a newer .po in memory anyway)
	@$(PYBABEL) compile -d locales -D messages --statistics

clean: ## remove the virtualenv, trained models and runtime state
	rm -rf $(VENV) rasa_project/models/*.tar.gz rasa_project/models/*.json rasa_project/models/*.skops rasa_project/.rasa var
