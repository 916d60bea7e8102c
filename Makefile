# bgtui — the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TOOLS  ?= .venv-tools
TOOLS_STAMP := $(TOOLS)/.installed

.PHONY: demo test lint typecheck contracts unit terraform-check checkov screenshots bench clean install

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[demo,dev]'
	touch $(STAMP)

# checkov pins its own boto3/botocore: it lives in a separate environment.
$(TOOLS_STAMP):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet 'checkov>=3.2,<4'
	touch $(TOOLS_STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/bgtui demo $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check bgtui tests
	$(BIN)/ruff format --check bgtui tests

typecheck: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

terraform-check: $(STAMP)
	$(BIN)/python -m bgtui.adapters.terraform_checks

# BC_SKIP_MAPPING keeps checkov offline (it would fetch guideline links from the internet).
checkov: $(TOOLS_STAMP)
	BC_SKIP_MAPPING=TRUE $(TOOLS)/bin/checkov --quiet --compact -d terraform --framework terraform

unit: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

test: lint typecheck contracts terraform-check checkov unit

screenshots: $(STAMP)
	$(BIN)/python -m bgtui.ui.screenshots screenshots

# ARGS="--quick" runs every benchmark once at minimal size; --only startup,idle picks some.
bench: $(STAMP)
	$(BIN)/python -m tests.bench.run $(ARGS)

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache

# The acceptance run on a sandbox account (README): make aws-check PROFILE=sandbox REGION=eu-west-1
# ENDPOINT_URL=http://127.0.0.1:4599 runs it against `bgtui emulator --empty` instead.
.PHONY: aws-check
aws-check: $(STAMP)
	$(BIN)/python tools/aws_check.py $(if $(PROFILE),--profile $(PROFILE)) \
		$(if $(REGION),--region $(REGION)) $(if $(ENDPOINT_URL),--endpoint-url $(ENDPOINT_URL)) $(ARGS)
