"""The first admin: from FIRST_ADMIN_* on every start, or generated once."""

import asyncio
import secrets
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import TypeAdapter, ValidationError

from app.core.config import Settings
from app.core.db import task_session
from app.launcher.console import say

DEFAULT_ADMIN_EMAIL = "admin@example.com"


class AdminSource(StrEnum):
    SETTINGS = "settings"  # FIRST_ADMIN_EMAIL / FIRST_ADMIN_PASSWORD: created when missing
    GENERATED = "generated"  # created now with a random password, shown once
    EXISTING = "existing"  # an admin was there already; nothing to show


@dataclass(frozen=True)
class AdminLogin:
    source: AdminSource
    email: str | None = None
    password: str | None = field(default=None, repr=False)


async def _ensure_first_admin(settings: Settings) -> AdminLogin:
    from app.accounts import service as accounts_service

    email, password = settings.FIRST_ADMIN_EMAIL, _first_admin_password(settings)
    async with task_session(settings) as session:
        if email and password:
            # Created when missing, never reset: its owner may have changed the password.
            await accounts_service.create_admin_if_missing(session, email, password)
            return AdminLogin(AdminSource.SETTINGS, email.strip().lower())
        if await accounts_service.admin_exists(session):
            return AdminLogin(AdminSource.EXISTING)
        password = secrets.token_urlsafe(16)
        await accounts_service.ensure_admin(session, DEFAULT_ADMIN_EMAIL, password)
        return AdminLogin(AdminSource.GENERATED, DEFAULT_ADMIN_EMAIL, password)


def password_problem(password: str) -> str | None:
    """Why `password` breaks the account password policy, or None when it is fine."""
    from app.accounts.schemas import NewPassword

    try:
        TypeAdapter(NewPassword).validate_python(password)
    except ValidationError as error:
        return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in error.errors())
    return None


def _first_admin_password(settings: Settings) -> str:
    secret = settings.FIRST_ADMIN_PASSWORD
    return secret.get_secret_value() if secret else ""


def first_admin_problem(settings: Settings) -> str | None:
    """Why FIRST_ADMIN_PASSWORD is refused, checked before anything starts."""
    password = _first_admin_password(settings)
    if not (settings.FIRST_ADMIN_EMAIL and password):
        return None
    problem = password_problem(password)
    return f"FIRST_ADMIN_PASSWORD is refused: {problem}" if problem else None


def ensure_first_admin(settings: Settings) -> AdminLogin:
    """FIRST_ADMIN_* applied on every start; otherwise a generated admin, once."""
    if bool(settings.FIRST_ADMIN_EMAIL) != bool(_first_admin_password(settings)):
        say("FIRST_ADMIN_EMAIL and FIRST_ADMIN_PASSWORD work only together: ignoring the one set.")
    return asyncio.run(_ensure_first_admin(settings))


async def _create_admin(settings: Settings, email: str, password: str) -> str:
    from app.accounts import service as accounts_service

    async with task_session(settings) as session:
        user = await accounts_service.ensure_admin(session, email, password)
        return user.email


def create_admin(settings: Settings, email: str, password: str) -> str:
    """Create or update an active, verified admin; returns the stored e-mail."""
    return asyncio.run(_create_admin(settings, email, password))
