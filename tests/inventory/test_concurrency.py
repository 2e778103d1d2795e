"""The stock under parallel requests, against an app whose sessions really commit, each
request on its own pooled connection: the final quantities are the sum of the accepted
operations, never negative, the journal agrees, and the weight capacity holds."""

import asyncio
import random
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from httpx import AsyncClient, Response
from sqlalchemy import event

from tests.fixtures.inventory import LiveInventory

CONCURRENCY = 25  # above the 20 connections the issue asks for, within the pool's 30
STORES = "/api/v1/stores"


@dataclass
class PoolUsage:
    """How many pooled connections the app had checked out at once, at most."""

    busy: int = 0
    peak: int = 0
    connections: set[int] = field(default_factory=set)


@contextmanager
def pool_usage(app: FastAPI) -> Iterator[PoolUsage]:
    usage = PoolUsage()
    engine = app.state.engine.sync_engine

    def checkout(dbapi_connection: Any, *_: Any) -> None:
        usage.busy += 1
        usage.peak = max(usage.peak, usage.busy)
        usage.connections.add(id(dbapi_connection))

    def checkin(*_: Any) -> None:
        usage.busy -= 1

    event.listen(engine, "checkout", checkout)
    event.listen(engine, "checkin", checkin)
    try:
        yield usage
    finally:
        event.remove(engine, "checkout", checkout)
        event.remove(engine, "checkin", checkin)


async def in_parallel(
    calls: list[Callable[[], Awaitable[Response]]], limit: int = CONCURRENCY
) -> list[Response]:
    semaphore = asyncio.Semaphore(limit)

    async def run(call: Callable[[], Awaitable[Response]]) -> Response:
        async with semaphore:
            return await call()

    return await asyncio.gather(*(run(call) for call in calls))


def _quantities(response: Response) -> dict[str, int]:
    return {line["item_id"]: line["quantity"] for line in response.json()["store"]["report"]}


async def test_a_thousand_parallel_mixed_operations_add_up(
    app: FastAPI, live_client: AsyncClient, live_inventory: LiveInventory
) -> None:
    warehouse = await live_inventory.warehouse()
    products = [await live_inventory.product(weight_kg="0.010") for _ in range(4)]
    initial = 60
    for product in products:
        await live_inventory.put(warehouse, product, initial)
    skus = [product.sku for product in products]
    rng = random.Random(20261123)

    # (operation, [(sku, quantity), ...]): single operations, and groups of 2-3 items listed
    # in random order (the server locks them in SKU order).
    plan: list[tuple[str, list[tuple[str, int]]]] = []
    for _ in range(1200):
        operation = rng.choice(["supply", "demand"])
        count = 1 if rng.random() < 0.8 else rng.randint(2, 3)
        plan.append((operation, [(sku, rng.randint(1, 6)) for sku in rng.sample(skus, count)]))

    def call(operation: str, items: list[tuple[str, int]]) -> Callable[[], Awaitable[Response]]:
        if len(items) == 1:
            sku, quantity = items[0]
            body: dict[str, Any] = {"operation": operation, "item_id": sku, "quantity": quantity}
            url = f"{STORES}/{warehouse.code}"
        else:
            body = {
                "operation": operation,
                "items": [{"item_id": sku, "quantity": quantity} for sku, quantity in items],
            }
            url = f"{STORES}/{warehouse.code}/group_op"
        return lambda: live_client.post(url, json=body, headers=live_inventory.headers)

    with pool_usage(app) as usage:
        responses = await in_parallel([call(operation, items) for operation, items in plan])

    statuses = Counter(response.status_code for response in responses)
    assert set(statuses) <= {200, 409}, statuses
    assert statuses[200] > 600, statuses  # most go through; refusals are demands of too much
    expected = dict.fromkeys(skus, initial)
    for (operation, items), response in zip(plan, responses, strict=True):
        if response.status_code == 409:
            assert operation == "demand", response.text
            assert response.json()["code"] == "insufficient_stock"
            continue
        for sku, quantity in items:
            expected[sku] += quantity if operation == "supply" else -quantity
        assert all(quantity >= 0 for quantity in _quantities(response).values())

    final = await live_client.get(f"{STORES}/{warehouse.code}", headers=live_inventory.headers)
    assert _quantities(final) == expected
    assert all(quantity >= 0 for quantity in expected.values())
    await live_inventory.check_journal(warehouse)
    # Every request had its own session and connection: the pool was the limit.
    assert usage.peak >= 20, usage
    assert len(usage.connections) >= 20, usage


