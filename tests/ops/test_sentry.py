"""Sentry: with SENTRY_DSN pointing at a small local server that speaks the envelope
endpoint, an unhandled error of a real uvicorn process arrives as an event, with its type,
the release and the environment. Without a DSN nothing is initialised."""

import gzip
import json
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.core.config import Settings
from app.core.sentry import init_sentry, release
from tests.fixtures.api_server import start_uvicorn, stop

EVENT_TIMEOUT_SECONDS = 20


class EnvelopeServer(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), EnvelopeHandler)
        self.items: list[tuple[dict[str, Any], Any]] = []
        self.paths: list[str] = []


class EnvelopeHandler(BaseHTTPRequestHandler):
    server: EnvelopeServer

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            import brotli  # type: ignore[import-not-found]

            body = brotli.decompress(body)
        self.server.paths.append(self.path)
        self.server.items.extend(parse_envelope(body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: Any) -> None:
        pass


def parse_envelope(body: bytes) -> list[tuple[dict[str, Any], Any]]:
    """[(item header, payload)] of a Sentry envelope: a header line, then for each item a
    header line and its payload (`length` bytes when given, else up to the newline)."""
    _, _, rest = body.partition(b"\n")
    items = []
    while rest.strip():
        header_line, _, rest = rest.partition(b"\n")
        header = json.loads(header_line)
        length = header.get("length")
        if length is None:
            payload, _, rest = rest.partition(b"\n")
        else:
            payload, rest = rest[:length], rest[length + 1 :]
        try:
            items.append((header, json.loads(payload)))
        except ValueError:
            items.append((header, payload))
    return items


@pytest.fixture
def envelope_server() -> Iterator[EnvelopeServer]:
    server = EnvelopeServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_an_unhandled_error_reaches_sentry(envelope_server: EnvelopeServer, tmp_path: Path) -> None:
    dsn = f"http://publickey@127.0.0.1:{envelope_server.server_address[1]}/1"
    process, port = start_uvicorn(
        tmp_path / "uvicorn.log",
        app="tests.ops.sentry_app:create_failing_app",
        env={"SENTRY_DSN": dsn},
    )
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/test-only/fail", timeout=10)
        assert response.status_code == 500
        assert response.json() == {"detail": "Internal server error.", "code": "internal_error"}
        deadline = time.monotonic() + EVENT_TIMEOUT_SECONDS
        events: list[dict[str, Any]] = []
        while not events and time.monotonic() < deadline:
            events = [
                payload
                for header, payload in envelope_server.items
                if header.get("type") == "event"
            ]
            time.sleep(0.1)
    finally:
        stop(process)
    assert events, (envelope_server.paths, (tmp_path / "uvicorn.log").read_text()[-3000:])
    assert all(path.startswith("/api/1/envelope/") for path in envelope_server.paths)
    event = events[0]
    exception = event["exception"]["values"][-1]
    assert exception["type"] == "SentryProbeError"
    assert exception["value"] == "unhandled on purpose"
    assert event["release"] == release()
    assert event["release"].startswith("onlineshop@")
    assert event["environment"] == "test"
    assert event["request"]["url"].endswith("/test-only/fail")
    integrations = set(event["sdk"]["integrations"])
    assert {"fastapi", "starlette", "sqlalchemy", "celery"} <= integrations


def test_without_a_dsn_sentry_stays_off() -> None:
    assert init_sentry(Settings(SENTRY_DSN="")) is False
