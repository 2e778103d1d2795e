"""What the load scripts share: logging in, making the fixtures they need, percentiles."""

import argparse
from typing import Any

import httpx

API = "/api/v1"


def add_login_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the shop's address")
    parser.add_argument("--token", help="an admin's or operator's access token")
    parser.add_argument("--email", help="log in with this admin or operator account…")
    parser.add_argument("--password", help="…and this password")


def check_login_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if not args.token and not (args.email and args.password):
        parser.error("give --token, or --email and --password")


async def login(client: httpx.AsyncClient, email: str, password: str) -> str | None:
    """An access token, or None when the shop does not know these credentials."""
    response = await client.post(
        f"{API}/auth/login", data={"username": email, "password": password}
    )
    if response.status_code == 401:
        return None
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


async def ensure(client: httpx.AsyncClient, read: str, create: str, body: dict[str, Any]) -> Any:
    """GET `read`; when it is a 404, POST `body` to `create`. Returns the resource."""
    found = await client.get(read)
    if found.status_code == 200:
        return found.json()
    if found.status_code != 404:
        found.raise_for_status()
    created = await client.post(create, json=body)
    created.raise_for_status()
    return created.json()


def percentile(values: list[float], percent: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(percent / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]
