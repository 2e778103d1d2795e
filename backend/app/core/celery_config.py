"""The one Celery configuration, shared by both ends of the broker: the worker and beat
(`app.worker`) and the publisher that enqueues jobs by name (`app.core.jobs`).

Building an app here imports no task and no domain: the worker adds its tasks and schedules.
"""

from collections.abc import Sequence
from typing import Any

from celery import Celery

from app.core.config import Settings

CELERY_APP_NAME = "onlineshop"


def celery_config(settings: Settings) -> dict[str, Any]:
    """Broker, default queue, serialisation and delivery settings, from `settings`."""
    return {
        # None (unset) is caught when a worker starts (app.worker's `_require_broker`) and
        # when a job is published (the publisher refuses to fall back to Celery's AMQP default).
        "broker_url": settings.REDIS_URL,
        "result_backend": settings.REDIS_URL,
        "task_default_queue": settings.CELERY_TASK_DEFAULT_QUEUE,
        "broker_connection_retry_on_startup": True,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "result_accept_content": ["json"],
        "timezone": "UTC",
        "enable_utc": True,
        # A job is acknowledged once it has run, so a crashed worker's job runs again elsewhere.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_track_started": True,
        # Task events feed Flower, whose metrics give Prometheus the task durations.
        "worker_send_task_events": True,
        "task_send_sent_event": True,
        "result_expires": 24 * 3600,
        # Redis redelivers an unacknowledged job (its worker died) after this long.
        "broker_transport_options": {"visibility_timeout": settings.celery_visibility_timeout},
    }


def build_celery(
    settings: Settings, *, include: Sequence[str] = (), set_as_current: bool = True
) -> Celery:
    """A Celery app configured from `settings`; `include` names the task modules a worker
    imports when it starts."""
    app = Celery(CELERY_APP_NAME, include=list(include), set_as_current=set_as_current)
    app.conf.update(celery_config(settings))
    return app
