"""PostgreSQL restarted under load: the API answers 503 (the JSON error body, Retry-After)
while it is down, never a 500 nor a hang, and serves again by itself soon after it is back."""

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from app.core.config import Settings
from tests.faults.conftest import StartApi, login
from tests.fixtures.api_server import ApiServer
from tests.fixtures.restartable import RestartablePostgres
from tests.fixtures.waiting import wait_until

# The bound: requests succeed again within 5 s of PostgreSQL accepting connections.
RECOVERY_SECONDS = 5
# A request may take this long at most, even during the outage: an answer, not a hang.
REQUEST_TIMEOUT_SECONDS = 10
# More logins during the outage than the login limit allows (per account and address): one
# that the database could not check must not count, or the account is locked afterwards.
ROUNDS_DURING_OUTAGE = Settings().LOGIN_MAX_FAILURES_PER_ACCOUNT_AND_IP + 1


@dataclass(frozen=True)
class Sample:
    name: str
    started: float
    finished: float
    status: int | None  # None: no answer (timeout, connection error)
    body: Any
    retry_after: str | None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class ClientLoop:
    """Rounds of requests (catalog, login, a write, readiness) in a thread, until stopped."""

    def __init__(self, api: ApiServer, email: str) -> None:
        self.client = httpx.Client(base_url=api.url, timeout=REQUEST_TIMEOUT_SECONDS)
        token = login(self.client, email).json()["access_token"]
        self.auth = {"Authorization": f"Bearer {token}"}
        self.email = email
        self.samples: list[Sample] = []
        self.rounds = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _requests(self) -> dict[str, Any]:
        return {
            "catalog": lambda: self.client.get("/api/v1/products"),
            "login": lambda: login(self.client, self.email),
            "write": lambda: self.client.patch(
                "/api/v1/users/me/profile",
                json={"first_name": f"Round {self.rounds}"},
                headers=self.auth,
            ),
            "ready": lambda: self.client.get("/health/ready"),
        }

    def _run(self) -> None:
        while not self._stop.is_set():
            for name, request in self._requests().items():
                started = time.monotonic()
                try:
                    response = request()
                except httpx.HTTPError:
                    self.samples.append(Sample(name, started, time.monotonic(), None, None, None))
                    continue
                self.samples.append(
                    Sample(
                        name,
                        started,
                        time.monotonic(),
                        response.status_code,
                        response.json(),
                        response.headers.get("Retry-After"),
                    )
                )
            self.rounds += 1

    def rounds_after(self, moment: float) -> int:
        """Rounds started after `moment` (each ends with its readiness probe)."""
        return sum(1 for s in self.samples if s.started > moment and s.name == "ready")

    def __enter__(self) -> "ClientLoop":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2 * REQUEST_TIMEOUT_SECONDS)
        self.client.close()


@pytest.fixture(scope="module")
def api(restartable_postgres: RestartablePostgres, start_api: StartApi) -> ApiServer:
    return start_api(DATABASE_URL=restartable_postgres.database_url)


@pytest.fixture
def client_loop(restartable_postgres: RestartablePostgres, api: ApiServer) -> Iterator[ClientLoop]:
    with ClientLoop(api, restartable_postgres.add_user()) as loop:
        yield loop


def test_postgres_restart_answers_503_then_recovers(
    restartable_postgres: RestartablePostgres, api: ApiServer, client_loop: ClientLoop
) -> None:
    wait_until(lambda: client_loop.rounds >= 1, "a round of requests before the outage")
    restartable_postgres.stop()
    down = time.monotonic()
    wait_until(
        lambda: client_loop.rounds_after(down) >= ROUNDS_DURING_OUTAGE,
        "rounds of requests during the outage",
    )
    restarting = time.monotonic()
    restartable_postgres.start()
    back = time.monotonic()
    wait_until(
        lambda: client_loop.rounds_after(back + RECOVERY_SECONDS) >= 2,
        "rounds of requests after the outage",
    )
    samples = list(client_loop.samples)

    # Every answer, whenever it came: a success or a 503, never a 500 nor a hang.
    wrong = [(s.name, s.status, s.body) for s in samples if not (s.ok or s.status == 503)]
    assert wrong == [], api.tail()
    during = [s for s in samples if s.started > down and s.finished < restarting]
    assert {s.name for s in during} == {"catalog", "login", "write", "ready"}
    for sample in during:
        assert sample.status == 503, (sample.name, sample.status, sample.body)
        if sample.name == "ready":
            assert sample.body["code"] == "not_ready"
            assert sample.body["checks"]["database"].startswith("error"), sample.body
            assert sample.body["checks"]["redis"] == "ok"
        else:
            assert sample.body["code"] == "unavailable", (sample.name, sample.body)
            assert sample.body["detail"]
            assert int(sample.retry_after or 0) > 0, sample

    # Back by itself, without restarting the API: every request that started later than
    # RECOVERY_SECONDS after PostgreSQL accepted connections again succeeded.
    failed_late = [
        (s.name, s.status, round(s.started - back, 2))
        for s in samples
        if s.started > back + RECOVERY_SECONDS and not s.ok
    ]
    assert failed_late == []
    recovered = max(
        min(s.finished for s in samples if s.started > back and s.ok and s.name == name)
        for name in ("catalog", "login", "write", "ready")
    )
    print(
        f"every kind of request succeeded again {recovered - back:.2f} s after PostgreSQL was back"
    )
