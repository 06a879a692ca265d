# The documented way to do things: make run, make test, make lint, make bench.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum requirements-dev.lock | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
# A test module stays on one worker (its module fixtures once). One worker more than cores:
# workers also wait (a browser page settling, a subprocess starting, a worker polling), and the
# extra one fills those gaps; on 2 idle cores the SQLite run went from 9:14 to 6:29 with 3.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))

.PHONY: setup db run prod test test-sqlite test-postgres lint typecheck format bench soak messages clean

# Development and the suite install requirements-dev.lock (runtime + test tools); a production
# install takes requirements.lock alone, so it gets no test tools.
$(STAMP): requirements-dev.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "SiLAHAP needs Python 3.11; set PYTHON=/path/to/python3.11")'
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.lock
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)

db: setup
	$(PY) manage.py db_ensure
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_areas

# The demo's accounts have no authenticator: none turns the second factor off.
run: db
	$(PY) manage.py seed_demo
	SILAHAP_SECOND_FACTOR_ROLES=none PY=$(PY) bin/run-dev $(HOST):$(PORT)  # runserver, plus the task worker and the scheduler

# Production: gunicorn, the task worker and the scheduler, after migrating under a lock (README,
# "Production serving"); the environment gives SILAHAP_ENV=production and its settings.
prod: setup
	PY=$(PY) bin/run-prod all $(HOST):$(PORT)

test: setup
	SILAHAP_ENV=test $(PY) manage.py db_ensure
	SILAHAP_ENV=test $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	SILAHAP_ENV=test $(VENV)/bin/mypy silahap
	$(PY) manage.py makemigrations --check --dry-run

# mypy with the Django stubs over the product code (tests, demo and test helpers left out); part of
# make lint and CI, where it must stay clean.
typecheck: setup
	SILAHAP_ENV=test $(VENV)/bin/mypy silahap

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: db
	SILAHAP_ENV=test SILAHAP_BENCH=1 $(PY) -m pytest -q -s silahap/reports/tests/test_field_speed_browser.py
	@echo "field filing on slow 3G:" && cat var/bench/field_speed.json
	SILAHAP_ENV=test SILAHAP_BENCH=1 $(PY) -m pytest -q -s silahap/reports/tests/test_evidence_resize_browser.py
	@echo "a 6 MB camera photo on slow 3G, resized on the phone:" && cat var/bench/photo_upload.json
	SILAHAP_ENV=test SILAHAP_BENCH=1 $(PY) -m pytest -q -s silahap/accounts/tests/test_page_bytes_browser.py
	@echo "bytes per page, every role, as Chromium received them:" && cat var/bench/page_bytes.json
	SILAHAP_ENV=test SILAHAP_IMPORT_TEST_ROWS=50000 $(PY) -m pytest -q -s silahap/registry/tests/test_import_large.py
	SILAHAP_ENV=test SILAHAP_BENCH=1 $(PY) -m pytest -q -s silahap/guidance/tests/test_tutorial_playback_browser.py
	@echo "tutorial playback on a slow phone:" && cat var/bench/tutorial_playback.json
	$(PY) manage.py bench_scale $(BENCH_SCALE_ARGS)
	$(PY) manage.py bench $(BENCH_ARGS)
	$(PY) manage.py api_bench $(API_BENCH_ARGS)
	SILAHAP_ENV=test $(PY) manage.py bench_insights $(BENCH_INSIGHTS_ARGS)  # the analyst signs in without a second factor
	$(PY) manage.py bench_storage $(BENCH_STORAGE_ARGS)
	SILAHAP_ENV=test $(PY) manage.py bench_mrz_photo $(BENCH_MRZ_PHOTO_ARGS)
	SILAHAP_ENV=test $(PY) -m pytest -q -s silahap/reports/tests/test_check_camera_browser.py
	@echo "document photo, bytes sent by the phone:" && cat var/bench/mrz_photo_bytes.json
	$(PY) manage.py operations_bench $(OPERATIONS_BENCH_ARGS)
	$(PY) manage.py bench_submit $(BENCH_SUBMIT_ARGS)
	$(PY) manage.py bench_audit $(BENCH_AUDIT_ARGS)  # PostgreSQL only; says so and skips on SQLite

# Soak and faults against deploy/local-cluster (issue #20 item 7; not in CI; README, "Soak"):
# about 20 minutes. The load tool, locust, has its own venv from requirements-soak.lock: it
# brings gevent and a pytest plugin that the suite's venv must not load.
SOAK_VENV := .venv-soak
SOAK_STAMP := $(SOAK_VENV)/.installed-$(shell sha256sum requirements-soak.lock | cut -c1-12)

$(SOAK_STAMP): requirements-soak.lock
	@test -x $(SOAK_VENV)/bin/python || $(PYTHON) -m venv $(SOAK_VENV)
	$(SOAK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-soak.lock
	@rm -f $(SOAK_VENV)/.installed-* && touch $(SOAK_STAMP)

soak: setup $(SOAK_STAMP)
	PY=$(PY) $(PY) bin/soak

messages: setup
	$(PY) manage.py makemessages -l id --ignore=.venv --ignore=var --ignore=static/vendor
	$(PY) manage.py compilemessages -l id --ignore=.venv

clean:
	rm -rf $(VENV) var
