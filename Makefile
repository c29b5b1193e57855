# Lotsen — every entry point. Two Python 3.10 environments (.venv/bot for Rasa, .venv/app for the rest),
# built from the pinned requirement files; nobody activates anything by hand.
SHELL := /bin/bash
PY310 := $(shell if command -v pyenv >/dev/null 2>&1 && pyenv prefix 3.10 >/dev/null 2>&1; then echo "$$(pyenv prefix 3.10)/bin/python"; else command -v python3.10; fi)
BOT := .venv/bot/bin
APP := .venv/app/bin
export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false

.PHONY: run test lint test-fast eval eval-answers bench bench-training bench-input bench-publish admin content-report content-export db catalogs inputs model widget browser screenshots env clean

run: env widget ## Start Lotsen on http://localhost:8000 (SQLite, everything local)
	$(APP)/python -m launcher

test: env lint widget browser model ## The whole suite: lint and layers, unit, integration (SQLite + PostgreSQL), Rasa checks, end to end, browser
	$(BOT)/python -m pytest -q -p no:cacheprovider --confcutdir tests/bot tests/bot
	$(APP)/python -m pytest -q tests --ignore tests/bot

lint: env ## ruff, and the import contracts that keep the layers (.importlinter)
	$(APP)/ruff check .
	$(APP)/lint-imports

test-fast: env lint widget ## Unit and integration tests only (no model training)
	$(APP)/python -m pytest -q tests --ignore tests/bot -m "not e2e"

eval: model ## NLU per language (Lotsen vs Rasa's default pipeline) and answers end to end -> bench/results/
	$(BOT)/python -m bench.eval_nlu
	$(APP)/python -m bench.eval_answers

eval-answers: model ## Answer-level evaluation on the real stack -> bench/results/answers.{json,md}
	$(APP)/python -m bench.eval_answers

bench: env ## Latency benchmark -> bench/results/latency.json
	$(APP)/python -m bench.latency

bench-training: inputs ## Training time from an empty Rasa cache, 3 runs -> bench/results/training.json
	$(BOT)/python -m bench.training

bench-publish: env ## New topics answered before/after Publish, retrieval thresholds, model swap under load -> bench/results/new_topics.{json,md}
	$(APP)/python -m bench.new_topics

bench-input: model ## Parse time of 1k/10k/100k-character messages, text and one repeated character -> bench/results/input_limits.json
	$(BOT)/python -m bench.input_limits

admin: env ## Create the first staff admin: make admin EMAIL=you@kommun.se (asks for the password)
	$(APP)/python -m catalog.migrate
	$(APP)/python -m catalog.staff "$(EMAIL)" --role admin

content-report: env ## Stale, missing or dubious content -> exit 1 when anything needs attention
	$(APP)/python -m catalog.report

content-export: env ## Write the database's content (staff edits) back to data/catalog -> review it with git diff
	$(APP)/python -m catalog.export_yaml

db: env
	$(APP)/python -m catalog.migrate && $(APP)/python -m catalog.seed

catalogs: env
	$(APP)/pybabel extract -F locales/babel.cfg -k N_ --no-location --sort-output --project=Lotsen --copyright-holder="Lotsen contributors" -o locales/messages.pot .
	$(APP)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching
	$(APP)/pybabel compile -d locales -D messages --statistics
	$(APP)/pybabel extract -F locales/babel-admin.cfg --no-location --sort-output --project=Lotsen --copyright-holder="Lotsen contributors" -o locales/admin.pot .
	$(APP)/pybabel update -i locales/admin.pot -d locales -D admin -l sv --no-fuzzy-matching
	$(APP)/pybabel compile -d locales -D admin -l sv --statistics

inputs: env db ## Compiled catalogs and the exported training inputs (.build/train)
	$(APP)/python -c "from launcher.stack import compile_catalogs; compile_catalogs()"
	$(APP)/python -m bot.build.export

model: inputs
	$(APP)/python -m bot.build.model

env: .venv/bot/.installed .venv/app/.installed

.venv/bot/.installed: requirements/bot.txt
	@test -n "$(PY310)" || { echo "Python 3.10 is needed (pyenv install 3.10 or apt/brew python3.10)"; exit 1; }
	$(PY310) -m venv .venv/bot
	$(BOT)/pip install -q --upgrade pip wheel
	$(BOT)/pip install -q -r requirements/bot.txt
	touch $@

.venv/app/.installed: requirements/app.txt
	@test -n "$(PY310)" || { echo "Python 3.10 is needed (pyenv install 3.10 or apt/brew python3.10)"; exit 1; }
	$(PY310) -m venv .venv/app
	$(APP)/pip install -q --upgrade pip wheel
	$(APP)/pip install -q -r requirements/app.txt
	touch $@

widget: api/web/static/vendor/socket.io.min.js

api/web/static/vendor/socket.io.min.js: api/web/package.json api/web/package-lock.json
	cd api/web && npm ci --silent --no-audit --no-fund
	mkdir -p api/web/static/vendor
	cp api/web/node_modules/socket.io-client/dist/socket.io.min.js $@

# The browser tests' driver: playwright-core (no browser download; it drives Debian's /usr/bin/chromium) and axe-core.
browser: tests/browser/node_modules/.package-lock.json

tests/browser/node_modules/.package-lock.json: tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --silent --no-audit --no-fund

screenshots: env widget browser model ## Full-page screenshots of every admin page (real stack, Chromium) -> docs/screenshots/admin-*.png
	SCREENSHOT_DIR=$(CURDIR)/docs/screenshots $(APP)/python -m pytest -q tests/browser

clean:
	rm -rf .build .run
