"""What other domains call to send an e-mail: it leaves only once their transaction commits."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.core.jobs import enqueue_after_commit
from app.notifications.rendering import EMAIL_TEMPLATES, RenderedEmail, check_email, render_email

__all__ = ["EMAIL_TEMPLATES", "SEND_EMAIL_TASK", "RenderedEmail", "render_email", "send_email"]

# The e-mail job, enqueued by name: this module never imports its Celery task (`tasks.py`).
SEND_EMAIL_TASK = "app.notifications.tasks.send_email"


def send_email(session: AsyncSession, *, to: str, template: str, context: dict[str, Any]) -> None:
    """Send e-mail `template` to `to` after `session`'s transaction commits (never on rollback).

    `context` holds the e-mail's own keys (see `EMAIL_TEMPLATES`) and must be JSON-serialisable;
    the task adds `shop_name` and `frontend_url`. Raises ValueError for an unknown template or
    a missing key, here at the call site rather than later in the worker.
    """
    check_email(template, context)
    enqueue_after_commit(session, SEND_EMAIL_TASK, to=to, template=template, context=context)
