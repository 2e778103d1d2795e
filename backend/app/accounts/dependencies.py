"""Current user, role checks and loaders for the accounts routes (and every other domain)."""

import uuid
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from app.accounts import service
from app.accounts.exceptions import InactiveUser, InsufficientRole, InvalidAccessToken, UserNotFound
from app.accounts.models import Role, User
from app.accounts.throttle import AccountLimits
from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.errors import NotAuthenticated, TooManyRequests, raises
from app.core.redis import RedisDep

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/login", auto_error=False)


@raises(NotAuthenticated, InvalidAccessToken, InactiveUser)
async def get_current_user(
    session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> User:
    if token is None:
        raise NotAuthenticated()
    return await service.user_from_access_token(session, token)


CurrentUser = Annotated[User, Depends(get_current_user)]


def access_changed_hook(request: Request) -> service.AccessChanged:
    """What the application runs once a user's role or activity changed: the admin panel,
    which accounts cannot know, ends that user's panel sessions (`app.state.on_access_changed`,
    set by the panel's setup)."""
    hook: service.AccessChanged = request.app.state.on_access_changed
    return hook


OnAccessChanged = Annotated[service.AccessChanged, Depends(access_changed_hook)]


@raises(InvalidAccessToken, InactiveUser)
async def get_optional_user(
    session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> User | None:
    """The user when a bearer token is sent, None for a guest; a bad token is still a 401."""
    if token is None:
        return None
    return await service.user_from_access_token(session, token)


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


def require_roles(*roles: Role) -> Any:
    allowed = {role.value for role in roles}

    @raises(InsufficientRole)
    async def check(user: CurrentUser) -> User:
        if user.role not in allowed:
            raise InsufficientRole()
        return user

    return Depends(check)


AdminUser = Annotated[User, require_roles(Role.ADMIN)]
StaffUser = Annotated[User, require_roles(Role.OPERATOR, Role.ADMIN)]


@raises(UserNotFound)
async def valid_user_id(user_id: uuid.UUID, session: SessionDep) -> User:
    user = await service.get_user(session, user_id)
    if user is None:
        raise UserNotFound()
    return user


UserById = Annotated[User, Depends(valid_user_id)]


@raises(TooManyRequests)
def get_account_limits(redis: RedisDep) -> AccountLimits:
    return AccountLimits(redis, get_settings())


AccountLimitsDep = Annotated[AccountLimits, Depends(get_account_limits)]
