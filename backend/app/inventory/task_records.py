"""The records of background inventory tasks: created with the request, then claimed, finished
and read. (tasks.py runs them; warehouses.start_weight_task creates and enqueues one.)"""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.models import Role, User
from app.inventory.exceptions import TaskNotFound
from app.inventory.models import InventoryTask, TaskKind, TaskStatus, Warehouse
from app.inventory.schemas import TaskOut


async def create_task(
    session: AsyncSession, kind: TaskKind, *, warehouse: Warehouse | None, user: User | None
) -> InventoryTask:
    task = InventoryTask(
        id=uuid.uuid4(),
        kind=kind.value,
        status=TaskStatus.PENDING.value,
        warehouse_id=warehouse.id if warehouse else None,
        user_id=user.id if user else None,
    )
    session.add(task)
    await session.flush()
    return task


async def claim_task(session: AsyncSession, task_id: uuid.UUID) -> InventoryTask | None:
    """Mark the task running; None when it is finished already (a redelivered job) or gone.

    A task left `running` by a worker that died is claimed again.
    """
    return await session.scalar(
        update(InventoryTask)
        .where(
            InventoryTask.id == task_id,
            InventoryTask.status.in_([TaskStatus.PENDING.value, TaskStatus.RUNNING.value]),
        )
        .values(status=TaskStatus.RUNNING.value)
        .returning(InventoryTask)
        .execution_options(populate_existing=True)
    )


async def finish_task(
    session: AsyncSession, task_id: uuid.UUID, status: TaskStatus, result: dict[str, Any]
) -> None:
    await session.execute(
        update(InventoryTask)
        .where(InventoryTask.id == task_id)
        .values(status=status.value, result=result, finished_at=datetime.now(UTC))
        .execution_options(synchronize_session=False)
    )


async def fail_stuck_tasks(session: AsyncSession, now: datetime, stuck_for: timedelta) -> int:
    """Mark failed every task still pending or running `stuck_for` after it was created (its
    job was lost, or its worker died), with the reason as its error; how many.

    A worker still running such a task writes its own result over this when it finishes,
    and a job delivered later finds the task finished and does not run.
    """
    minutes = int(stuck_for.total_seconds() // 60)
    result = await session.execute(
        update(InventoryTask)
        .where(
            InventoryTask.status.in_([TaskStatus.PENDING.value, TaskStatus.RUNNING.value]),
            InventoryTask.created_at < now - stuck_for,
        )
        .values(
            status=TaskStatus.FAILURE.value,
            result={"error": f"timed out: not finished {minutes} minutes after it was created"},
            finished_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def get_task(session: AsyncSession, task_id: uuid.UUID, viewer: User) -> TaskOut:
    """The task as its creator or an admin sees it; TaskNotFound for anyone else."""
    row = (
        await session.execute(
            select(InventoryTask, Warehouse.code)
            .outerjoin(Warehouse, Warehouse.id == InventoryTask.warehouse_id)
            .where(InventoryTask.id == task_id)
            .execution_options(populate_existing=True)
        )
    ).one_or_none()
    if row is None:
        raise TaskNotFound()
    task, warehouse_code = row
    if task.user_id != viewer.id and viewer.role != Role.ADMIN.value:
        raise TaskNotFound()
    return TaskOut(
        id=task.id,
        kind=TaskKind(task.kind),
        status=TaskStatus(task.status),
        warehouse_code=warehouse_code,
        result=task.result,
        created_at=task.created_at,
        finished_at=task.finished_at,
    )
