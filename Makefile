# bgtui — the two set-up commands are `make demo` and `make test`.
# Installs come from uv.lock (hashes of every file); `make lock` updates it for review.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
TOOLS  ?= .venv-tools
TOOLS_STAMP := $(TOOLS)/.installed

# uv is kept once per user and version outside the clone, so a fresh clone installs in seconds.
UV_VERSION := 0.13.9
UV_HOME ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/bgtui/uv-$(UV_VERSION)
UV ?= $(UV_HOME)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV
SYNC := $(UV) sync --quiet --locked

.PHONY: demo demo-env test lint typecheck contracts unit terraform-check checkov screenshots \
	bench clean install lock dist wheelhouse guard-package

$(UV):
	@echo "bgtui: fetching uv $(UV_VERSION) (once per user) into $(UV_HOME)"
	@$(PYTHON) -m pip install --quiet --quiet --disable-pip-version-check --root-user-action=ignore \
		--no-warn-script-location --target $(UV_HOME) 'uv==$(UV_VERSION)'

# The demo needs bgtui and the emulator only; development tools already there stay.
demo-env: $(UV)
	@echo "bgtui: installing the demo's packages into $(VENV) (locked)"
	@$(SYNC) --inexact --extra demo

# Bytecode compiled at install (tens of seconds), so tests and benchmarks start as installed
# copies do once warm.
install: $(UV)
	@$(SYNC) --compile-bytecode --extra demo --extra dev

# checkov pins its own boto3/botocore: it lives in a separate environment, locked apart.
$(TOOLS_STAMP): tools/checkov.txt | $(UV)
	@$(UV) venv --quiet --allow-existing $(TOOLS)
	@$(UV) pip sync --quiet --python $(TOOLS)/bin/python --require-hashes tools/checkov.txt
	@touch $(TOOLS_STAMP)

# Re-resolves every dependency to the newest allowed by pyproject.toml; review the diff.
lock: $(UV)
	$(UV) lock --upgrade
	$(UV) pip compile --quiet --universal --python-version 3.11 --generate-hashes --upgrade \
		tools/checkov.in -o tools/checkov.txt

# The wheel (with the Terraform tree inside), the source distribution, and the locked versions
# of everything `bgtui[demo]` needs as hashed pip requirements, in dist/.
dist: $(UV)
	@rm -rf dist
	$(UV) build --quiet --out-dir dist
	$(UV) export --quiet --frozen --extra demo --no-emit-project -o dist/requirements.txt

# Every wheel a bastion without internet needs, for this machine's Python and platform.
wheelhouse: dist
	$(PYTHON) -m pip wheel --quiet --disable-pip-version-check --require-hashes \
		-r dist/requirements.txt -w dist/wheelhouse
	cp dist/*.whl dist/wheelhouse/

# The demo's install skips compiling bytecode (seconds instead of a minute): its first run
# writes the bytecode of what it imports, even where PYTHONDONTWRITEBYTECODE is set.
demo: demo-env
	@env -u PYTHONDONTWRITEBYTECODE $(BIN)/bgtui demo $(ARGS)

lint: install
	$(BIN)/ruff check bgtui tests tools $(GUARD_SOURCE)
	$(BIN)/ruff format --check bgtui tests tools $(GUARD_SOURCE)

# mypy strict over all of bgtui/ with the boto3 stubs; the scope is [tool.mypy] in pyproject.toml.
typecheck: install
	$(BIN)/mypy

contracts: install
	$(BIN)/lint-imports

# The guard's zip is checked in (the module needs no archive provider); tests/guard checks that
# it matches its source byte for byte.
GUARD_SOURCE := terraform/modules/lambda-bluegreen/guard
guard-package:
	$(PYTHON) tools/guard_package.py

terraform-check: install
	$(BIN)/python tools/terraform_checks.py

# BC_SKIP_MAPPING keeps checkov offline (it would fetch guideline links from the internet).
checkov: $(TOOLS_STAMP)
	BC_SKIP_MAPPING=TRUE $(TOOLS)/bin/checkov --quiet --compact -d terraform --framework terraform

# Two workers: much of the suite waits on emulator processes, Terraform and terminals. A test
# file stays on one worker, so its module fixtures (an applied stack, an emulator) are made once.
PYTEST_WORKERS ?= 2
unit: install
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test: lint typecheck contracts terraform-check checkov unit

screenshots: install
	$(BIN)/python tools/screenshots.py screenshots

# ARGS="--quick" runs every benchmark once at minimal size; --only startup,idle picks some.
bench: install
	$(BIN)/python -m tests.bench.run $(ARGS)

clean:
	rm -rf $(VENV) $(TOOLS) dist .pytest_cache .mypy_cache .ruff_cache

# The acceptance run on a sandbox account (README): make aws-check PROFILE=sandbox REGION=eu-west-1
# ENDPOINT_URL=http://127.0.0.1:4599 runs it against `bgtui emulator --empty` instead.
.PHONY: aws-check
aws-check: install
	$(BIN)/python tools/aws_check.py $(if $(PROFILE),--profile $(PROFILE)) \
		$(if $(REGION),--region $(REGION)) $(if $(ENDPOINT_URL),--endpoint-url $(ENDPOINT_URL)) $(ARGS)
