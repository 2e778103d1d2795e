"""Load the stock API of a running shop with parallel supplies and demands, then print the
throughput and latency percentiles (and whether the final stock adds up).

    uv run python bench/stock_load.py --url http://127.0.0.1:8000 \\
        --email admin@example.com --password '…' --ops 5000 --concurrency 32

or `--token <access token>` instead of --email/--password. See bench/README.md.

It uses (and creates on first use) the warehouse BENCH and the unpublished products
BENCH-1 … BENCH-<items> in a "bench" category, tops each up to --initial units, then sends
--ops operations, --concurrency at a time: single supplies and demands of 1-5 units, and a
share of group operations over 2-3 items. It measures; it asserts nothing about speed.
"""

import argparse
import asyncio
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
from common import API, add_login_arguments, check_login_arguments, ensure, login, percentile


@dataclass
class Operation:
    kind: str  # supply | demand
    items: list[tuple[str, int]]

    def request(self, store: str) -> tuple[str, dict[str, Any]]:
        if len(self.items) == 1:
            sku, quantity = self.items[0]
            body = {"operation": self.kind, "item_id": sku, "quantity": quantity}
            return f"{API}/stores/{store}", body
        return f"{API}/stores/{store}/group_op", {
            "operation": self.kind,
            "items": [{"item_id": sku, "quantity": quantity} for sku, quantity in self.items],
        }


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    accepted: list[Operation] = field(default_factory=list)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    add_login_arguments(parser)
    parser.add_argument("--ops", type=int, default=5000, help="operations to send")
    parser.add_argument("--concurrency", type=int, default=32, help="operations in flight")
    parser.add_argument("--store", default="BENCH", help="the warehouse code to use")
    parser.add_argument("--items", type=int, default=8, help="how many products to spread over")
    parser.add_argument("--initial", type=int, default=1000, help="top each item up to this")
    parser.add_argument("--demand-ratio", type=float, default=0.5, help="share of demands")
    parser.add_argument("--group-ratio", type=float, default=0.1, help="share of group_op")
    parser.add_argument("--seed", type=int, default=1, help="the random mix's seed")
    args = parser.parse_args(argv)
    check_login_arguments(parser, args)
    return args


async def prepare(client: httpx.AsyncClient, args: argparse.Namespace) -> dict[str, int]:
    """The store and its items exist, each with at least --initial units; the stock now."""
    category = await ensure(
        client,
        f"{API}/categories/bench",
        f"{API}/categories",
        {"name": "Bench", "slug": "bench", "description": "Products of the load test."},
    )
    skus = []
    for number in range(1, args.items + 1):
        product = await ensure(
            client,
            f"{API}/products/bench-item-{number}",
            f"{API}/products",
            {
                "sku": f"BENCH-{number}",
                "slug": f"bench-item-{number}",
                "name": f"Bench item {number}",
                "price": "1.00",
                "weight_kg": "0.001",
                "category_id": category["id"],
                "is_published": False,
            },
        )
        skus.append(product["sku"])
    await ensure(
        client,
        f"{API}/warehouses/{args.store}",
        f"{API}/warehouses",
        {"code": args.store, "name": "Load test", "max_weight_kg": "999999999.999"},
    )
    patched = await client.patch(
        f"{API}/warehouses/{args.store}",
        json={"is_active": True, "max_weight_kg": "999999999.999"},
    )
    patched.raise_for_status()

    stock = await read_stock(client, args.store)
    top_up = [
        {"item_id": sku, "quantity": args.initial - stock.get(sku, 0)}
        for sku in skus
        if stock.get(sku, 0) < args.initial
    ]
    if top_up:
        response = await client.post(
            f"{API}/stores/{args.store}/group_op", json={"operation": "supply", "items": top_up}
        )
        response.raise_for_status()
    stock = await read_stock(client, args.store)
    return {sku: stock[sku] for sku in skus}


async def read_stock(client: httpx.AsyncClient, store: str) -> dict[str, int]:
    response = await client.get(f"{API}/stores/{store}")
    response.raise_for_status()
    return {line["item_id"]: line["quantity"] for line in response.json()["store"]["report"]}


def plan(args: argparse.Namespace, skus: list[str]) -> list[Operation]:
    rng = random.Random(args.seed)  # noqa: S311 - a reproducible mix, not a secret
    operations = []
    for _ in range(args.ops):
        kind = "demand" if rng.random() < args.demand_ratio else "supply"
        size = rng.randint(2, min(3, len(skus))) if rng.random() < args.group_ratio else 1
        items = [(sku, rng.randint(1, 5)) for sku in rng.sample(skus, size)]
        operations.append(Operation(kind, items))
    return operations


async def run(
    client: httpx.AsyncClient, store: str, operations: list[Operation], concurrency: int
) -> tuple[Results, float]:
    results = Results()
    semaphore = asyncio.Semaphore(concurrency)

    async def send(operation: Operation) -> None:
        url, body = operation.request(store)
        async with semaphore:
            started = time.perf_counter()
            try:
                response = await client.post(url, json=body)
                status = response.status_code
            except httpx.HTTPError:
                status = 0  # no answer: a connection error or a timeout
            results.latencies.append(time.perf_counter() - started)
        results.statuses[status] += 1
        if status == 200:
            results.accepted.append(operation)

    started = time.perf_counter()
    await asyncio.gather(*(send(operation) for operation in operations))
    return results, time.perf_counter() - started


def report(
    args: argparse.Namespace,
    results: Results,
    elapsed: float,
    initial: dict[str, int],
    final: dict[str, int],
) -> None:
    expected = dict(initial)
    for operation in results.accepted:
        for sku, quantity in operation.items:
            expected[sku] += quantity if operation.kind == "supply" else -quantity
    ms = [latency * 1000 for latency in results.latencies]
    refused = results.statuses[409]
    others = {status: n for status, n in results.statuses.items() if status not in (200, 409)}
    print(
        f"stock_load: {args.ops} operations against {args.url}, store {args.store}, "
        f"{args.items} items, concurrency {args.concurrency}"
    )
    print(
        f"  accepted {results.statuses[200]}   refused (409) {refused}   "
        f"other answers {others or 'none'}"
    )
    print(f"  elapsed {elapsed:.2f} s   throughput {args.ops / elapsed:.1f} ops/s")
    print(
        f"  latency ms   p50 {percentile(ms, 50):.1f}   p95 {percentile(ms, 95):.1f}   "
        f"p99 {percentile(ms, 99):.1f}   max {max(ms):.1f}   mean {statistics.fmean(ms):.1f}"
    )
    consistent = all(final.get(sku) == quantity for sku, quantity in expected.items())
    print(
        "  final stock = initial + accepted supplies - accepted demands: "
        + ("yes" if consistent else f"NO (expected {expected}, found {final})")
    )


async def main(args: argparse.Namespace) -> int:
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    async with httpx.AsyncClient(base_url=args.url, limits=limits, timeout=60) as client:
        token = args.token or await login(client, args.email, args.password)
        if token is None:
            raise SystemExit("The login was refused")
        client.headers["Authorization"] = f"Bearer {token}"
        initial = await prepare(client, args)
        operations = plan(args, list(initial))
        results, elapsed = await run(client, args.store, operations, args.concurrency)
        final = await read_stock(client, args.store)
    report(args, results, elapsed, initial, final)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
