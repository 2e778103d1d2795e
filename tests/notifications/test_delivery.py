"""E-mails through a real Celery worker to the SMTP server on loopback."""

import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import get_settings
from app.core.db import finish_session, run_callbacks
from app.core.jobs import publisher
from app.notifications import service as notifications_service
from app.notifications.service import SEND_EMAIL_TASK
from tests.fixtures.mail import SmtpServer, html_body, link_token, text_body
from tests.notifications.samples import SAMPLE_CONTEXTS

pytestmark = pytest.mark.usefixtures("celery_worker")


def address(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


def test_the_worker_delivers_text_and_html_with_the_link_intact(smtp_server: SmtpServer) -> None:
    settings = get_settings()
    to = address("reset")
    token = f"tok_{uuid.uuid4().hex}-x"
    link = f"http://shop.example.com/reset-password?token={token}"
    result = publisher().send_task(
        SEND_EMAIL_TASK,
        kwargs={
            "to": to,
            "template": "password_reset",
            "context": {"link": link, "expires_minutes": 30},
        },
    )

    message = smtp_server.wait_for(to, subject_contains="password")
    assert result.get(timeout=30) is None  # sent over SMTP, not to the outbox
    assert message["To"] == to
    assert "Reset your" in message["Subject"]
    sender = message["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == (settings.MAIL_FROM_NAME, settings.MAIL_FROM)
    assert message["Message-ID"].endswith("@" + settings.MAIL_FROM.partition("@")[2] + ">")
    assert message["Date"]

    # Text first, HTML last: the part a mail client prefers.
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [part.get_content_type() for part in parts] == ["text/plain", "text/html"]
    assert "Content-Transfer-Encoding" not in message  # never on a multipart (RFC 2045)
    assert link in text_body(message)
    assert "valid for 30 minutes" in text_body(message)
    assert f'href="{link}"' in html_body(message)
    assert link_token(message, "/reset-password") == token


@pytest.mark.parametrize("template", sorted(SAMPLE_CONTEXTS))
def test_every_email_goes_out(smtp_server: SmtpServer, template: str) -> None:
    to = address(template)
    # Sent as a job queued before the outbox would be: without a job id.
    publisher().send_task(
        SEND_EMAIL_TASK,
        kwargs={"to": to, "template": template, "context": SAMPLE_CONTEXTS[template]},
    )
    message = smtp_server.wait_for(to)
    assert text_body(message).strip()
    assert "</html>" in html_body(message)
    assert smtp_server.messages_to(to.upper()) == [message]


async def test_service_sends_after_commit_and_never_after_rollback(
    session: AsyncSession, smtp_server: SmtpServer
) -> None:
    rolled_back, committed = address("rolled-back"), address("committed")

    notifications_service.send_email(
        session, to=rolled_back, template="password_changed", context={}
    )
    await run_callbacks(await finish_session(session, RuntimeError("the request failed")))

    notifications_service.send_email(
        session, to=committed, template="email_changed", context={"new_email": "n@example.com"}
    )
    await run_callbacks(await finish_session(session, None))

    message = smtp_server.wait_for(committed, subject_contains="e-mail address")
    assert "n@example.com" in text_body(message)
    # One worker, one queue, first in first out: the rolled-back one would have come first.
    assert smtp_server.messages_to(rolled_back) == []
