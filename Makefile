# Two entry points do all set-up on a fresh machine: `make app` and `make test`.
# `make app` installs only what the app needs; `make test` adds the test tools. pip's output goes
# to $(LOG), shown (its end) only when an install fails, so a member sees one line of progress.
VENV ?= .venv
PY := $(VENV)/bin/python
LOG := $(VENV)/install.log
APP_STAMP := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test

.PHONY: app test lint bench clean

# $(call pip_quiet,WHAT,ARGS): one line of progress; on failure, where the log is and its last lines.
define pip_quiet
	@echo "Setting up consult: installing $(1) into $(VENV) (first time only)..."
	@$(PY) -m pip install --disable-pip-version-check $(2) >>$(LOG) 2>&1 || { \
		echo "make: installing $(1) failed; the last lines of $(LOG):" >&2; \
		tail -n 15 $(LOG) >&2; \
		echo "make: the full log is $(LOG)" >&2; exit 1; }
endef

$(PY):
	@python3 -m venv $(VENV) || { echo "make: could not create $(VENV): install python3-venv (Python 3.11+)" >&2; exit 1; }

$(APP_STAMP): pyproject.toml | $(PY)
	$(call pip_quiet,the app,-e .)
	@touch $@

$(TEST_STAMP): pyproject.toml $(APP_STAMP)
	$(call pip_quiet,the test tools,-e '.[test]')
	@touch $@

app: $(APP_STAMP)  ## launch the answering app on ./responses.db with the bundled bank
	@$(VENV)/bin/consult

test: $(TEST_STAMP)  ## run the whole test suite
	$(PY) -m pytest -q

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check consult tests benchmarks

bench: $(TEST_STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info
