"""Background inventory jobs: the stored weight of a warehouse, per product and in all; and,
scheduled by beat, failing the task records that got stuck.

Run by the worker (`app.worker`), enqueued by name (`warehouses.WEIGHT_TASK`): the service
never imports this module.
"""

import asyncio
import logging
import uuid
from datetime import datetime, timedelta

from celery import shared_task
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import get_settings
from app.core.db import task_session
from app.core.jobs import JobStoreUnavailable, run_once
from app.core.periodic import cleanup_task
from app.inventory import reports, task_records
from app.inventory.models import TaskStatus, Warehouse
from app.inventory.warehouses import WEIGHT_TASK

logger = logging.getLogger(__name__)


async def run_weight_task(task_id: uuid.UUID) -> str | None:
    """Claim the task, compute and store its result; the final status, or None when the task
    was finished already (a redelivered job) or is gone."""
    settings = get_settings()
    # Claimed in a transaction of its own, so that readers see `running` while it works.
    async with task_session(settings) as session:
        task = await task_records.claim_task(session, task_id)
        if task is None:
            return None
        warehouse_id = task.warehouse_id
    try:
        async with task_session(settings) as session:
            warehouse = (
                await session.get(Warehouse, warehouse_id) if warehouse_id is not None else None
            )
            if warehouse is None:
                raise LookupError("the warehouse no longer exists")
            lines = await reports.stock_lines(session, warehouse.id)
            result = reports.weight_summary(warehouse.code, lines)
            await task_records.finish_task(session, task_id, TaskStatus.SUCCESS, result)
    except Exception as error:
        logger.exception("Weight task %s failed", task_id)
        async with task_session(settings) as session:
            await task_records.finish_task(
                session, task_id, TaskStatus.FAILURE, {"error": str(error) or type(error).__name__}
            )
        return TaskStatus.FAILURE.value
    return TaskStatus.SUCCESS.value


# The database down: try again later, not fail (the outbox row is sent already); the task
# record's stuck timeout ends the wait.
@shared_task(
    name=WEIGHT_TASK,
    autoretry_for=(JobStoreUnavailable,),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=None,
)
def compute_warehouse_weight(task_id: str, job_id: str | None = None) -> str | None:
    """Compute the stored weight of the task's warehouse and store it on the task record, once
    per outbox job `job_id`. Returns the final status, or None when the task was finished
    already (the task record says so too: a run after a crash that followed its commit
    changes nothing)."""
    return run_once(job_id, lambda: asyncio.run(run_weight_task(uuid.UUID(task_id))))


async def fail_stuck(session: AsyncSession, now: datetime) -> int:
    stuck_for = timedelta(minutes=get_settings().TASK_STUCK_TIMEOUT_MINUTES)
    return await task_records.fail_stuck_tasks(session, now, stuck_for)


fail_stuck_tasks = cleanup_task(
    "app.inventory.tasks.fail_stuck_tasks", fail_stuck, "marked %d stuck task records failed"
)
