"""Request ids and JSON logs; the HTTP and business metrics at /metrics, in one process and
summed over several uvicorn workers (prometheus_client's multiprocess mode)."""

import io
import json
import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import AsyncSession
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from app.catalog.models import Product
from app.core.config import get_settings
from app.core.logging import JsonFormatter, make_handler
from app.inventory import service as inventory_service
from app.main import create_app
from app.notifications.tasks import send_email
from tests.fixtures.api_server import ApiServer, start_uvicorn, stop
from tests.fixtures.app import AuthHeaders, UserFactory
from tests.fixtures.catalog import ProductFactory
from tests.fixtures.inventory import StockFactory, WarehouseFactory

UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """What the app logs during the test, as the JSON handler writes it."""
    stream = io.StringIO()
    handler = make_handler("json", stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


# --- request ids ---------------------------------------------------------------------------


async def test_the_request_id_is_echoed_or_made(client: httpx.AsyncClient) -> None:
    given = await client.get("/health", headers={"X-Request-ID": "edge-1234.abc"})
    assert given.headers["x-request-id"] == "edge-1234.abc"
    made = await client.get("/health")
    assert made.headers["x-request-id"] != "edge-1234.abc"
    uuid.UUID(made.headers["x-request-id"], version=4)
    for unsafe in ("two words", "x" * 200, "new\\nline"):
        replaced = await client.get("/health", headers={"X-Request-ID": unsafe})
        assert replaced.headers["x-request-id"] != unsafe
        uuid.UUID(replaced.headers["x-request-id"], version=4)
    # Errors carry it too.
    missing = await client.get("/api/v1/no-such-thing", headers={"X-Request-ID": "err-1"})
    assert missing.status_code == 404
    assert missing.headers["x-request-id"] == "err-1"


async def test_an_unhandled_error_has_a_request_id_in_its_answer_and_its_log_line(
    json_log: io.StringIO,
) -> None:
    app = create_app(get_settings())

    @app.get("/test-only/boom")
    async def boom() -> None:
        logging.getLogger("app.test").info("about to fail", extra={"step": 1})
        raise RuntimeError("boom")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/test-only/boom", headers={"X-Request-ID": "boom-42"})
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert response.headers["x-request-id"] == "boom-42"

    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    mine = [line for line in lines if line["request_id"] == "boom-42"]
    info = next(line for line in mine if line["message"] == "about to fail")
    assert info["level"] == "INFO"
    assert info["logger"] == "app.test"
    assert info["step"] == 1
    assert info["time"].endswith("+00:00")
    error = next(line for line in mine if line["level"] == "ERROR")
    assert "RuntimeError: boom" in error["exception"]


def test_the_json_formatter_writes_one_object_per_line() -> None:
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "two\nlines %s", ("ok",), None)
    text = JsonFormatter().format(record)
    assert "\n" not in text
    entry = json.loads(text)
    assert entry["message"] == "two\nlines ok"
    assert set(entry) >= {"time", "level", "logger", "message", "request_id"}


def test_uvicorn_logs_json_lines_with_the_request_id(api_server: ApiServer) -> None:
    request_id = f"ops-{uuid.uuid4().hex}"
    response = httpx.get(f"{api_server.url}/health", headers={"X-Request-ID": request_id})
    assert response.headers["x-request-id"] == request_id
    entries = []
    for line in api_server.log_lines():
        entry = json.loads(line)  # every line is one JSON object
        assert {"time", "level", "logger", "message", "request_id"} <= entry.keys(), line
        entries.append(entry)
    access = [entry for entry in entries if entry["logger"] == "uvicorn.access"]
    assert any(
        entry["request_id"] == request_id and "GET /health" in entry["message"] for entry in access
    ), access[-5:]
    assert any(entry["logger"] == "uvicorn.error" for entry in entries)  # start-up lines


async def test_token_query_values_are_redacted_in_uvicorns_log(api_server: ApiServer) -> None:
    request_id = f"ops-{uuid.uuid4().hex}"
    async with httpx.AsyncClient(base_url=api_server.url) as client:
        await client.get(
            "/verify-email?next=%2F&token=secret-in-a-link", headers={"X-Request-ID": request_id}
        )
    host = api_server.url.removeprefix("http://")
    async with connect(f"ws://{host}/ws/stores/NOPE?token=secret-of-a-socket") as socket:
        with pytest.raises(ConnectionClosed):
            await socket.recv()
    lines = api_server.log_lines()
    assert any(request_id in line and "token=[redacted]" in line for line in lines), lines[-5:]
    assert any("/ws/stores/NOPE?token=[redacted]" in line for line in lines), lines[-5:]
    assert not [line for line in lines if "secret-" in line]


# --- metrics -------------------------------------------------------------------------------