async def test_two_hundred_parallel_demands_of_one_on_fifty_accept_exactly_fifty(
    live_client: AsyncClient, live_inventory: LiveInventory
) -> None:
    warehouse = await live_inventory.warehouse()
    product = await live_inventory.product()
    await live_inventory.put(warehouse, product, 50)
    body = {"operation": "demand", "item_id": product.sku, "quantity": 1}

    responses = await in_parallel(
        [
            lambda: live_client.post(
                f"{STORES}/{warehouse.code}", json=body, headers=live_inventory.headers
            )
            for _ in range(200)
        ]
    )

    statuses = Counter(response.status_code for response in responses)
    assert statuses == {200: 50, 409: 150}
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"insufficient_stock"}
    # Each accepted demand saw a different quantity left: 49, 48, … 0.
    left = sorted(_quantities(r)[product.sku] for r in responses if r.status_code == 200)
    assert left == list(range(50))
    assert await live_inventory.level(warehouse, product) == (0, 0)
    await live_inventory.check_journal(warehouse)


async def test_parallel_supplies_never_exceed_the_weight_capacity(
    live_client: AsyncClient, live_inventory: LiveInventory
) -> None:
    warehouse = await live_inventory.warehouse(max_weight_kg="100.000")
    heavy = await live_inventory.product(weight_kg="3.000")
    light = await live_inventory.product(weight_kg="0.500")
    plan = [(heavy.sku, 1) if index % 2 else (light.sku, 3) for index in range(120)]

    responses = await in_parallel(
        [
            lambda sku=sku, quantity=quantity: live_client.post(
                f"{STORES}/{warehouse.code}",
                json={"operation": "supply", "item_id": sku, "quantity": quantity},
                headers=live_inventory.headers,
            )
            for sku, quantity in plan
        ]
    )

    statuses = Counter(response.status_code for response in responses)
    assert set(statuses) == {200, 409}, statuses
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"capacity_exceeded"}
    accepted = Counter[str]()
    for (sku, quantity), response in zip(plan, responses, strict=True):
        if response.status_code == 200:
            accepted[sku] += quantity
    on_hand = {
        heavy.sku: (await live_inventory.level(warehouse, heavy))[0],
        light.sku: (await live_inventory.level(warehouse, light))[0],
    }
    assert on_hand == dict(accepted)
    weight = on_hand[heavy.sku] * 3 + on_hand[light.sku] * 0.5
    # Full up to the last supply that fits: the smallest one (1.5 kg) no longer does.
    assert 100 - 1.5 < weight <= 100
    await live_inventory.check_journal(warehouse)


async def test_parallel_transfers_both_ways_neither_deadlock_nor_lose_goods(
    live_client: AsyncClient, live_inventory: LiveInventory
) -> None:
    east, west = await live_inventory.warehouse(), await live_inventory.warehouse()
    products = [await live_inventory.product() for _ in range(3)]
    for product in products:
        await live_inventory.put(east, product, 40)
        await live_inventory.put(west, product, 40)
    rng = random.Random(7)

    def transfer() -> Callable[[], Awaitable[Response]]:
        source, target = (east, west) if rng.random() < 0.5 else (west, east)
        items = [
            {"sku": product.sku, "quantity": rng.randint(1, 5)}
            for product in rng.sample(products, rng.randint(1, 3))
        ]
        return lambda: live_client.post(
            f"/api/v1/warehouses/{source.code}/transfer",
            json={"to_warehouse": target.code, "items": items},
            headers=live_inventory.headers,
        )

    responses = await in_parallel([transfer() for _ in range(200)])

    statuses = Counter(response.status_code for response in responses)
    assert set(statuses) <= {200, 409}, statuses
    assert statuses[200] > 100, statuses
    for product in products:
        east_on_hand = (await live_inventory.level(east, product))[0]
        west_on_hand = (await live_inventory.level(west, product))[0]
        assert east_on_hand + west_on_hand == 80
    await live_inventory.check_journal(east, west)


async def test_cleans_among_parallel_operations_keep_the_books_straight(
    live_client: AsyncClient, live_inventory: LiveInventory
) -> None:
    warehouse = await live_inventory.warehouse()
    products = [await live_inventory.product() for _ in range(3)]
    for product in products:
        await live_inventory.put(warehouse, product, 20)
    rng = random.Random(3)
    calls: list[Callable[[], Awaitable[Response]]] = []
    for index in range(150):
        if index % 50 == 25:
            calls.append(
                lambda: live_client.post(
                    f"{STORES}/{warehouse.code}/clean", headers=live_inventory.headers
                )
            )
            continue
        body = {
            "operation": rng.choice(["supply", "demand"]),
            "items": [
                {"item_id": product.sku, "quantity": rng.randint(1, 3)}
                for product in rng.sample(products, len(products))
            ],
        }
        calls.append(
            lambda body=body: live_client.post(
                f"{STORES}/{warehouse.code}/group_op", json=body, headers=live_inventory.headers
            )
        )

    responses = await in_parallel(calls)

    assert {response.status_code for response in responses} <= {200, 409}
    assert all(response.status_code == 200 for response in responses[25::50])  # the cleans
    await live_inventory.check_journal(warehouse)
