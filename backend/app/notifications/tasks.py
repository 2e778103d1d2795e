"""The e-mail job: render, then send over SMTP, or write an .eml file to the outbox without SMTP.

Both ways carry the same message, built here with the standard library: multipart/alternative
with the text part first and the HTML part last (the one mail clients prefer). SMTP goes
through fastapi-mail's connection (`ConnectionConfig`, connect, STARTTLS/TLS, login), not its
`FastMail.send_message`, whose MIME building wraps the alternative in a multipart/related, puts
`Content-Transfer-Encoding: base64` on the multipart containers (not allowed by RFC 2045) and
takes its Message-ID domain from the worker's host name.

Run by the worker (`app.worker`), enqueued by name (`service.SEND_EMAIL_TASK`): the service
never imports this module.
"""

import asyncio
import logging
import os
import smtplib
import tempfile
import uuid
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.policy import Policy
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path
from typing import Any

import aiosmtplib
from celery import shared_task
from fastapi_mail import ConnectionConfig
from fastapi_mail.connection import Connection
from fastapi_mail.errors import ConnectionErrors
from pydantic import NameEmail, TypeAdapter

from app.core import metrics
from app.core.config import Settings, get_settings
from app.core.jobs import JobStoreUnavailable, run_once
from app.notifications.rendering import RenderedEmail, base_context, render_email
from app.notifications.service import SEND_EMAIL_TASK

logger = logging.getLogger(__name__)

# Lines up to SMTP's 998-octet limit: the outbox's text stays readable 8bit, links unbroken,
# instead of quoted-printable wrapped at 78 columns.
OUTBOX_POLICY = policy.default.clone(max_line_length=998)

# Worth another attempt later: the server is down, unreachable, slow, or answered 4xx.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    ConnectionErrors,  # fastapi-mail's wrapper for every connect/STARTTLS/login failure
    OSError,  # includes ConnectionError and TimeoutError
    aiosmtplib.SMTPException,
    smtplib.SMTPException,
)

_address = TypeAdapter(NameEmail)


class EmailRejectedError(Exception):
    """The SMTP server refused the message for good (5xx): trying again cannot help."""


def deliver(settings: Settings, *, to: str, template: str, context: dict[str, Any]) -> Path | None:
    """Render e-mail `template` and send it to `to`: over SMTP when `SMTP_HOST` is set,
    otherwise into `settings.outbox_dir`. Returns the outbox file, or None when sent.

    A bad address or template raises ValueError; a refusal for good EmailRejectedError; a
    failure worth retrying one of TRANSIENT_ERRORS.
    """
    recipient = _address.validate_python(to).email  # pydantic's ValidationError is a ValueError
    rendered = render_email(template, {**base_context(settings), **context})
    if settings.SMTP_HOST is None:
        path = write_to_outbox(settings, to=to, email=rendered)
        logger.info("E-mail %r to %s written to %s (no SMTP_HOST)", template, recipient, path)
        return path
    message = build_message(settings, to=to, email=rendered)
    try:
        asyncio.run(_send_smtp(settings, message, recipient=recipient))
    except aiosmtplib.SMTPRecipientsRefused as error:
        if all(refusal.code >= 500 for refusal in error.recipients):
            raise EmailRejectedError(f"{recipient} refused: {error.recipients}") from error
        raise
    except aiosmtplib.SMTPResponseException as error:
        if error.code >= 500:
            raise EmailRejectedError(f"{error.code} {error.message}") from error
        raise
    logger.info(
        "E-mail %r sent to %s via %s:%s, %s",
        template,
        recipient,
        settings.SMTP_HOST,
        settings.SMTP_PORT,
        message["Message-ID"],
    )
    return None


def connection_config(settings: Settings) -> ConnectionConfig:
    assert settings.SMTP_HOST is not None
    # A pydantic BaseSettings: every field is given so that nothing comes from the environment.
    return ConnectionConfig(
        MAIL_USERNAME=settings.SMTP_USER,
        MAIL_PASSWORD=settings.SMTP_PASSWORD,
        MAIL_PORT=settings.SMTP_PORT,
        MAIL_SERVER=settings.SMTP_HOST,
        MAIL_STARTTLS=settings.SMTP_STARTTLS,
        MAIL_SSL_TLS=settings.SMTP_SSL_TLS,
        MAIL_DEBUG=0,
        MAIL_FROM=settings.MAIL_FROM,
        MAIL_FROM_NAME=settings.MAIL_FROM_NAME,
        TEMPLATE_FOLDER=None,
        SUPPRESS_SEND=0,
        USE_CREDENTIALS=bool(settings.SMTP_USER),
        VALIDATE_CERTS=settings.SMTP_VALIDATE_CERTS,
        TIMEOUT=settings.SMTP_TIMEOUT_SECONDS,
        LOCAL_HOSTNAME=None,
        CERT_BUNDLE=None,
    )


async def _send_smtp(settings: Settings, message: EmailMessage, *, recipient: str) -> None:
    async with Connection(connection_config(settings)) as connection:
        await connection.session.send_message(
            message, sender=settings.MAIL_FROM, recipients=[recipient]
        )


def build_message(
    settings: Settings, *, to: str, email: RenderedEmail, message_policy: Policy = policy.SMTP
) -> EmailMessage:
    """A complete multipart/alternative message: text, then HTML."""
    message = EmailMessage(policy=message_policy)
    message["From"] = formataddr((settings.MAIL_FROM_NAME, settings.MAIL_FROM))
    message["To"] = to
    message["Subject"] = email.subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=settings.MAIL_FROM.rpartition("@")[2] or None)
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message


def write_to_outbox(settings: Settings, *, to: str, email: RenderedEmail) -> Path:
    """Write the message as `<UTC timestamp>-<uuid>.eml`, atomically: a reader of the outbox
    never sees half a file."""
    outbox = settings.outbox_dir
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = outbox / f"{stamp}-{uuid.uuid4().hex}.eml"
    data = build_message(settings, to=to, email=email, message_policy=OUTBOX_POLICY).as_bytes()
    fd, temporary = tempfile.mkstemp(dir=outbox, prefix=".", suffix=".eml.tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


_settings = get_settings()


@shared_task(
    name=SEND_EMAIL_TASK,
    autoretry_for=(*TRANSIENT_ERRORS, JobStoreUnavailable),
    retry_backoff=_settings.EMAIL_RETRY_BACKOFF_SECONDS,
    retry_backoff_max=_settings.EMAIL_RETRY_BACKOFF_MAX_SECONDS,
    retry_jitter=True,
    max_retries=_settings.EMAIL_MAX_RETRIES,
)
def send_email(
    to: str, template: str, context: dict[str, Any], job_id: str | None = None
) -> str | None:
    """Render and send one e-mail, once per outbox job `job_id` (a second delivery of the job
    sends nothing; a failed attempt records nothing, so the retry sends); returns the outbox
    file when there is no SMTP server."""
    return run_once(job_id, lambda: _send_email(to, template, context))


def _send_email(to: str, template: str, context: dict[str, Any]) -> str | None:
    try:
        path = deliver(get_settings(), to=to, template=template, context=context)
    except Exception:
        metrics.EMAILS_FAILED.inc()
        raise
    metrics.EMAILS_SENT.inc()
    return None if path is None else str(path)
