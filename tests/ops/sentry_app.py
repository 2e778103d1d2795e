"""The app with one extra route that fails, for the Sentry test only (never in production):
`uvicorn tests.ops.sentry_app:create_failing_app --factory`."""

from fastapi import FastAPI

from app.main import create_app


class SentryProbeError(RuntimeError):
    """Raised on purpose; the test looks for this type in the event Sentry receives."""


def create_failing_app() -> FastAPI:
    app = create_app()

    @app.get("/test-only/fail")
    async def fail() -> None:
        raise SentryProbeError("unhandled on purpose")

    return app
