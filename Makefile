# FamilieKracht: `make run` serves the app with demo data, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Local runs are development runs unless DEBUG is set otherwise.
RUN_ENV := DEBUG=$${DEBUG:-1}

.PHONY: install run test lint bench bench-quick worker clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.lock
	touch $@

# Test tools from the npm registry (axe-core, the Nu HTML checker), pinned in package-lock.json.
tests/frontend/node_modules/.installed: tests/frontend/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd tests/frontend && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else \
		echo "npm not found: accessibility and HTML checks will be skipped"; \
	fi

install: $(VENV)/.installed

run: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed_demo --if-empty
	$(RUN_ENV) $(BIN)/python manage.py run_reminders
	@if [ -n "$$REDIS_URL" ]; then \
		echo "REDIS_URL is set: starting a Celery worker (with the beat schedule) beside the server"; \
		trap 'kill 0' EXIT INT TERM; \
		$(RUN_ENV) $(BIN)/celery -A familiekracht worker --beat --loglevel=INFO --concurrency=2 & \
		$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT); \
	else \
		$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT); \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

test: install tests/frontend/node_modules/.installed lint
	$(BIN)/python manage.py check
	$(BIN)/pytest -n $${PYTEST_WORKERS:-2} --dist loadgroup

# Every benchmark at 1,000 and 10,000 active families and the load test (about 15 minutes).
# BENCH=bench_pages runs only the modules named.
bench: install
	$(BIN)/python tests/benchmarks/run.py $(BENCH)

# The developer's loop: small sizes (100 and 1,000 families) and few repetitions.
bench-quick: install
	BENCH_QUICK=1 $(BIN)/python tests/benchmarks/run.py $(BENCH)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
