"""The Celery app: `celery -A app.worker worker` runs the jobs, `celery -A app.worker beat` the
schedules. An entry point that the API never imports: it
enqueues jobs by name through `app.core.jobs`, with the same configuration
(`app.core.celery_config`)."""

import logging
from typing import Any

from celery import signals
from celery.schedules import crontab

from app.core import jobs, metrics
from app.core.celery_config import build_celery
from app.core.config import get_settings
from app.core.logging import configure_logging
from app.core.outbox import Relay
from app.core.sentry import init_sentry

logger = logging.getLogger(__name__)

celery_app = build_celery(
    get_settings(),
    # Imported when a worker or beat starts, not with this module; their tasks are
    # `shared_task`s, which bind to this app, the current one in the worker's process.
    include=[
        "app.notifications.tasks",
        "app.accounts.tasks",
        "app.inventory.tasks",
        "app.cart.tasks",
        "app.orders.tasks",
    ],
)
# Housekeeping (timeouts and lifetimes are settings). Checking every 5 minutes applies a
# timeout at most 5 minutes late; the purges run hourly or nightly, minutes apart.
celery_app.conf.beat_schedule = {
    "purge-expired-refresh-tokens": {
        "task": "app.accounts.tasks.purge_expired_refresh_tokens",
        "schedule": crontab(hour=3, minute=17),
    },
    "expire-unpaid-orders": {
        "task": "app.orders.tasks.expire_unpaid_orders",
        "schedule": crontab(minute="*/5"),
    },
    "fail-stuck-tasks": {
        "task": "app.inventory.tasks.fail_stuck_tasks",
        "schedule": crontab(minute="*/5"),
    },
    "purge-idempotency-keys": {
        "task": "app.orders.tasks.purge_idempotency_keys",
        "schedule": crontab(minute=37),
    },
    "purge-guest-carts": {
        "task": "app.cart.tasks.purge_guest_carts",
        "schedule": crontab(hour=3, minute=47),
    },
}


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


# The outbox relay runs in the worker's main process (not as a beat task: beat needs the
# broker that may be down), from the moment the worker is ready until it shuts down.
_relay = Relay(get_settings(), jobs.publish_job)


@signals.worker_ready.connect
def _start_outbox_relay(**_: Any) -> None:
    _relay.start()


@signals.worker_shutdown.connect
def _stop_outbox_relay(**_: Any) -> None:
    _relay.stop()
