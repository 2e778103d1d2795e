"""Getting in: registration, e-mail confirmation, login and tokens, passwords, e-mail change.

Plain async functions taking the session; they flush and never commit. Every flow that
e-mails someone on an anonymous request answers the same whether or not the address has an
account, and is rate-limited per address and per client.
"""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import tokens
from app.accounts.exceptions import (
    AlreadyVerified,
    EmailTaken,
    InactiveUser,
    InvalidAccessToken,
    InvalidCredentials,
    InvalidRefreshToken,
    InvalidResetToken,
    InvalidVerificationToken,
    WrongPassword,
)
from app.accounts.models import Profile, Role, User
from app.accounts.schemas import RegisterIn, TokenPair
from app.accounts.throttle import AccountLimits
from app.core.config import get_settings
from app.core.errors import is_unavailable
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
CHANGE_EMAIL_PURPOSE = "change_email"
RESET_PURPOSE = "password_reset"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def frontend_link(path: str, token: str | None = None) -> str:
    url = get_settings().FRONTEND_URL.rstrip("/") + path
    return f"{url}?token={token}" if token else url


async def get_user_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == normalise_email(email)))


def credentials_fingerprint(user: User) -> str:
    """Changes with the address or the password: links bound to it die with either."""
    return fingerprint(user.email, user.hashed_password)


async def _decode(token: str, *purposes: str, error: type[Exception]) -> dict[str, Any]:
    try:
        claims = decode_signed_token(token, *purposes)
        claims["sub"] = uuid.UUID(claims["sub"])
    except (InvalidToken, ValueError) as invalid:
        raise error() from invalid
    return claims


# --- registration and confirmation -------------------------------------------------------


def send_verification(session: AsyncSession, user: User) -> None:
    hours = get_settings().EMAIL_VERIFY_TOKEN_EXPIRE_HOURS
    token = create_signed_token(user.id, VERIFY_PURPOSE, timedelta(hours=hours), email=user.email)
    notifications_service.send_email(
        session,
        to=user.email,
        template="verify_email",
        context={"link": frontend_link("/verify-email", token), "expires_hours": hours},
    )


async def register(session: AsyncSession, limits: AccountLimits, data: RegisterIn, ip: str) -> None:
    """Create a customer and e-mail a confirmation link.

    An address that already has an account gets the same response; its owner is told by
    e-mail instead, so the API never says which addresses are registered.
    """
    email = normalise_email(data.email)
    await limits.email_request(email, ip)
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
                "login_link": frontend_link("/login"),
                "reset_link": frontend_link("/forgot-password"),
            },
        )
        return
    if data.first_name or data.last_name:
        session.add(Profile(user_id=user_id, first_name=data.first_name, last_name=data.last_name))
    user = await session.get_one(User, user_id)
    await session.flush()
    send_verification(session, user)


async def resend_verification(
    session: AsyncSession, limits: AccountLimits, email: str, ip: str
) -> None:
    await limits.email_request(normalise_email(email), ip)
    user = await get_user_by_email(session, email)
    if user is not None and user.is_active and not user.is_verified:
        send_verification(session, user)


async def confirm_email(session: AsyncSession, token: str) -> User:
    """Follow a link from an e-mail: confirm a new account's address, or an address change."""
    claims = await _decode(
        token, VERIFY_PURPOSE, CHANGE_EMAIL_PURPOSE, error=InvalidVerificationToken
    )
    user = await session.get(User, claims["sub"], with_for_update=True)
    if user is None or not user.is_active:
        raise InvalidVerificationToken()
    if claims["purpose"] == CHANGE_EMAIL_PURPOSE:
        return await _complete_email_change(session, user, claims)
    # The token names the address it was sent to: a link for an old address is void.
    if user.email != claims.get("email"):
        raise InvalidVerificationToken()
    if user.is_verified:
        raise AlreadyVerified()
    user.is_verified = True
    await session.flush()
    return user


# --- login and tokens --------------------------------------------------------------------


async def check_password(limits: AccountLimits, user: User, password: str, ip: str) -> None:
    """The current password, asked again before a sensitive change; guesses are throttled
    with the logins' (one budget per account and client address, one ceiling per account)."""
    await limits.password_attempt(user.email, ip)
    if not await verify_password(password, user.hashed_password):
        raise WrongPassword()
    await limits.password_accepted(user.email, ip)


async def authenticate(
    session: AsyncSession, limits: AccountLimits, email: str, password: str, ip: str
) -> User:
    """The account (active or not) that this e-mail and password open: InvalidCredentials
    otherwise, 429 past the limits on guessing. The API's login and the admin panel's."""
    email = normalise_email(email)
    await limits.failed_login_per_ip.check(ip)
    await limits.password_attempt(email, ip)
    try:
        user = await get_user_by_email(session, email)
    except Exception as error:
        if is_unavailable(error):
            await limits.password_not_checked(email, ip)
        raise
    if not await verify_password(password, user.hashed_password if user else None):
        await limits.failed_login_per_ip.hit(ip)
        raise InvalidCredentials()
    assert user is not None
    await limits.password_accepted(email, ip)
    return user


