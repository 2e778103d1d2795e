# OnlineShop: `make run` starts the whole shop, `make test` checks it. Needs only Python 3.11+;
# uv is installed on first use when it is missing.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv from PATH, else the one `pip install --user` put in Python's user site (the scripts
# folder differs between Linux and macOS, the module does not).
UV ?= $(or $(shell command -v uv 2>/dev/null),python3 -m uv)
export UV_PYTHON_DOWNLOADS := never

.PHONY: help uv install system-deps run test lint format migrate migration clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

uv:
	@$(UV) --version >/dev/null 2>&1 || { \
		echo "uv is missing: installing it with pip (user install) …"; \
		python3 -m pip install --user uv || python3 -m pip install --user --break-system-packages uv; \
	}

install: uv ## Create .venv with the locked dependencies
	$(UV) sync --frozen

# nginx, promtool and openssl for the tests of the operations files (tests/ops). Installed only
# when missing, only as root on a machine with apt (CI); elsewhere those tests skip with a reason.
OPS_TOOLS := nginx:nginx promtool:prometheus openssl:openssl
system-deps: ## Install nginx, prometheus (promtool) and openssl when missing (root with apt only)
	@missing=""; for pair in $(OPS_TOOLS); do \
		command -v $${pair%%:*} >/dev/null 2>&1 || [ -x /usr/sbin/$${pair%%:*} ] || missing="$$missing $${pair##*:}"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing$$missing for the operations tests …"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y --no-install-recommends $$missing \
			|| { apt-get update && apt-get install -y --no-install-recommends $$missing; }; \
	else \
		echo "Missing$$missing: the tests that need them will be skipped (install them, or run as root with apt)."; \
	fi

run: install ## Start everything at http://127.0.0.1:8000 (embedded PostgreSQL and Redis under var/)
	$(UV) run onlineshop run

test: install system-deps ## Lint, type-check and run the test suite
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy
	$(UV) run pytest

lint: install ## ruff check, ruff format --check, mypy
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy

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