async def test_http_metrics_use_route_templates(client: httpx.AsyncClient, app: FastAPI) -> None:
    missing_id = uuid.uuid4()
    before = value(
        "http_requests_total", method="GET", route="/api/v1/products/{ref}", status="404"
    )
    response = await client.get(f"/api/v1/products/{missing_id}")
    assert response.status_code == 404
    await client.get("/api/v1/nothing/here")

    exposed = await client.get("/metrics")
    assert exposed.status_code == 200
    assert exposed.headers["content-type"].startswith("text/plain")
    found = samples(exposed.text)
    routes = {
        dict(labels).get("route") for (name, labels) in found if name == "http_requests_total"
    }
    assert str(missing_id) not in exposed.text
    assert "<unmatched>" in routes
    route = "/api/v1/products/{ref}"  # the template, not the URL asked for
    assert route in routes, routes
    assert value("http_requests_total", method="GET", route=route, status="404") >= before + 1
    assert (
        "http_request_duration_seconds_count",
        frozenset({("method", "GET"), ("route", route)}),
    ) in found
    assert any(name == "http_requests_in_progress" for name, _ in found)


async def test_refused_demands_count_as_stock_outs(
    client: httpx.AsyncClient,
    make_user: UserFactory,
    auth_headers: AuthHeaders,
    make_warehouse: WarehouseFactory,
    make_product: ProductFactory,
    make_stock: StockFactory,
) -> None:
    from app.accounts.models import Role

    headers = await auth_headers(await make_user(role=Role.OPERATOR))
    warehouse = await make_warehouse()
    product = await make_product()
    await make_stock(warehouse, product, 3)
    before = value("shop_stock_outs_total")
    accepted = await client.post(
        f"/api/v1/stores/{warehouse.code}",
        json={"operation": "demand", "item_id": product.sku, "quantity": 2},
        headers=headers,
    )
    assert accepted.status_code == 200
    assert value("shop_stock_outs_total") == before
    refused = await client.post(
        f"/api/v1/stores/{warehouse.code}",
        json={"operation": "demand", "item_id": product.sku, "quantity": 2},
        headers=headers,
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "insufficient_stock"
    assert value("shop_stock_outs_total") == before + 1


def test_emails_sent_and_failed_are_counted() -> None:
    sent, failed = value("shop_emails_sent_total"), value("shop_emails_failed_total")
    send_email(to="someone@example.com", template="password_changed", context={})
    assert value("shop_emails_sent_total") == sent + 1
    with pytest.raises(ValueError, match="context keys"):
        send_email(to="someone@example.com", template="verify_email", context={})
    assert value("shop_emails_failed_total") == failed + 1
    assert value("shop_emails_sent_total") == sent + 1


async def test_low_stock_counts_published_products_short_of_stock(
    session: AsyncSession,
    make_product: ProductFactory,
    make_warehouse: WarehouseFactory,
    make_stock: StockFactory,
) -> None:
    before = await inventory_service.count_low_stock(session, 5)
    empty = await make_product(is_published=True)
    plenty = await make_product(is_published=True)
    await make_product(is_published=False)
    warehouse = await make_warehouse()
    await make_stock(warehouse, plenty, 10)
    await make_stock(warehouse, empty, 4)
    assert await inventory_service.count_low_stock(session, 5) == before + 1
    assert await inventory_service.count_low_stock(session, 11) == before + 2
    assert isinstance(empty, Product)


async def test_the_low_stock_gauge_is_exported(client: httpx.AsyncClient, app: FastAPI) -> None:
    app.state.low_stock.refreshed_at = None
    found = samples((await client.get("/metrics")).text)
    assert ("shop_products_low_stock", frozenset()) in found


def test_several_workers_add_up(tmp_path: Path) -> None:
    """Two uvicorn workers in multiprocess mode: /metrics sums what both counted."""
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    process, port = start_uvicorn(
        tmp_path / "uvicorn.log",
        extra=["--workers", "2"],
        env={"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)},
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            for _ in range(30):
                assert http.get("/health").status_code == 200
            exposed = http.get("/metrics").text
    finally:
        stop(process)
    found = samples(exposed)
    # The start-up probe's request(s) and ours: at least 30, counted across the workers.
    health = found[
        (
            "http_requests_total",
            frozenset({("method", "GET"), ("route", "/health"), ("status", "200")}),
        )
    ]
    assert health >= 30
    assert len({path.name.rsplit("_", 1)[-1] for path in metrics_dir.glob("counter_*.db")}) >= 1


def test_the_worker_serves_its_metrics_on_its_port() -> None:
    """What the worker's `worker_init` hook starts when WORKER_METRICS_PORT is set."""
    from app.core import metrics
    from app.core.embedded import free_port

    port = free_port()
    metrics.serve(port)
    exposed = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    names = {name for name, _ in samples(exposed)}
    assert {"shop_emails_sent_total", "shop_emails_failed_total"} <= names
