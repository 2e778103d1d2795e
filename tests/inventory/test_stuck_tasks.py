"""A task record still pending or running past TASK_STUCK_TIMEOUT_MINUTES becomes failed with
the reason as its error; newer and finished ones are left alone."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.core.config import get_settings
from app.inventory import task_records, tasks
from app.inventory.models import InventoryTask, TaskKind, TaskStatus

STUCK_FOR = timedelta(minutes=30)


async def _task(session: AsyncSession, status: TaskStatus, age: timedelta) -> uuid.UUID:
    task = InventoryTask(
        id=uuid.uuid4(),
        kind=TaskKind.WAREHOUSE_WEIGHT.value,
        status=status.value,
        result={"total_weight_kg": "1.000"} if status == TaskStatus.SUCCESS else None,
    )
    session.add(task)
    await session.flush()
    await session.execute(
        update(InventoryTask).where(InventoryTask.id == task.id).values(created_at=func.now() - age)
    )
    return task.id


async def _state(session: AsyncSession, task_id: uuid.UUID) -> tuple[str, Any, Any]:
    row = (
        await session.execute(
            select(InventoryTask.status, InventoryTask.result, InventoryTask.finished_at)
            .where(InventoryTask.id == task_id)
            .execution_options(populate_existing=True)
        )
    ).one()
    return row.status, row.result, row.finished_at


async def test_stuck_task_records_fail_with_the_reason(session: AsyncSession) -> None:
    old = STUCK_FOR + timedelta(minutes=1)
    stuck_pending = await _task(session, TaskStatus.PENDING, old)
    stuck_running = await _task(session, TaskStatus.RUNNING, old)
    recent = await _task(session, TaskStatus.RUNNING, STUCK_FOR - timedelta(minutes=1))
    finished = await _task(session, TaskStatus.SUCCESS, old * 10)

    failed = await task_records.fail_stuck_tasks(session, datetime.now(UTC), STUCK_FOR)

    assert failed == 2
    for task_id in (stuck_pending, stuck_running):
        status, result, finished_at = await _state(session, task_id)
        assert status == TaskStatus.FAILURE.value
        assert result == {"error": "timed out: not finished 30 minutes after it was created"}
        assert finished_at is not None
    assert (await _state(session, recent))[:2] == (TaskStatus.RUNNING.value, None)
    assert (await _state(session, finished))[:2] == (
        TaskStatus.SUCCESS.value,
        {"total_weight_kg": "1.000"},
    )
    # A job delivered late finds its task finished and does not run it.
    assert await task_records.claim_task(session, stuck_pending) is None


async def test_the_scheduled_task_commits_the_failure(engine: AsyncEngine) -> None:
    async with AsyncSession(engine) as session:
        minutes = get_settings().TASK_STUCK_TIMEOUT_MINUTES
        task_id = await _task(session, TaskStatus.PENDING, timedelta(minutes=minutes + 1))
        await session.commit()
    try:
        assert await asyncio.to_thread(tasks.fail_stuck_tasks) >= 1
        async with AsyncSession(engine) as session:
            status, result, _ = await _state(session, task_id)
        assert status == TaskStatus.FAILURE.value
        assert "timed out" in result["error"]
    finally:
        async with engine.begin() as connection:
            await connection.execute(delete(InventoryTask).where(InventoryTask.id == task_id))
