# The two commands a newcomer needs:
#   make serve   install what the site needs, then serve it with live reload
#   make test    install everything the tests need, then run them all
# and, after changing a notebook or the trainlab package:
#   make notebooks   execute the notebooks whose inputs changed
# Everything Python goes into .venv, browser-side checks into node_modules (npm);
# system packages come from Debian's apt.

VENV   ?= .venv
PY     := $(VENV)/bin/python
PYTHON ?= python3
HOST   ?= 127.0.0.1
PORT   ?= 8000
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages the tests use: a real browser for the end-to-end tests and
# the official Fashion-MNIST files the notebooks train on.
SYSTEM_PACKAGES := chromium dataset-fashion-mnist

export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build offline fsrs test test-fast notebooks benchmark bench-build bench-scale bench-search lighthouse system-deps clean

serve: $(VENV)/.site-installed
	@echo "Serving the site at http://$(HOST):$(PORT)/ (edit docs/questions.yml and the page reloads; Ctrl+C stops)"
	$(PY) -m mkdocs serve --livereload --dev-addr $(HOST):$(PORT)

build: $(VENV)/.site-installed
	$(PY) -m mkdocs build --strict

# A copy that opens from disk (file://, no server): site-offline/index.html. See mkdocs.offline.yml.
# Search from disk needs a stand-in for Web Workers: npm's iframe-worker (pinned), copied in unchanged.
offline: $(VENV)/.site-installed node_modules/.installed
	install -D -m 644 node_modules/iframe-worker/shim/index.js offline/assets/javascripts/iframe-worker.js
	$(PY) -m mkdocs build --strict --config-file mkdocs.offline.yml --site-dir site-offline

# Practice mode's scheduler is npm's ts-fsrs (pinned in package.json), served from the site's own
# assets and committed, so `make serve` needs no Node. After changing its pin: make fsrs, then commit.
fsrs: node_modules/.installed
	install -D -m 644 node_modules/ts-fsrs/dist/index.umd.js docs/assets/javascripts/vendor/ts-fsrs.umd.js

# On every core: worksteal hands a worker that runs out of tests some of another's, since a notebook
# re-run takes as long as a hundred other tests.
test: $(VENV)/.dev-installed node_modules/.installed system-deps
	$(PY) -m pytest -n auto --dist worksteal

# Without the browser, build and serve tests: quick feedback while editing, on every core.
test-fast: $(VENV)/.dev-installed
	$(PY) -m pytest -m "not browser and not slow" -n auto

notebooks: $(VENV)/.dev-installed system-deps
	$(PY) -m trainlab.runner

benchmark: $(VENV)/.dev-installed system-deps
	$(PY) tests/benchmarks/bench_training.py

# Cold and warm build, save-to-reload under `mkdocs serve`, site size.
bench-build: $(VENV)/.dev-installed system-deps
	$(PY) tests/benchmarks/bench_build.py

# 15, 150 and 1,000 questions: build time and page weight; tab switching on a 250-question page; bad input rejected.
bench-scale: $(VENV)/.dev-installed system-deps
	$(PY) tests/benchmarks/bench_scale.py

# Search: precision at 1 and 3 of tests/search_queries.py through Material's own worker, index size, misses.
bench-search: $(VENV)/.dev-installed
	$(PY) tests/benchmarks/bench_search.py

# Lighthouse scores (mobile): home, largest Q&A and notebook pages, the playground, the practice quiz.
lighthouse: $(VENV)/.dev-installed node_modules/.installed system-deps
	$(PY) tests/benchmarks/bench_lighthouse.py

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# axe-core for the accessibility tests and Lighthouse for its benchmark, pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# pip byte-compiles what it installs on one core (torch alone is thousands of files): 63 s for the test
# packages here. Installing without that and compiling on every core takes 45 s. Like pip, skip files that
# do not compile on this Python (torch ships one written for 3.12).
COMPILE = $(PY) -m compileall -qq -j 0 $(VENV)/lib || true

$(VENV)/.site-installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --no-compile -r requirements.txt
	$(COMPILE)
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --no-compile -r requirements-dev.txt
	$(COMPILE)
	touch $@ $(VENV)/.site-installed

clean:
	rm -rf site site-offline .pytest_cache .cache
