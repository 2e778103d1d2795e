"""Access tokens (short-lived JWT) and refresh tokens (opaque, hashed, rotated in families)."""

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts.exceptions import InvalidRefreshToken, RefreshTokenReused
from app.accounts.models import RefreshToken, User
from app.accounts.schemas import TokenPair
from app.core.config import get_settings
from app.core.security import (
    create_signed_token,
    fingerprint,
    hash_opaque_token,
    new_opaque_token,
)

ACCESS_PURPOSE = "access"


def password_fingerprint(user: User) -> str:
    """Changes with the password: access tokens issued before a change stop working."""
    return fingerprint(user.hashed_password)


def create_access_token(user: User) -> str:
    ttl = timedelta(minutes=get_settings().ACCESS_TOKEN_EXPIRE_MINUTES)
    return create_signed_token(user.id, ACCESS_PURPOSE, ttl, pwd=password_fingerprint(user))


async def issue_token_pair(
    session: AsyncSession, user: User, family_id: uuid.UUID | None = None
) -> tuple[TokenPair, RefreshToken]:
    settings = get_settings()
    access_ttl = timedelta(minutes=settings.ACCESS_TOKEN_EXPIRE_MINUTES)
    refresh_value = new_opaque_token()
    refresh = RefreshToken(
        id=uuid.uuid4(),
        user_id=user.id,
        family_id=family_id or uuid.uuid4(),
        token_hash=hash_opaque_token(refresh_value),
        expires_at=datetime.now(UTC) + timedelta(days=settings.REFRESH_TOKEN_EXPIRE_DAYS),
    )
    session.add(refresh)
    await session.flush()
    pair = TokenPair(
        access_token=create_access_token(user),
        refresh_token=refresh_value,
        expires_in=int(access_ttl.total_seconds()),
    )
    return pair, refresh


async def rotate(session: AsyncSession, refresh_value: str) -> tuple[RefreshToken, uuid.UUID]:
    """Retire a presented refresh token; returns it and the user to issue a new pair for.

    The row lock makes parallel uses of one token take turns: the first rotates it, every
    later one sees a rotated token, which is reuse, and revokes the whole family.
    """
    token = await session.scalar(
        select(RefreshToken)
        .where(RefreshToken.token_hash == hash_opaque_token(refresh_value))
        .with_for_update()
    )
    if token is None:
        raise InvalidRefreshToken()
    if token.revoked_at is not None:
        if token.replaced_by_id is not None:
            await revoke_family(session, token.family_id)
            raise RefreshTokenReused()
        raise InvalidRefreshToken()
    if token.expires_at <= datetime.now(UTC):
        raise InvalidRefreshToken()
    token.revoked_at = datetime.now(UTC)
    return token, token.user_id


async def revoke_family(session: AsyncSession, family_id: uuid.UUID) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


async def revoke_by_value(session: AsyncSession, refresh_value: str) -> None:
    family_id = await session.scalar(
        select(RefreshToken.family_id).where(
            RefreshToken.token_hash == hash_opaque_token(refresh_value)
        )
    )
    if family_id is not None:
        await revoke_family(session, family_id)


async def revoke_all_for_user(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


async def purge_expired(session: AsyncSession) -> int:
    """Delete refresh tokens that can no longer be used nor tell of reuse."""
    result = await session.execute(
        delete(RefreshToken).where(RefreshToken.expires_at < datetime.now(UTC))
    )
    return int(getattr(result, "rowcount", 0) or 0)
