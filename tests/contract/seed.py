"""The shop the contract run fuzzes: a migrated database with a stocked demo catalog, an
account of every role, and an order."""

import asyncio
import uuid
from dataclasses import dataclass

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from app.accounts.models import Role, User
from app.core.config import Settings
from app.core.migrations import upgrade_to_head
from app.core.security import hash_password
from app.launcher.demo import seed_demo_catalog

PASSWORD = "contract-fuzzing-password-1"
DEMO_PRODUCTS = 40


@dataclass(frozen=True)
class Account:
    role: Role
    email: str
    password: str = PASSWORD


ACCOUNTS = {role: Account(role, f"contract-{role.value}@example.com") for role in Role}


async def _add_accounts(database_url: str) -> None:
    engine = create_async_engine(database_url)
    try:
        async with AsyncSession(engine) as session:
            for account in ACCOUNTS.values():
                session.add(
                    User(
                        id=uuid.uuid4(),
                        email=account.email,
                        hashed_password=await hash_password(account.password),
                        role=account.role.value,
                        is_active=True,
                        is_verified=True,
                    )
                )
            await session.commit()
    finally:
        await engine.dispose()


def seed_database(database_url: str) -> None:
    """Migrate, stock the demo catalog (two warehouses) and add the accounts."""
    upgrade_to_head(database_url)
    settings = Settings(DATABASE_URL=database_url, REDIS_URL="redis://unused/0")
    seed_demo_catalog(settings, products=DEMO_PRODUCTS, with_images=False)
    asyncio.run(_add_accounts(database_url))


def access_token(api: str, account: Account) -> str:
    answer = httpx.post(
        f"{api}/auth/login", data={"username": account.email, "password": account.password}
    )
    answer.raise_for_status()
    token: str = answer.json()["access_token"]
    return token


def place_order(api: str) -> None:
    """The customer orders a product in stock, so that the order routes have one to read."""
    headers = {"Authorization": f"Bearer {access_token(api, ACCOUNTS[Role.CUSTOMER])}"}
    products = httpx.get(f"{api}/products", params={"in_stock": "true"}).json()["items"]
    httpx.post(
        f"{api}/cart/items", json={"product_id": products[0]["id"]}, headers=headers
    ).raise_for_status()
    address = {
        "full_name": "Contract Customer",
        "line1": "1 Schema Street",
        "city": "Berlin",
        "postal_code": "10115",
        "country": "DE",
    }
    httpx.post(
        f"{api}/orders", json={"shipping_address": address}, headers=headers
    ).raise_for_status()
