"""A failed send is tried again with backoff; a refusal for good is not."""

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from celery.result import AsyncResult

from app.core.config import Settings
from app.core.embedded import free_port
from app.core.jobs import publisher
from app.notifications import tasks
from app.notifications.service import SEND_EMAIL_TASK
from tests.fixtures.mail import (
    SmtpServer,
    link_token,
    running_celery_worker,
    running_smtp_server,
    smtp_env,
)


def wait_for_state(result: AsyncResult[Any], state: str, timeout: float, log: str) -> Any:
    """The task's result (or error) stored with `state`, once it is in that state. Read with
    its state in one look: a retry a second later would replace it."""
    deadline = time.monotonic() + timeout
    while True:
        meta = result.backend.get_task_meta(result.id)
        if meta["status"] == state:
            return meta["result"]
        assert time.monotonic() < deadline, f"task still {meta['status']}; worker log:\n{log}"
        time.sleep(0.05)


def test_a_send_is_retried_until_the_smtp_server_answers(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there yet: connection refused
    queue = f"test-retry-{uuid.uuid4().hex[:12]}"
    env = {
        **smtp_env(port),
        "EMAIL_RETRY_BACKOFF_SECONDS": "1",
        "EMAIL_RETRY_BACKOFF_MAX_SECONDS": "1",
        "EMAIL_MAX_RETRIES": "30",
    }
    to = f"retry-{uuid.uuid4().hex[:10]}@example.com"
    with running_celery_worker(tmp_path, queue=queue, env=env, name="retry-worker") as worker:
        result = publisher().send_task(
            SEND_EMAIL_TASK,
            kwargs={
                "to": to,
                "template": "verify_email",
                "context": {
                    "link": "http://shop.example.com/verify-email?token=after-retry",
                    "expires_hours": 48,
                },
            },
            queue=queue,
        )
        error = wait_for_state(result, "RETRY", 30, worker.tail())
        assert "ConnectionErrors" in repr(error)

        with running_smtp_server(port) as server:
            message = server.wait_for(to, timeout=30)
            assert result.get(timeout=30) is None
        assert link_token(message, "/verify-email") == "after-retry"
        assert "retry: Retry in" in worker.tail(200)
        assert len(server.messages_to(to)) == 1


class RefusingServer(SmtpServer):
    """Refuses every recipient with the given SMTP reply."""

    def __init__(self, reply: str) -> None:
        super().__init__()
        self.reply = reply

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        return self.reply


@pytest.fixture
def refusing_server(request: pytest.FixtureRequest) -> Iterator[RefusingServer]:
    server = RefusingServer(request.param)
    server.start()
    yield server
    server.stop()


def smtp_settings(port: int) -> Settings:
    return Settings(
        _env_file=None,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=port,
        SMTP_STARTTLS=False,
        SMTP_SSL_TLS=False,
        SMTP_USER="",
        SMTP_TIMEOUT_SECONDS=5,
    )


def deliver_to(port: int) -> None:
    tasks.deliver(
        smtp_settings(port),
        to="someone@example.com",
        template="password_changed",
        context={},
    )


@pytest.mark.parametrize("refusing_server", ["550 5.1.1 No such user"], indirect=True)
def test_a_permanent_refusal_is_not_retried(refusing_server: RefusingServer) -> None:
    with pytest.raises(tasks.EmailRejectedError) as raised:
        deliver_to(refusing_server.port)
    assert not isinstance(raised.value, tasks.TRANSIENT_ERRORS)


@pytest.mark.parametrize("refusing_server", ["451 4.3.0 Try again later"], indirect=True)
def test_a_temporary_refusal_is_retried(refusing_server: RefusingServer) -> None:
    with pytest.raises(tasks.TRANSIENT_ERRORS):
        deliver_to(refusing_server.port)


def test_an_unreachable_server_is_retried() -> None:
    with pytest.raises(tasks.TRANSIENT_ERRORS):
        deliver_to(free_port())
