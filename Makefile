# Every target bootstraps .venv from pyproject.toml with the exact versions in tests/requirements.lock,
# so a fresh clone needs only `make run` / `make test`.
PY ?= python3
# Test workers and the `smjob` subprocesses the tests start reuse compiled bytecode (an environment
# that forbids writing it makes every process recompile smjob and pytest's rewritten asserts).
unexport PYTHONDONTWRITEBYTECODE
VENV := .venv
BIN := $(VENV)/bin
LOCK := tests/requirements.lock
PIP := $(BIN)/pip install -q -c $(LOCK)
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test check lint format bench screenshots lock clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# `make run` needs the app and the local endpoint only, not the test tools.
$(RUN_STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(PIP) -e '.[local]'
	touch $@

$(TEST_STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(PIP) -e '.[local,test]'
	touch $@

run: $(RUN_STAMP)
	$(BIN)/smjob demo --local

# Everything CI runs: lint, format check, every test (20,000 fuzzed requests, every snapshot).
# Four workers on two cores: much of the suite waits (tmux screens, moto, Textual going idle),
# measured 3 min 37 s against 4 min 19 s with two.
test: $(TEST_STAMP) lint
	$(BIN)/pytest -n 4 --dist worksteal

# The edit loop: lint and the tests minus the slow fuzzing, tmux and snapshot suites.
check: $(TEST_STAMP) lint
	$(BIN)/pytest -n 4 --dist worksteal -m "not slow"

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(TEST_STAMP)
	$(BIN)/python -m tests.support.bench

screenshots: $(TEST_STAMP)
	$(BIN)/python -m tests.support.screenshots

# Re-pin every dependency to the newest allowed release (then regenerate snapshots on purpose).
lock: | $(BIN)/python
	$(BIN)/pip install -q -U -e '.[local,test]'
	( head -2 $(LOCK); $(BIN)/pip freeze --all --exclude-editable | grep -v '^pip==' ) > $(LOCK).new && mv $(LOCK).new $(LOCK)

clean:
	rm -rf $(VENV) build *.egg-info
