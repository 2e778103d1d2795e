"""The first admin from FIRST_ADMIN_*: created when missing, never reset afterwards."""

import asyncio

from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.accounts.models import User
from app.core.config import get_settings
from app.core.security import hash_password, verify_password
from app.launcher.admin import AdminSource, ensure_first_admin
from tests.fixtures.app import LIVE_EMAIL_DOMAIN, live_email


async def test_first_admin_is_created_once_and_then_left_alone(engine: AsyncEngine) -> None:
    email = live_email("first-admin")
    settings = get_settings().model_copy(
        update={
            "FIRST_ADMIN_EMAIL": email,
            "FIRST_ADMIN_PASSWORD": SecretStr("first-admin-passphrase"),
        }
    )
    try:
        # The launcher's own event loop, as at start-up.
        login = await asyncio.to_thread(ensure_first_admin, settings)
        assert (login.source, login.email, login.password) == (AdminSource.SETTINGS, email, None)
        async with AsyncSession(engine) as session:
            admin = await session.scalar(select(User).where(User.email == email))
            assert admin is not None
            assert (admin.role, admin.is_active, admin.is_verified) == ("admin", True, True)
            assert await verify_password("first-admin-passphrase", admin.hashed_password)
            # The admin changes the password, then the shop restarts.
            admin.hashed_password = await hash_password("rotated-admin-passphrase")
            await session.commit()

        await asyncio.to_thread(ensure_first_admin, settings)
        async with AsyncSession(engine) as session:
            admin = await session.scalar(select(User).where(User.email == email))
            assert admin is not None
            assert await verify_password("rotated-admin-passphrase", admin.hashed_password)
    finally:
        async with AsyncSession(engine) as session:
            await session.execute(
                User.__table__.delete().where(User.email.like(f"%@{LIVE_EMAIL_DOMAIN}"))
            )
            await session.commit()
