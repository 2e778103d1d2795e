"""The weight task: recorded with the request, run by a real Celery worker after the commit,
its status and result readable by its creator and admins only."""

import asyncio
import uuid
from typing import Any

from httpx import AsyncClient
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.accounts.models import Role
from app.inventory import tasks
from app.inventory.models import InventoryTask, TaskKind, TaskStatus
from tests.fixtures.app import AuthHeaders, UserFactory, assert_error
from tests.fixtures.inventory import LiveInventory, WarehouseFactory

TASKS = "/api/v1/inventory-tasks"


async def wait_until_finished(
    client: AsyncClient, task_id: str, headers: dict[str, str]
) -> dict[str, Any]:
    """Poll the task until it succeeded or failed (at most 30 s)."""
    async with asyncio.timeout(30):
        while True:
            response = await client.get(f"{TASKS}/{task_id}", headers=headers)
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            if body["status"] in {TaskStatus.SUCCESS.value, TaskStatus.FAILURE.value}:
                return body
            await asyncio.sleep(0.1)


async def test_the_worker_computes_the_stored_weight(
    live_client: AsyncClient, live_inventory: LiveInventory, celery_worker: Any
) -> None:
    warehouse = await live_inventory.warehouse()
    cup = await live_inventory.product(weight_kg="0.250")
    box = await live_inventory.product(weight_kg="2.125")
    empty = await live_inventory.product(weight_kg="9.000")
    await live_inventory.put(warehouse, cup, 6)
    await live_inventory.put(warehouse, box, 4)
    await live_inventory.put(warehouse, empty, 1)
    demanded = await live_client.post(
        f"/api/v1/stores/{warehouse.code}",
        json={"operation": "demand", "item_id": empty.sku, "quantity": 1},
        headers=live_inventory.headers,
    )
    assert demanded.status_code == 200

    started = await live_client.post(
        f"/api/v1/warehouses/{warehouse.code}/weight-tasks", headers=live_inventory.headers
    )

    assert started.status_code == 202, started.text
    task_id = started.json()["task_id"]
    body = await wait_until_finished(live_client, task_id, live_inventory.headers)
    assert body["status"] == "success", body
    assert body["kind"] == "warehouse_weight"
    assert body["warehouse_code"] == warehouse.code
    assert body["finished_at"] is not None
    assert body["finished_at"] >= body["created_at"]
    result = body["result"]
    assert result["warehouse_code"] == warehouse.code
    assert result["total_weight_kg"] == "10.000"  # decimals as strings, exact
    products = sorted(result["products"], key=lambda p: p["sku"])
    expected = sorted(
        [
            {
                "sku": cup.sku,
                "name": cup.name,
                "on_hand": 6,
                "unit_weight_kg": "0.250",
                "total_weight_kg": "1.500",
            },
            {
                "sku": box.sku,
                "name": box.name,
                "on_hand": 4,
                "unit_weight_kg": "2.125",
                "total_weight_kg": "8.500",
            },
        ],
        key=lambda p: str(p["sku"]),
    )
    assert products == expected  # the emptied line weighs nothing and is left out
    assert result["computed_at"]


async def test_the_task_is_recorded_pending_in_the_request(
    client: AsyncClient,
    session: AsyncSession,
    staff_headers: dict[str, str],
    make_warehouse: WarehouseFactory,
) -> None:
    warehouse = await make_warehouse()
    response = await client.post(
        f"/api/v1/warehouses/{warehouse.code}/weight-tasks", headers=staff_headers
    )
    assert response.status_code == 202
    task = await session.get(InventoryTask, uuid.UUID(response.json()["task_id"]))
    assert task is not None
    assert (task.kind, task.status, task.warehouse_id) == (
        "warehouse_weight",
        "pending",
        warehouse.id,
    )
    assert task.result is None
    assert task.finished_at is None
    body = (await client.get(f"{TASKS}/{task.id}", headers=staff_headers)).json()
    assert (body["status"], body["result"], body["finished_at"]) == ("pending", None, None)


async def test_only_the_creator_and_admins_may_read_a_task(
    client: AsyncClient,
    make_user: UserFactory,
    auth_headers: AuthHeaders,
    make_warehouse: WarehouseFactory,
) -> None:
    warehouse = await make_warehouse()
    creator = await auth_headers(await make_user(role=Role.OPERATOR))
    colleague = await auth_headers(await make_user(role=Role.OPERATOR))
    admin = await auth_headers(await make_user(role=Role.ADMIN))
    customer = await auth_headers(await make_user())
    task_id = (
        await client.post(f"/api/v1/warehouses/{warehouse.code}/weight-tasks", headers=creator)
    ).json()["task_id"]
    url = f"{TASKS}/{task_id}"

    assert (await client.get(url, headers=creator)).status_code == 200
    assert (await client.get(url, headers=admin)).status_code == 200
    assert_error(await client.get(url, headers=colleague), 404, "task_not_found")
    assert_error(await client.get(url, headers=customer), 403, "insufficient_role")
    assert_error(await client.get(url), 401, "not_authenticated")
    assert_error(await client.get(f"{TASKS}/{uuid.uuid4()}", headers=admin), 404, "task_not_found")
    assert_error(await client.get(f"{TASKS}/not-a-uuid", headers=admin), 422, "validation_error")


async def test_a_task_whose_warehouse_is_gone_fails_and_runs_only_once(
    live_inventory: LiveInventory, engine: AsyncEngine
) -> None:
    """The task's own function, in-process on committed data (no worker needed)."""
    task_id = uuid.uuid4()
    async with AsyncSession(engine) as session:
        session.add(
            InventoryTask(
                id=task_id,
                kind=TaskKind.WAREHOUSE_WEIGHT.value,
                status=TaskStatus.PENDING.value,
                warehouse_id=None,
                user_id=live_inventory.operator.id,
            )
        )
        await session.commit()
    try:
        assert await tasks.run_weight_task(task_id) == "failure"
        async with AsyncSession(engine) as session:
            task = await session.scalar(select(InventoryTask).where(InventoryTask.id == task_id))
            assert task is not None
            assert task.status == "failure"
            assert task.result == {"error": "the warehouse no longer exists"}
            assert task.finished_at is not None
        # A redelivered job finds the task finished and leaves it alone.
        assert await tasks.run_weight_task(task_id) is None
        assert await tasks.run_weight_task(uuid.uuid4()) is None
    finally:
        async with engine.begin() as connection:
            await connection.execute(delete(InventoryTask).where(InventoryTask.id == task_id))


async def test_a_task_runs_in_process_too(
    live_client: AsyncClient, live_inventory: LiveInventory
) -> None:
    warehouse = await live_inventory.warehouse()
    await live_inventory.put(warehouse, await live_inventory.product(weight_kg="1.5"), 2)
    started = await live_client.post(
        f"/api/v1/warehouses/{warehouse.code}/weight-tasks", headers=live_inventory.headers
    )
    task_id = uuid.UUID(started.json()["task_id"])
    # Whether or not a worker took it already, running it here ends in success.
    await tasks.run_weight_task(task_id)
    body = await wait_until_finished(live_client, str(task_id), live_inventory.headers)
    assert (body["status"], body["result"]["total_weight_kg"]) == ("success", "3.000")
