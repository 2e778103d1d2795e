"""Prometheus metrics: HTTP metrics from a small ASGI middleware, business metrics that the
domains increment, and the `/metrics` endpoint.

Multiprocess: with several uvicorn workers (or Celery's prefork children) each process keeps
its own values. Set the environment variable PROMETHEUS_MULTIPROC_DIR to an empty folder,
shared by the processes of one container and emptied when it starts (docker-compose.yml
mounts a tmpfs): prometheus_client then writes every value there, and `/metrics` sums the
files of all processes. Without it (`make run`, the tests) the values live in the process.

Metric names are part of the operations contract: prometheus/alerts.yml and the Grafana
dashboards query them, and tests/ops checks that every name they use is exported here.
"""

import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MULTIPROC_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"
UNMATCHED_ROUTE = "<unmatched>"

# --- HTTP ----------------------------------------------------------------------------------

HTTP_REQUESTS = Counter(
    "http_requests",
    "HTTP requests answered, by method, route template and status code.",
    ["method", "route", "status"],
)
HTTP_REQUEST_DURATION = Histogram(
    "http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
HTTP_REQUESTS_IN_PROGRESS = Gauge(
    "http_requests_in_progress",
    "HTTP requests being answered right now, by method.",
    ["method"],
    multiprocess_mode="livesum",
)

# --- business ------------------------------------------------------------------------------

# Incremented by the orders service where an order is placed (see README "Observability").
ORDERS_PLACED = Counter("shop_orders_placed", "Orders placed.")
ORDERS_VALUE = Counter(
    "shop_orders_value", "The total of the orders placed, in the shop's currency (CURRENCY)."
)
STOCK_OUTS = Counter(
    "shop_stock_outs",
    "Stock changes (demands, reservations) refused because not enough stock was available.",
)
EMAILS_SENT = Counter("shop_emails_sent", "E-mails sent over SMTP or written to the outbox.")
EMAILS_FAILED = Counter(
    "shop_emails_failed",
    "E-mail delivery attempts that failed (each retry counts; a refused message counts once).",
)
LOW_STOCK_PRODUCTS = Gauge(
    "shop_products_low_stock",
    "Published products with fewer than LOW_STOCK_THRESHOLD units available.",
    multiprocess_mode="mostrecent",
)
LOW_STOCK_MAX_AGE_SECONDS = 30.0


def record_order_placed(total: Any) -> None:
    """For the orders service: one order placed, worth `total` (a Decimal)."""
    ORDERS_PLACED.inc()
    ORDERS_VALUE.inc(float(total))


# --- HTTP middleware -------------------------------------------------------------------------


def route_template(scope: Scope, root_path: str) -> str:
    """The template of the route that answered ("/api/v1/products/{ref}"), so that the label
    has one value per route, not one per URL.

    Starlette's router leaves the route in the scope. Its template may lack the prefixes it
    was included or mounted under: a mount's is in root_path; FastAPI's include_router
    prefix is what the request path has in front of the segments the template matched.
    """
    route = scope.get("route")
    found = getattr(route, "path_format", None)
    if found is None:
        return UNMATCHED_ROUTE
    template = str(found)
    mount_prefix = str(scope.get("root_path", ""))[len(root_path) :]
    if isinstance(route, Mount):  # a mounted app without routes of its own (static files)
        return mount_prefix.removesuffix(route.path) + template
    if ":path}" in str(getattr(route, "path", "")):  # matches any number of segments
        return mount_prefix + template
    segments = str(scope.get("path", "")).split("/")
    include_prefix = "/".join(segments[: max(1, len(segments) - template.count("/"))])
    if not include_prefix.startswith(mount_prefix):
        return mount_prefix + template
    return include_prefix + template


class MetricsMiddleware:
    """Counts and times every HTTP request (websockets are not requests and are skipped)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        root_path = str(scope.get("root_path", ""))
        status = 500
        started = time.perf_counter()

        async def send_and_record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        in_progress = HTTP_REQUESTS_IN_PROGRESS.labels(method)
        in_progress.inc()
        try:
            await self.app(scope, receive, send_and_record)
        finally:
            in_progress.dec()
            route = route_template(scope, root_path)
            HTTP_REQUESTS.labels(method, route, str(status)).inc()
            HTTP_REQUEST_DURATION.labels(method, route).observe(time.perf_counter() - started)


# --- exposition ----------------------------------------------------------------------------


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_DIR_ENV) or None


def latest() -> bytes:
    """The text exposition of every metric: summed over the processes in multiprocess mode."""
    if multiprocess_dir() is None:
        return generate_latest(REGISTRY)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return generate_latest(registry)


def serve(port: int) -> None:
    """Serve `latest()` on http://0.0.0.0:port/metrics from a thread (the Celery worker)."""
    if multiprocess_dir() is None:
        start_http_server(port)
        return
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    start_http_server(port, registry=registry)


def process_exited() -> None:
    """Drop this process's live gauges (in-progress requests) in multiprocess mode."""
    path = multiprocess_dir()
    if path is not None:
        multiprocess.mark_process_dead(os.getpid(), path)  # type: ignore[no-untyped-call]


class LowStockGauge:
    """Refreshes `shop_products_low_stock` on scrape, at most every LOW_STOCK_MAX_AGE_SECONDS
    per process: a scrape every 15 s costs one aggregate query every 30 s at most."""

    def __init__(self, count: Callable[[], Awaitable[int]]) -> None:
        self.count = count
        self.refreshed_at: float | None = None

    async def refresh(self) -> None:
        now = time.monotonic()
        if self.refreshed_at is not None and now - self.refreshed_at < LOW_STOCK_MAX_AGE_SECONDS:
            return
        LOW_STOCK_PRODUCTS.set(await self.count())
        self.refreshed_at = now


__all__ = [
    "CONTENT_TYPE_LATEST",
    "EMAILS_FAILED",
    "EMAILS_SENT",
    "HTTP_REQUESTS",
    "HTTP_REQUESTS_IN_PROGRESS",
    "HTTP_REQUEST_DURATION",
    "LOW_STOCK_PRODUCTS",
    "ORDERS_PLACED",
    "ORDERS_VALUE",
    "STOCK_OUTS",
    "LowStockGauge",
    "MetricsMiddleware",
    "latest",
    "process_exited",
    "record_order_placed",
]
