# syntax=docker/dockerfile:1
# The Python image of the full stack: api, worker, beat and flower run it with different
# commands (docker-compose.yml). Built with uv from uv.lock; runs as an unprivileged user.

ARG PYTHON_VERSION=3.11

# --- build: the locked dependencies, then the project, into /app/.venv ---------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS build
COPY --from=ghcr.io/astral-sh/uv:0.9 /uv /bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app
# Dependencies first: this layer is rebuilt only when uv.lock or pyproject.toml change.
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --frozen --no-dev --no-install-project
COPY pyproject.toml uv.lock README.md alembic.ini ./
COPY alembic ./alembic
COPY backend ./backend
# The project itself, editable: the code stays in /app/backend next to alembic/, where
# `onlineshop migrate` finds the migrations.
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev

# --- runtime: the environment and the code, no build tools ---------------------------------
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime
RUN groupadd --system --gid 10001 shop \
    && useradd --system --uid 10001 --gid shop --home-dir /app --shell /usr/sbin/nologin shop \
    && mkdir -p /app/var/media /tmp/prometheus \
    && chown -R shop:shop /app/var /tmp/prometheus
WORKDIR /app
COPY --from=build /app /app
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    VAR_DIR=/app/var \
    ENV=production \
    LOG_FORMAT=json
USER shop
EXPOSE 8000
# docker-compose.yml gives each service its command; alone, the image runs the API. It trusts
# X-Forwarded-For only from FORWARDED_ALLOW_IPS (your proxy's address; unset: from nobody):
# trusting every address would let any client pick the address its limits are counted by.
CMD ["sh", "-c", "exec uvicorn app.main:create_app --factory --host 0.0.0.0 --port 8000 --proxy-headers --forwarded-allow-ips \"${FORWARDED_ALLOW_IPS:-}\""]
