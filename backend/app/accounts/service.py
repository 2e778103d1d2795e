"""Account rules: registration, confirmation, login, passwords, profile, administration.

Plain async functions taking the session; they flush and never commit.
"""

import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import tokens
from app.accounts.exceptions import (
    AlreadyVerified,
    CannotModifySelf,
    EmailTaken,
    InactiveUser,
    InvalidAccessToken,
    InvalidCredentials,
    InvalidRefreshToken,
    InvalidResetToken,
    InvalidVerificationToken,
    WrongPassword,
)
from app.accounts.models import Profile, RefreshToken, Role, User
from app.accounts.schemas import (
    ProfileIn,
    RegisterIn,
    TokenPair,
    UserAdminUpdateIn,
)
from app.accounts.throttle import LoginThrottle
from app.core.config import get_settings
from app.core.pagination import PageParams
from app.core.security import (
    InvalidToken,
    create_signed_token,
    decode_signed_token,
    fingerprint,
    hash_password,
    verify_password,
)
from app.notifications import service as notifications_service

VERIFY_PURPOSE = "verify_email"
RESET_PURPOSE = "password_reset"
ANONYMISED_DOMAIN = "deleted.invalid"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _frontend_link(path: str, token: str | None = None) -> str:
    url = get_settings().FRONTEND_URL.rstrip("/") + path
    return f"{url}?token={token}" if token else url


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def get_user_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == normalise_email(email)))


# --- registration and confirmation -------------------------------------------------------


def _send_verification(session: AsyncSession, user: User) -> None:
    hours = get_settings().EMAIL_VERIFY_TOKEN_EXPIRE_HOURS
    token = create_signed_token(user.id, VERIFY_PURPOSE, timedelta(hours=hours), email=user.email)
    notifications_service.send_email(
        session,
        to=user.email,
        template="verify_email",
        context={"link": _frontend_link("/verify-email", token), "expires_hours": hours},
    )


async def register(session: AsyncSession, data: RegisterIn) -> None:
    """Create a customer and e-mail a confirmation link.

    An address that already has an account gets the same response; its owner is told by
    e-mail instead, so the API never says which addresses are registered.
    """
    email = normalise_email(data.email)
    hashed = await hash_password(data.password)
    user_id = await session.scalar(
        insert(User)
        .values(id=uuid.uuid4(), email=email, hashed_password=hashed, role=Role.CUSTOMER.value)
        .on_conflict_do_nothing(index_elements=[User.email])
        .returning(User.id)
    )
    if user_id is None:
        notifications_service.send_email(
            session,
            to=email,
            template="account_exists",
            context={
                "login_link": _frontend_link("/login"),
                "reset_link": _frontend_link("/forgot-password"),
            },
        )
        return
    if data.first_name or data.last_name:
        session.add(Profile(user_id=user_id, first_name=data.first_name, last_name=data.last_name))
    user = await session.get_one(User, user_id)
    await session.flush()
    _send_verification(session, user)


async def resend_verification(session: AsyncSession, email: str) -> None:
    user = await get_user_by_email(session, email)
    if user is not None and user.is_active and not user.is_verified:
        _send_verification(session, user)


async def verify_email(session: AsyncSession, token: str) -> User:
    try:
        claims = decode_signed_token(token, VERIFY_PURPOSE)
        user = await session.get(User, uuid.UUID(claims["sub"]), with_for_update=True)
    except (InvalidToken, ValueError) as error:
        raise InvalidVerificationToken() from error
    # The token names the address it was sent to: a link for an old address is void.
    if user is None or not user.is_active or user.email != claims.get("email"):
        raise InvalidVerificationToken()
    if user.is_verified:
        raise AlreadyVerified()
    user.is_verified = True
    await session.flush()
    return user


# --- login and tokens --------------------------------------------------------------------


async def login(
    session: AsyncSession, throttle: LoginThrottle, email: str, password: str, ip: str
) -> TokenPair:
    email = normalise_email(email)
    await throttle.count_attempt(email, ip)
    user = await get_user_by_email(session, email)
    if not await verify_password(password, user.hashed_password if user else None):
        raise InvalidCredentials()
    assert user is not None
    if not user.is_active:
        raise InactiveUser()
    await throttle.succeeded(email)
    user.last_login_at = datetime.now(UTC)
    pair, _ = await tokens.issue_token_pair(session, user)
    return pair


async def refresh(session: AsyncSession, refresh_token: str) -> TokenPair:
    old, user_id = await tokens.rotate(session, refresh_token)
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        raise InvalidRefreshToken()
    pair, new = await tokens.issue_token_pair(session, user, family_id=old.family_id)
    old.replaced_by_id = new.id
    await session.flush()
    return pair


async def logout(session: AsyncSession, refresh_token: str) -> None:
    await tokens.revoke_by_value(session, refresh_token)


