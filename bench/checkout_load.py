"""Load the checkout of a running shop: many customers order one unit each of a product with
less stock than orders, at once; then print orders per second, latency percentiles and the
oversell count read back from the stock API (it must be 0).

    uv run python bench/checkout_load.py --url http://127.0.0.1:8000 \\
        --email admin@example.com --password '…' --outbox var/outbox \\
        --orders 300 --stock 100 --customers 30

See bench/README.md. As the admin it creates (through the API) a fresh published product
BENCH-CO-<time> in the "bench" category and puts --stock units of it into the warehouse
--store. The customers bench-shopper-<n>@example.com are registered and confirmed on first
use (the confirmation link is read from the shop's e-mail outbox, --outbox) and reused later.
Each customer then loops: put one unit into the cart, POST /orders with an Idempotency-Key;
after a refusal (409, sold out) it empties its cart. It measures; it asserts nothing about
speed.
"""

import argparse
import asyncio
import re
import statistics
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import httpx
from common import API, add_login_arguments, check_login_arguments, ensure, login, percentile

PASSWORD = "bench-shopper-passphrase-4711"  # noqa: S105 - the bench's own test accounts
ADDRESS = {
    "full_name": "Bench Shopper",
    "line1": "1 Load Street",
    "city": "Benchtown",
    "postal_code": "12345",
    "country": "DE",
}
_TOKEN = re.compile(r"/verify-email\?token=([^\s\"'<>&]+)")


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)  # checkouts only
    statuses: Counter[int] = field(default_factory=Counter)
    add_latencies: list[float] = field(default_factory=list)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    add_login_arguments(parser)
    parser.add_argument(
        "--outbox", type=Path, help="the shop's VAR_DIR/outbox, to confirm new customers"
    )
    parser.add_argument("--orders", type=int, default=300, help="checkouts to attempt")
    parser.add_argument("--stock", type=int, default=100, help="units of the product in stock")
    parser.add_argument("--customers", type=int, default=30, help="customers (= in flight)")
    parser.add_argument("--store", default="BENCH-CO", help="the warehouse code to use")
    args = parser.parse_args(argv)
    check_login_arguments(parser, args)
    return args


async def prepare(admin: httpx.AsyncClient, args: argparse.Namespace) -> dict[str, Any]:
    """A fresh product with --stock units in --store (so earlier runs do not count)."""
    category = await ensure(
        admin,
        f"{API}/categories/bench",
        f"{API}/categories",
        {"name": "Bench", "slug": "bench", "description": "Products of the load tests."},
    )
    await ensure(
        admin,
        f"{API}/warehouses/{args.store}",
        f"{API}/warehouses",
        {"code": args.store, "name": "Checkout load test", "max_weight_kg": "999999999.999"},
    )
    patched = await admin.patch(
        f"{API}/warehouses/{args.store}",
        json={"is_active": True, "max_weight_kg": "999999999.999"},
    )
    patched.raise_for_status()
    sku = f"BENCH-CO-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:4].upper()}"
    created = await admin.post(
        f"{API}/products",
        json={
            "sku": sku,
            "slug": sku.lower(),
            "name": f"Checkout bench item {sku}",
            "price": "9.99",
            "weight_kg": "0.001",
            "category_id": category["id"],
            "is_published": True,
        },
    )
    created.raise_for_status()
    supplied = await admin.post(
        f"{API}/stores/{args.store}",
        json={"operation": "supply", "item_id": sku, "quantity": args.stock},
    )
    supplied.raise_for_status()
    product: dict[str, Any] = created.json()
    return product


def find_confirmation(outbox: Path, email: str, seen: set[Path]) -> str | None:
    for path in sorted(outbox.glob("*.eml")):
        if path in seen:
            continue
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        if str(message["To"]).lower() != email.lower():
            continue
        seen.add(path)
        body = message.get_body(preferencelist=("plain",))
        match = _TOKEN.search(str(body.get_content()) if body else "")
        if match:
            return match.group(1)
    return None


async def customer_token(
    client: httpx.AsyncClient, args: argparse.Namespace, number: int, seen: set[Path]
) -> str:
    """Log the bench customer in; register and confirm it first when it is new."""
    email = f"bench-shopper-{number}@example.com"
    token = await login(client, email, PASSWORD)
    if token is None:
        registered = await client.post(
            f"{API}/auth/register", json={"email": email, "password": PASSWORD}
        )
        registered.raise_for_status()
    me = None
    if token is not None:
        me = await client.get(f"{API}/users/me", headers={"Authorization": f"Bearer {token}"})
    if me is None or not me.json()["is_verified"]:
        if args.outbox is None:
            raise SystemExit(f"{email} needs confirming: give --outbox (the shop's VAR_DIR/outbox)")
        if me is not None:
            await client.post(f"{API}/auth/verify/resend", json={"email": email})
        deadline = time.monotonic() + 30
        link_token = None
        while link_token is None:
            link_token = find_confirmation(args.outbox, email, seen)
            if link_token is None:
                if time.monotonic() > deadline:
                    raise SystemExit(f"No confirmation e-mail for {email} in {args.outbox}")
                await asyncio.sleep(0.2)
        verified = await client.post(f"{API}/auth/verify", json={"token": link_token})
        verified.raise_for_status()
        token = await login(client, email, PASSWORD)
    assert token is not None
    return token


