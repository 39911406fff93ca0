# Two entry points do all set-up on a fresh machine: `make app` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: app test lint bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

app: $(STAMP)  ## launch the answering app on ./responses.db with the bundled bank
	$(VENV)/bin/consult

test: $(STAMP)  ## run the whole test suite
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check consult tests benchmarks

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info
