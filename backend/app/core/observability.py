"""Wiring of request ids, metrics and error counting into the app (called by create_app)."""

import logging
from collections.abc import Awaitable, Callable
from typing import cast

from fastapi import APIRouter, FastAPI, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import ASGIApp

from app.core import metrics
from app.core.errors import DomainError
from app.core.request_id import RequestIdMiddleware

logger = logging.getLogger(__name__)

LowStockCount = Callable[[AsyncSession, int], Awaitable[int]]
ErrorHandler = Callable[[Request, Exception], Awaitable[Response]]
STOCK_OUT_CODE = "insufficient_stock"

metrics_router = APIRouter(tags=["operations"])


@metrics_router.get("/metrics", include_in_schema=False)
async def metrics_endpoint(request: Request) -> Response:
    """Prometheus' scrape target; nginx keeps it from the outside world."""
    try:
        await request.app.state.low_stock.refresh()
    except Exception:  # the database may be down: every other metric still matters then
        logger.warning("Could not refresh the low-stock gauge", exc_info=True)
    return Response(metrics.latest(), media_type=metrics.CONTENT_TYPE_LATEST)


def _wrap_outermost(app: FastAPI, *wrappers: Callable[[ASGIApp], ASGIApp]) -> None:
    """Put `wrappers` around Starlette's whole stack, ServerErrorMiddleware included, so that
    a 500 answer too carries its X-Request-ID and is counted with its real status. (Added
    with add_middleware they would sit inside it.) The first wrapper is the outermost."""
    build = app.build_middleware_stack

    def build_wrapped() -> ASGIApp:
        stack = build()
        for wrapper in reversed(wrappers):
            stack = wrapper(stack)
        return stack

    app.build_middleware_stack = build_wrapped  # type: ignore[method-assign]


def _count_stock_outs(app: FastAPI) -> None:
    """Count refusals for insufficient stock (stock API, cart, checkout) where every domain
    error becomes a response: by their error code, once per refused request."""
    handle = cast(ErrorHandler, app.exception_handlers[DomainError])

    async def counting(request: Request, error: Exception) -> Response:
        if getattr(error, "code", None) == STOCK_OUT_CODE:
            metrics.STOCK_OUTS.inc()
        return await handle(request, error)

    app.add_exception_handler(DomainError, counting)


def setup_observability(app: FastAPI, low_stock_count: LowStockCount) -> None:
    """After the error handlers are registered: /metrics, request ids and HTTP metrics."""
    threshold: int = app.state.settings.LOW_STOCK_THRESHOLD
    sessions: async_sessionmaker[AsyncSession] = app.state.sessionmaker

    async def count() -> int:
        async with sessions() as session:
            return await low_stock_count(session, threshold)

    app.state.low_stock = metrics.LowStockGauge(count)
    app.include_router(metrics_router)
    _count_stock_outs(app)
    _wrap_outermost(app, RequestIdMiddleware, metrics.MetricsMiddleware)
