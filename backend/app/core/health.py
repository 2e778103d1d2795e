"""Liveness and readiness probes."""

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from app.core.errors import DomainError, raises

router = APIRouter(tags=["health"])
CHECK_TIMEOUT_SECONDS = 3


class NotReady(DomainError):
    status_code = 503
    code = "not_ready"
    detail = "A dependency is not available."


@router.get("/health", summary="Liveness: the process answers")
async def health() -> dict[str, str]:
    return {"status": "ok"}


async def _check(probe: Any) -> str:
    try:
        await asyncio.wait_for(probe, timeout=CHECK_TIMEOUT_SECONDS)
    except Exception as error:  # any failure means "not ready"; the reason goes to the body
        return f"error: {type(error).__name__}"
    return "ok"


async def _ping_database(request: Request) -> None:
    async with request.app.state.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


@router.get("/health/ready", summary="Readiness: PostgreSQL and Redis answer")
@raises(NotReady)
async def ready(request: Request) -> JSONResponse:
    checks = {
        "database": await _check(_ping_database(request)),
        "redis": await _check(request.app.state.redis.ping()),
    }
    if all(result == "ok" for result in checks.values()):
        return JSONResponse({"status": "ok", "checks": checks})
    # The body names each check's result next to detail and code.
    raise NotReady(extra={"checks": checks})
