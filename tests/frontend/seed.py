"""The data the browser tests start from: the demo catalog (deterministic: the same products,
prices and stock every time) and one verified account per role, all with one password.

Used by the frontend tests' stack (tests/frontend/stack.py). Every row is committed: the
browser talks to a real server, so nothing can be rolled back around it.
"""

import asyncio
import uuid
from dataclasses import dataclass

from app.accounts.models import Role, User
from app.core.config import Settings
from app.core.db import task_session
from app.core.security import hash_password
from app.launcher.demo import seed_demo_catalog

PASSWORD = "correct-horse-battery-staple"
DEMO_PRODUCTS = 60


@dataclass(frozen=True)
class SeededAccounts:
    customer: str
    operator: str
    admin: str
    password: str = PASSWORD

    def environment(self) -> dict[str, str]:
        """For the node side (Vitest and the end-to-end scripts)."""
        return {
            "SHOP_CUSTOMER_EMAIL": self.customer,
            "SHOP_OPERATOR_EMAIL": self.operator,
            "SHOP_ADMIN_EMAIL": self.admin,
            "SHOP_PASSWORD": self.password,
        }


async def _create_accounts(settings: Settings) -> SeededAccounts:
    accounts = SeededAccounts(
        customer="customer@example.com", operator="operator@example.com", admin="admin@example.com"
    )
    hashed = await hash_password(PASSWORD)
    async with task_session(settings) as session:
        for role, email in (
            (Role.CUSTOMER, accounts.customer),
            (Role.OPERATOR, accounts.operator),
            (Role.ADMIN, accounts.admin),
        ):
            session.add(
                User(
                    id=uuid.uuid4(),
                    email=email,
                    hashed_password=hashed,
                    role=role.value,
                    is_active=True,
                    is_verified=True,
                )
            )
    return accounts


def seed(settings: Settings) -> SeededAccounts:
    """Fill the (migrated, empty) database that `settings.DATABASE_URL` names."""
    seed_demo_catalog(settings, products=DEMO_PRODUCTS, with_images=True)
    return asyncio.run(_create_accounts(settings))