async def shopper(
    client: httpx.AsyncClient, token: str, product_id: str, turns: int, results: Results
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    (await client.delete(f"{API}/cart", headers=headers)).raise_for_status()
    for _ in range(turns):
        started = time.perf_counter()
        added = await client.post(
            f"{API}/cart/items", json={"product_id": product_id, "quantity": 1}, headers=headers
        )
        results.add_latencies.append(time.perf_counter() - started)
        if added.status_code != 201:
            # Sold out already (409): the checkout would be refused the same way.
            results.statuses[added.status_code] += 1
            continue
        started = time.perf_counter()
        try:
            response = await client.post(
                f"{API}/orders",
                json={"shipping_address": ADDRESS},
                headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
            )
            status = response.status_code
        except httpx.HTTPError:
            status = 0
        results.latencies.append(time.perf_counter() - started)
        results.statuses[status] += 1
        if status != 201:
            await client.delete(f"{API}/cart", headers=headers)


async def stock_line(admin: httpx.AsyncClient, store: str, sku: str) -> dict[str, Any]:
    response = await admin.get(f"{API}/warehouses/{store}")
    response.raise_for_status()
    line: dict[str, Any] = next(line for line in response.json()["stock"] if line["sku"] == sku)
    return line


def latency_line(label: str, seconds: list[float]) -> str:
    if not seconds:
        return f"  {label}: none"
    ms = [value * 1000 for value in seconds]
    return (
        f"  {label} ms   p50 {percentile(ms, 50):.1f}   p95 {percentile(ms, 95):.1f}   "
        f"p99 {percentile(ms, 99):.1f}   max {max(ms):.1f}   mean {statistics.fmean(ms):.1f}"
    )


async def main(args: argparse.Namespace) -> int:
    limits = httpx.Limits(max_connections=args.customers + 4)
    async with httpx.AsyncClient(base_url=args.url, limits=limits, timeout=120) as client:
        admin_token = args.token or await login(client, args.email, args.password)
        if admin_token is None:
            raise SystemExit("The admin login was refused")
        admin = httpx.AsyncClient(
            base_url=args.url, timeout=60, headers={"Authorization": f"Bearer {admin_token}"}
        )
        async with admin:
            product = await prepare(admin, args)
            seen: set[Path] = set()
            tokens = [
                await customer_token(client, args, number, seen)
                for number in range(1, args.customers + 1)
            ]
            turns = [
                args.orders // args.customers + (1 if n < args.orders % args.customers else 0)
                for n in range(args.customers)
            ]
            results = Results()
            started = time.perf_counter()
            await asyncio.gather(
                *(
                    shopper(client, token, product["id"], count, results)
                    for token, count in zip(tokens, turns, strict=True)
                )
            )
            elapsed = time.perf_counter() - started
            line = await stock_line(admin, args.store, product["sku"])

    accepted = results.statuses[201]
    attempts = sum(results.statuses.values())
    others = {s: n for s, n in results.statuses.items() if s not in (201, 409)}
    oversold = max(0, line["reserved"] - args.stock) + max(0, -line["available"])
    print(
        f"checkout_load: {attempts} checkouts of 1 unit of {product['sku']} against "
        f"{args.url}, stock {args.stock}, {args.customers} customers in parallel"
    )
    print(
        f"  orders placed (201) {accepted}   refused (409) {results.statuses[409]}   "
        f"other answers {others or 'none'}"
    )
    print(
        f"  elapsed {elapsed:.2f} s   orders/s {accepted / elapsed:.1f}   "
        f"checkout attempts/s {len(results.latencies) / elapsed:.1f}"
    )
    print(latency_line("checkout latency", results.latencies))
    print(latency_line("add-to-cart latency", results.add_latencies))
    print(
        f"  stock after: on_hand {line['on_hand']}   reserved {line['reserved']}   "
        f"available {line['available']}"
    )
    print(
        f"  oversold units (from the stock API): {oversold}   "
        f"reserved = orders placed: {'yes' if line['reserved'] == accepted else 'NO'}"
    )
    return 0 if oversold == 0 and line["reserved"] == accepted else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
