"""The Celery app: `celery -A app.worker worker` runs the jobs, `celery -A app.worker beat` the
schedules. Publishers (the API) import it through the tasks they enqueue."""

import logging
from typing import Any

from celery import Celery, signals
from celery.schedules import crontab

from app.core import metrics
from app.core.config import get_settings
from app.core.logging import configure_logging
from app.core.sentry import init_sentry

logger = logging.getLogger(__name__)

settings = get_settings()

celery_app = Celery(
    "onlineshop",
    include=["app.notifications.tasks", "app.accounts.tasks", "app.inventory.tasks"],
)
celery_app.conf.update(
    # None (unset) is caught when a worker starts, see `_require_broker` below.
    broker_url=settings.REDIS_URL,
    result_backend=settings.REDIS_URL,
    task_default_queue=settings.CELERY_TASK_DEFAULT_QUEUE,
    broker_connection_retry_on_startup=True,
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    result_accept_content=["json"],
    timezone="UTC",
    enable_utc=True,
    # A job is acknowledged once it has run, so a crashed worker's job runs again elsewhere.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_track_started=True,
    # Task events feed Flower, whose metrics give Prometheus the task durations.
    worker_send_task_events=True,
    task_send_sent_event=True,
    result_expires=24 * 3600,
    # Redis redelivers an unacknowledged job after this long; it must stay above the longest
    # retry countdown (EMAIL_RETRY_BACKOFF_MAX_SECONDS), or a waiting retry would run twice.
    broker_transport_options={
        "visibility_timeout": max(3600, 2 * settings.EMAIL_RETRY_BACKOFF_MAX_SECONDS)
    },
    beat_schedule={
        "purge-expired-refresh-tokens": {
            "task": "app.accounts.tasks.purge_expired_refresh_tokens",
            "schedule": crontab(hour=3, minute=17),
        },
    },
)


@signals.setup_logging.connect
def _setup_logging(**_: Any) -> None:
    """Our log format in the worker and beat too (connecting here stops Celery's own setup)."""
    configure_logging(get_settings().LOG_LEVEL, get_settings().log_format)


@signals.worker_init.connect
@signals.beat_init.connect
def _require_broker(**kwargs: Any) -> None:
    """Refuse to start without REDIS_URL instead of trying Celery's default AMQP broker.

    Importing this module stays possible without it (the launcher does, before it starts the
    embedded Redis). SystemExit, because Celery logs and ignores a signal handler's Exception.
    """
    try:
        get_settings().redis_url  # noqa: B018 - the property raises when REDIS_URL is unset
    except RuntimeError as error:
        raise SystemExit(str(error)) from None


@signals.worker_init.connect
@signals.beat_init.connect
def _start_sentry(**_: Any) -> None:
    """Report the worker's and beat's errors to Sentry when SENTRY_DSN is set (the prefork
    children inherit the client)."""
    init_sentry(get_settings())


@signals.worker_init.connect
def _serve_metrics(**_: Any) -> None:
    """Serve the worker's metrics (e-mails sent and failed) on WORKER_METRICS_PORT. The
    prefork children count in their own processes: with PROMETHEUS_MULTIPROC_DIR set they
    write to that folder, and this server sums them."""
    port = get_settings().WORKER_METRICS_PORT
    if not port:
        return
    if metrics.multiprocess_dir() is None:
        logger.warning(
            "WORKER_METRICS_PORT is set without PROMETHEUS_MULTIPROC_DIR: the metrics of the"
            " worker's child processes will not be seen"
        )
    metrics.serve(port)
    logger.info("Worker metrics on port %s", port)


@signals.worker_process_shutdown.connect
def _child_exited(**_: Any) -> None:
    metrics.process_exited()
