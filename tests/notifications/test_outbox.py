"""Without SMTP_HOST an e-mail becomes a complete .eml file in the outbox."""

import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from app.core.config import Settings, get_settings
from app.notifications import tasks
from tests.fixtures.mail import html_body, link_token, text_body
from tests.notifications.samples import SAMPLE_CONTEXTS

FILE_NAME = re.compile(r"^\d{8}T\d{12}Z-[0-9a-f]{32}\.eml$")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        VAR_DIR=tmp_path / "var",
        SMTP_HOST=None,
        PROJECT_NAME="Test Shop",
        FRONTEND_URL="http://shop.example.com/",
        MAIL_FROM="hello@shop.example.com",
        MAIL_FROM_NAME="Test Shop",
    )


def read_eml(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_writes_a_multipart_alternative_eml(settings: Settings) -> None:
    path = tasks.deliver(
        settings,
        to="ada@example.com",
        template="password_reset",
        context=SAMPLE_CONTEXTS["password_reset"],
    )

    assert path is not None
    assert path.parent == settings.outbox_dir
    assert FILE_NAME.match(path.name), path.name
    assert sorted(p.name for p in settings.outbox_dir.iterdir()) == [path.name]  # no temp file

    message = read_eml(path)
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    assert message["From"] == "Test Shop <hello@shop.example.com>"
    assert message["To"] == "ada@example.com"
    assert message["Subject"] == "Reset your Test Shop password"
    assert parsedate_to_datetime(message["Date"]).utcoffset() is not None
    assert re.fullmatch(r"<[^<>@\s]+@shop\.example\.com>", message["Message-ID"])

    assert link_token(message, "/reset-password") == "reset-Tok_en-456"
    assert "valid for 60 minutes" in text_body(message)
    assert "http://shop.example.com\n" in text_body(message)  # FRONTEND_URL without its slash
    assert 'href="http://shop.example.com/reset-password?token=reset-Tok_en-456"' in html_body(
        message
    )


def test_every_email_gets_its_own_file(settings: Settings) -> None:
    paths = {
        tasks.deliver(settings, to="ada@example.com", template=name, context=context)
        for name, context in SAMPLE_CONTEXTS.items()
    }
    assert len(paths) == len(SAMPLE_CONTEXTS)
    assert set(settings.outbox_dir.iterdir()) == paths


def test_the_task_writes_to_the_outbox_of_the_running_settings() -> None:
    settings = get_settings()
    assert settings.SMTP_HOST is None  # the test session's default: no SMTP
    result = tasks.send_email.apply(
        kwargs={
            "to": "grace@example.com",
            "template": "email_changed",
            "context": {"new_email": "grace@new.example.com"},
        }
    )
    written = Path(result.get())
    assert written.parent == settings.outbox_dir
    message = read_eml(written)
    assert message["To"] == "grace@example.com"
    assert "grace@new.example.com" in text_body(message)
    assert "grace@new.example.com" in html_body(message)


def test_unknown_template_writes_nothing_and_fails_the_task_for_good(settings: Settings) -> None:
    with pytest.raises(ValueError, match="Unknown e-mail template"):
        tasks.deliver(settings, to="ada@example.com", template="nope", context={})
    assert not settings.outbox_dir.exists()

    result = tasks.send_email.apply(
        kwargs={"to": "a@example.com", "template": "nope", "context": {}}
    )
    assert result.state == "FAILURE"
    assert isinstance(result.result, ValueError)
    assert not isinstance(result.result, tasks.TRANSIENT_ERRORS)
