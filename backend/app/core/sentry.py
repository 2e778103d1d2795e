"""Sentry error reporting, on when SENTRY_DSN is set: unhandled errors of the API (FastAPI and
Starlette), the worker and beat (Celery), with SQLAlchemy breadcrumbs; tagged with the
release (the package version) and the environment (ENV)."""

import logging
from importlib.metadata import PackageNotFoundError, version

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.fastapi import FastApiIntegration
from sentry_sdk.integrations.sqlalchemy import SqlalchemyIntegration
from sentry_sdk.integrations.starlette import StarletteIntegration

from app.core.config import Settings

logger = logging.getLogger(__name__)
PACKAGE = "onlineshop"


def release() -> str:
    try:
        return f"{PACKAGE}@{version(PACKAGE)}"
    except PackageNotFoundError:  # running from a source tree that was never installed
        return f"{PACKAGE}@unknown"


def init_sentry(settings: Settings) -> bool:
    """Start the Sentry client when SENTRY_DSN is set; True when it did."""
    if not settings.SENTRY_DSN:
        return False
    sentry_sdk.init(
        dsn=settings.SENTRY_DSN,
        release=release(),
        environment=settings.ENV.value,
        integrations=[
            StarletteIntegration(),
            FastApiIntegration(),
            SqlalchemyIntegration(),
            CeleryIntegration(),
        ],
        traces_sample_rate=settings.SENTRY_TRACES_SAMPLE_RATE,
        # No e-mail addresses, cookies or bodies leave for Sentry.
        send_default_pii=False,
    )
    logger.info("Sentry reporting is on (%s)", release())
    return True