async def login(
    session: AsyncSession, limits: AccountLimits, email: str, password: str, ip: str
) -> TokenPair:
    user = await authenticate(session, limits, email, password, ip)
    if not user.is_active:
        raise InactiveUser()
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


def access_token_expiry(token: str) -> float:
    """When a valid access token expires, in epoch seconds."""
    expires_at: float = decode_signed_token(token, tokens.ACCESS_PURPOSE)["exp"]
    return expires_at


async def user_from_access_token(session: AsyncSession, token: str) -> User:
    claims = await _decode(token, tokens.ACCESS_PURPOSE, error=InvalidAccessToken)
    user = await session.get(User, claims["sub"])
    # A token issued before the last password change is void.
    if user is None or claims.get("pwd") != tokens.password_fingerprint(user):
        raise InvalidAccessToken()
    if not user.is_active:
        raise InactiveUser()
    return user


# --- passwords ---------------------------------------------------------------------------


async def forgot_password(
    session: AsyncSession, limits: AccountLimits, email: str, ip: str
) -> None:
    await limits.email_request(normalise_email(email), ip)
    user = await get_user_by_email(session, email)
    if user is None or not user.is_active:
        return
    minutes = get_settings().PASSWORD_RESET_TOKEN_EXPIRE_MINUTES
    # Bound to the current address and password: once either changes, the link is spent.
    token = create_signed_token(
        user.id, RESET_PURPOSE, timedelta(minutes=minutes), fp=credentials_fingerprint(user)
    )
    notifications_service.send_email(
        session,
        to=user.email,
        template="password_reset",
        context={"link": frontend_link("/reset-password", token), "expires_minutes": minutes},
    )


async def set_password(session: AsyncSession, user: User, password: str) -> None:
    """A new password ends every session: refresh tokens revoked, access tokens void."""
    user.hashed_password = await hash_password(password)
    await tokens.revoke_all_for_user(session, user.id)
    await session.flush()
    notifications_service.send_email(
        session, to=user.email, template="password_changed", context={}
    )


async def reset_password(session: AsyncSession, token: str, password: str) -> None:
    claims = await _decode(token, RESET_PURPOSE, error=InvalidResetToken)
    # Locked, so two uses of one link take turns and the second finds the hash changed.
    user = await session.get(User, claims["sub"], with_for_update=True)
    if user is None or not user.is_active or claims.get("fp") != credentials_fingerprint(user):
        raise InvalidResetToken()
    await set_password(session, user, password)


async def change_password(
    session: AsyncSession,
    limits: AccountLimits,
    user: User,
    current: str,
    new: str,
    ip: str,
) -> TokenPair:
    """Change the password; the caller gets a fresh token pair, every other session ends."""
    await check_password(limits, user, current, ip)
    await set_password(session, user, new)
    pair, _ = await tokens.issue_token_pair(session, user)
    return pair


# --- changing the e-mail address ---------------------------------------------------------


async def request_email_change(
    session: AsyncSession,
    limits: AccountLimits,
    user: User,
    new_email: str,
    password: str,
    ip: str,
) -> None:
    """E-mail a confirmation link to the new address; nothing changes until it is followed.

    Whether the address is free is only checked then: the answer here is the same either
    way, so this cannot be used to probe for registered addresses, nor to squat on one.
    """
    await check_password(limits, user, password, ip)
    new_email = normalise_email(new_email)
    if new_email == user.email:
        return
    hours = get_settings().EMAIL_VERIFY_TOKEN_EXPIRE_HOURS
    token = create_signed_token(
        user.id,
        CHANGE_EMAIL_PURPOSE,
        timedelta(hours=hours),
        email=new_email,
        fp=credentials_fingerprint(user),
    )
    notifications_service.send_email(
        session,
        to=new_email,
        template="confirm_email_change",
        context={
            "link": frontend_link("/verify-email", token),
            "expires_hours": hours,
            "new_email": new_email,
        },
    )


async def _complete_email_change(session: AsyncSession, user: User, claims: dict[str, Any]) -> User:
    if claims.get("fp") != credentials_fingerprint(user):
        raise InvalidVerificationToken()
    old_email, new_email = user.email, str(claims.get("email"))
    try:
        async with session.begin_nested():
            user.email = new_email
            # Following the link proved the new mailbox is theirs.
            user.is_verified = True
            await session.flush()
    except IntegrityError as error:
        raise EmailTaken() from error
    notifications_service.send_email(
        session, to=old_email, template="email_changed", context={"new_email": new_email}
    )
    return user
