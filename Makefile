# OnlineShop: `make run` starts the whole shop, `make test` checks it. Needs Python 3.11+ (uv is
# installed on first use when it is missing) and, for the storefront, Node.js 20 with npm.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv from PATH, else the one `pip install --user` put in Python's user site (the scripts
# folder differs between Linux and macOS, the module does not).
UV ?= $(or $(shell command -v uv 2>/dev/null),python3 -m uv)
export UV_PYTHON_DOWNLOADS := never

.PHONY: help uv install frontend client system-deps run test lint format migrate migration clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

uv:
	@$(UV) --version >/dev/null 2>&1 || { \
		echo "uv is missing: installing it with pip (user install) …"; \
		python3 -m pip install --user uv || python3 -m pip install --user --break-system-packages uv; \
	}

install: uv ## Create .venv with the locked dependencies
	$(UV) sync --frozen

# The storefront's npm packages: `npm ci` only when node_modules is missing or older than the
# lock file (the stamp lives inside node_modules, so deleting that folder reinstalls; `onlineshop
# run` reads and writes the same stamp).
FRONTEND_STAMP := frontend/node_modules/.npm-ci.stamp
frontend: $(FRONTEND_STAMP) ## Install the storefront's npm packages (npm ci) when needed

$(FRONTEND_STAMP): frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

client: install frontend ## Regenerate the typed API client (frontend/openapi.json, schema.d.ts)
	$(UV) run onlineshop openapi > frontend/openapi.json.tmp \
		&& mv frontend/openapi.json.tmp frontend/openapi.json \
		|| { rm -f frontend/openapi.json.tmp; exit 1; }
	cd frontend && npm run generate

# nginx, promtool and openssl for the tests of the operations files (tests/ops), chromium and
# nginx for the storefront's browser tests (tests/frontend). Installed only when missing, only
# as root on a machine with apt (CI); elsewhere those tests skip with a reason.
SYSTEM_TOOLS := nginx:nginx promtool:prometheus openssl:openssl chromium:chromium
system-deps: ## Install nginx, promtool, openssl and chromium if missing (root with apt)
	@missing=""; for pair in $(SYSTEM_TOOLS); do \
		command -v $${pair%%:*} >/dev/null 2>&1 || [ -x /usr/sbin/$${pair%%:*} ] || missing="$$missing $${pair##*:}"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing$$missing for the operations and browser tests …"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y --no-install-recommends $$missing \
			|| { apt-get update && apt-get install -y --no-install-recommends $$missing; }; \
	else \
		echo "Missing$$missing: the tests that need them will be skipped (install them, or run as root with apt)."; \
	fi

run: install ## Start everything at http://127.0.0.1:8000 (embedded PostgreSQL and Redis under var/)
	$(UV) run onlineshop run

test: system-deps lint ## Lint, type-check, then every test: pytest, Vitest, the browser
	$(UV) run pytest

lint: install frontend ## ruff, mypy, import-linter (layers); tsc and ESLint (frontend)
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy
	$(UV) run lint-imports
	cd frontend && npm run --silent typecheck
	cd frontend && npm run --silent lint

format: install ## Format the code and apply ruff's safe fixes
	$(UV) run ruff format .
	$(UV) run ruff check --fix .

migrate: install ## Apply pending migrations
	$(UV) run onlineshop migrate

migration: install ## Write a migration from the models: make migration name=add_products
	@test -n "$(name)" || { echo "usage: make migration name=short_slug"; exit 2; }
	$(UV) run onlineshop revision --autogenerate -m "$(name)"

clean: ## Remove caches (keeps .venv and the data under var/)
	rm -rf .pytest_cache .mypy_cache .ruff_cache test-artifacts
	find . -path ./.venv -prune -o -path ./node_modules -prune -o -type d -name __pycache__ -print0 \
		| xargs -0 rm -rf
