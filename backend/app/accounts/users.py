"""Accounts and their administration: the user's own account and profile, admin user
management, and the first admin. Getting in (tokens, passwords, e-mails) is in auth.py.

Plain async functions taking the session; they flush and never commit.
"""

import functools
import secrets
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import auth, tokens
from app.accounts.exceptions import AccountDeleted, CannotModifySelf, EmailTaken, LastAdmin
from app.accounts.models import Profile, Role, User
from app.accounts.schemas import ProfileIn, UserAdminCreateIn, UserAdminUpdateIn
from app.accounts.throttle import AccountLimits
from app.core.db import after_commit
from app.core.pagination import PageParams, like_pattern
from app.core.security import hash_password

ANONYMISED_DOMAIN = "deleted.invalid"


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


# --- the user's own account --------------------------------------------------------------


async def delete_account(
    session: AsyncSession, limits: AccountLimits, user: User, password: str, ip: str
) -> None:
    """Deactivate and anonymise, after the password is given again; orders (which keep
    their own address snapshot) stay."""
    await auth.check_password(limits, user, password, ip)
    user.is_active = False
    user.deleted_at = datetime.now(UTC)
    user.email = f"deleted-{user.id.hex}@{ANONYMISED_DOMAIN}"
    # Not a hash any verifier accepts: nobody can log in to this account again.
    user.hashed_password = f"!deleted:{secrets.token_hex(16)}"
    user.last_login_at = None
    await session.execute(delete(Profile).where(Profile.user_id == user.id))
    await tokens.revoke_all_for_user(session, user.id)
    await session.flush()


async def get_profile(session: AsyncSession, user: User) -> Profile | None:
    return await session.get(Profile, user.id)


async def save_profile(
    session: AsyncSession, user: User, data: ProfileIn, *, partial: bool
) -> Profile:
    # Insert-if-missing first, so two first saves at once cannot both insert.
    await session.execute(
        insert(Profile).values(user_id=user.id).on_conflict_do_nothing(index_elements=["user_id"])
    )
    profile = await session.get_one(Profile, user.id, with_for_update=True, populate_existing=True)
    fields: dict[str, Any] = data.model_dump(mode="json", exclude_unset=partial)
    for name in ("first_name", "last_name", "phone", "default_address"):
        if not partial or name in fields:
            setattr(profile, name, fields.get(name))
    await session.flush()
    return profile


async def delete_profile(session: AsyncSession, user: User) -> None:
    await session.execute(delete(Profile).where(Profile.user_id == user.id))


# --- administration ----------------------------------------------------------------------


async def list_users(
    session: AsyncSession, params: PageParams, role: Role | None, email: str | None
) -> tuple[list[User], int]:
    """One page of users, newest first, and how many match in all."""
    conditions = []
    if role is not None:
        conditions.append(User.role == role.value)
    if email:
        conditions.append(User.email.like(like_pattern(email.lower()), escape="\\"))
    total = await session.scalar(select(func.count()).select_from(User).where(*conditions))
    users = await session.scalars(
        select(User)
        .where(*conditions)
        .order_by(User.created_at.desc(), User.id)
        .offset(params.offset)
        .limit(params.size)
    )
    return list(users), total or 0


async def _active_admin_ids(session: AsyncSession) -> list[uuid.UUID]:
    # Locked in id order: two admins demoting each other at once take turns, and the
    # second sees that only one admin is left.
    rows = await session.scalars(
        select(User.id)
        .where(User.role == Role.ADMIN.value, User.is_active)
        .order_by(User.id)
        .with_for_update()
    )
    return list(rows)


# Run once a user's role or activity changed and the change committed (given the user's id).
AccessChanged = Callable[[uuid.UUID], Awaitable[None]]


async def admin_update_user(
    session: AsyncSession,
    actor: User,
    user: User,
    data: UserAdminUpdateIn,
    *,
    on_access_changed: AccessChanged | None = None,
) -> User:
    """Change the role or activity (not one's own, never the last active admin, under the
    admins' row locks); `on_access_changed` runs after the commit when either changed."""
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    before = (user.role, user.is_active)
    demoted = "role" in changes and changes["role"] != Role.ADMIN
    deactivated = changes.get("is_active") is False
    if user.id == actor.id and (demoted or deactivated):
        raise CannotModifySelf()
    if changes.get("is_active") and user.deleted_at is not None:
        raise AccountDeleted()
    if (
        user.role == Role.ADMIN.value
        and (demoted or deactivated)
        and await _active_admin_ids(session) == [user.id]
    ):
        raise LastAdmin()
    if "role" in changes:
        user.role = Role(changes["role"]).value
    if "is_active" in changes:
        user.is_active = changes["is_active"]
        if not user.is_active:
            await tokens.revoke_all_for_user(session, user.id)
    await session.flush()
    if on_access_changed is not None and (user.role, user.is_active) != before:
        after_commit(session, functools.partial(on_access_changed, user.id))
    return user


async def admin_create_user(session: AsyncSession, data: UserAdminCreateIn) -> User:
    """An account with the role and password an admin chose; EmailTaken if the address has
    one already."""
    user_id = await session.scalar(
        insert(User)
        .values(
            id=uuid.uuid4(),
            email=auth.normalise_email(data.email),
            hashed_password=await hash_password(data.password),
            role=data.role.value,
            is_active=data.is_active,
            is_verified=data.is_verified,
        )
        .on_conflict_do_nothing(index_elements=[User.email])
        .returning(User.id)
    )
    if user_id is None:
        raise EmailTaken()
    return await session.get_one(User, user_id)


async def create_admin_if_missing(session: AsyncSession, email: str, password: str) -> bool:
    """The first admin from settings: created when the address has no account; an existing
    account is left as it is (its owner may have changed the password since). True when
    created."""
    user_id = await session.scalar(
        insert(User)
        .values(
            id=uuid.uuid4(),
            email=auth.normalise_email(email),
            hashed_password=await hash_password(password),
            role=Role.ADMIN.value,
            is_verified=True,
        )
        .on_conflict_do_nothing(index_elements=[User.email])
        .returning(User.id)
    )
    return user_id is not None


async def ensure_admin(session: AsyncSession, email: str, password: str) -> User:
    """Create this admin, or make the existing account an active admin with this password
    (which ends its other sessions)."""
    user = await auth.get_user_by_email(session, email)
    if user is None:
        user = User(
            id=uuid.uuid4(),
            email=auth.normalise_email(email),
            hashed_password=await hash_password(password),
        )
        session.add(user)
    else:
        user.hashed_password = await hash_password(password)
        await tokens.revoke_all_for_user(session, user.id)
    user.role = Role.ADMIN.value
    user.is_active = True
    user.is_verified = True
    user.deleted_at = None
    await session.flush()
    return user


async def admin_exists(session: AsyncSession) -> bool:
    found = await session.scalar(
        select(User.id).where(User.role == Role.ADMIN.value, User.is_active).limit(1)
    )
    return found is not None