async def user_from_access_token(session: AsyncSession, token: str) -> User:
    try:
        claims = decode_signed_token(token, tokens.ACCESS_PURPOSE)
        user = await session.get(User, uuid.UUID(claims["sub"]))
    except (InvalidToken, ValueError) as error:
        raise InvalidAccessToken() from error
    if user is None:
        raise InvalidAccessToken()
    if not user.is_active:
        raise InactiveUser()
    return user


async def purge_expired_refresh_tokens(session: AsyncSession) -> int:
    """Delete refresh tokens that can no longer be used nor tell of reuse."""
    result = await session.execute(
        delete(RefreshToken).where(RefreshToken.expires_at < datetime.now(UTC))
    )
    return int(getattr(result, "rowcount", 0) or 0)


# --- passwords ---------------------------------------------------------------------------


async def forgot_password(session: AsyncSession, email: str) -> None:
    user = await get_user_by_email(session, email)
    if user is None or not user.is_active:
        return
    minutes = get_settings().PASSWORD_RESET_TOKEN_EXPIRE_MINUTES
    # Bound to the current password hash: once the password changes, the link is spent.
    token = create_signed_token(
        user.id, RESET_PURPOSE, timedelta(minutes=minutes), fp=fingerprint(user.hashed_password)
    )
    notifications_service.send_email(
        session,
        to=user.email,
        template="password_reset",
        context={"link": _frontend_link("/reset-password", token), "expires_minutes": minutes},
    )


async def _set_password(session: AsyncSession, user: User, password: str) -> None:
    user.hashed_password = await hash_password(password)
    await tokens.revoke_all_for_user(session, user.id)
    await session.flush()
    notifications_service.send_email(
        session, to=user.email, template="password_changed", context={}
    )


async def reset_password(session: AsyncSession, token: str, password: str) -> None:
    try:
        claims = decode_signed_token(token, RESET_PURPOSE)
        # Locked, so two uses of one link take turns and the second finds the hash changed.
        user = await session.get(User, uuid.UUID(claims["sub"]), with_for_update=True)
    except (InvalidToken, ValueError) as error:
        raise InvalidResetToken() from error
    if user is None or not user.is_active or claims.get("fp") != fingerprint(user.hashed_password):
        raise InvalidResetToken()
    await _set_password(session, user, password)


async def change_password(
    session: AsyncSession, user: User, current_password: str, new_password: str
) -> None:
    if not await verify_password(current_password, user.hashed_password):
        raise WrongPassword()
    await _set_password(session, user, new_password)


# --- the user's own account --------------------------------------------------------------


async def change_email(
    session: AsyncSession, user: User, new_email: str, current_password: str
) -> User:
    if not await verify_password(current_password, user.hashed_password):
        raise WrongPassword()
    new_email = normalise_email(new_email)
    if new_email == user.email:
        return user
    old_email = user.email
    try:
        async with session.begin_nested():
            user.email = new_email
            user.is_verified = False
            await session.flush()
    except IntegrityError as error:
        raise EmailTaken() from error
    notifications_service.send_email(
        session, to=old_email, template="email_changed", context={"new_email": new_email}
    )
    _send_verification(session, user)
    return user


async def delete_account(session: AsyncSession, user: User) -> None:
    """Deactivate and anonymise; orders (which keep their own address snapshot) stay."""
    user.is_active = False
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
    profile = await session.get(Profile, user.id, with_for_update=True)
    if profile is None:
        profile = Profile(user_id=user.id)
        session.add(profile)
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
        escaped = email.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(User.email.like(f"%{escaped}%", escape="\\"))
    total = await session.scalar(select(func.count()).select_from(User).where(*conditions))
    users = await session.scalars(
        select(User)
        .where(*conditions)
        .order_by(User.created_at.desc(), User.id)
        .offset(params.offset)
        .limit(params.size)
    )
    return list(users), total or 0


async def admin_update_user(
    session: AsyncSession, actor: User, user: User, data: UserAdminUpdateIn
) -> User:
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if user.id == actor.id and (
        changes.get("is_active") is False
        or ("role" in changes and changes["role"] != Role(actor.role))
    ):
        raise CannotModifySelf()
    if "role" in changes:
        user.role = Role(changes["role"]).value
    if "is_active" in changes:
        user.is_active = changes["is_active"]
        if not user.is_active:
            await tokens.revoke_all_for_user(session, user.id)
    await session.flush()
    return user


async def ensure_admin(session: AsyncSession, email: str, password: str) -> User:
    """Create this admin, or make the existing account an active admin with this password."""
    user = await get_user_by_email(session, email)
    hashed = await hash_password(password)
    if user is None:
        user = User(id=uuid.uuid4(), email=normalise_email(email), hashed_password=hashed)
        session.add(user)
    else:
        user.hashed_password = hashed
    user.role = Role.ADMIN.value
    user.is_active = True
    user.is_verified = True
    await session.flush()
    return user


async def admin_exists(session: AsyncSession) -> bool:
    found = await session.scalar(
        select(User.id).where(User.role == Role.ADMIN.value, User.is_active).limit(1)
    )
    return found is not None
