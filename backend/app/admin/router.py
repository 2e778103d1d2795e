"""`GET /api/v1/auth/check-admin`: may the caller see admin-only tools? nginx asks it
(auth_request) before it lets a request through to Flower.

204 for an admin, by bearer token or by admin panel session cookie; 401 for nobody (no or
bad credentials); 403 for a logged-in user who is not an admin.
"""

import json
from base64 import b64decode
from typing import Annotated, Any

import itsdangerous
from fastapi import APIRouter, Depends, Request, Response
from itsdangerous.exc import BadSignature
from sqlalchemy.ext.asyncio import AsyncSession

from app.accounts import service as accounts_service
from app.accounts.dependencies import oauth2_scheme
from app.accounts.exceptions import InactiveUser, InsufficientRole, InvalidAccessToken
from app.accounts.models import Role, User
from app.admin.auth import SESSION_COOKIE, staff_from_session
from app.admin.sessions import admin_sessions
from app.core.config import Settings
from app.core.db import SessionDep
from app.core.errors import NotAuthenticated, raises

check_admin_router = APIRouter(prefix="/auth", tags=["auth"])


def read_session_cookie(settings: Settings, cookie: str) -> dict[str, Any] | None:
    """The admin panel's session, as Starlette's SessionMiddleware signed it; None when the
    cookie is forged, expired or malformed."""
    signer = itsdangerous.TimestampSigner(settings.SECRET_KEY.get_secret_value())
    try:
        data = signer.unsign(cookie.encode(), max_age=settings.ADMIN_SESSION_HOURS * 3600)
        session = json.loads(b64decode(data))
    except (BadSignature, ValueError):
        return None
    return session if isinstance(session, dict) else None


async def user_from_session_cookie(request: Request, session: AsyncSession) -> User | None:
    """The active operator or admin the admin panel's session cookie names, if any."""
    cookie = request.cookies.get(SESSION_COOKIE)
    settings: Settings = request.app.state.settings
    data = read_session_cookie(settings, cookie) if cookie else None
    if not data:
        return None
    return await staff_from_session(session, admin_sessions(request), data)


async def caller(request: Request, session: AsyncSession, token: str | None) -> User | None:
    """Who calls: the bearer token's user (a bad token raises), else the staff member the
    admin panel's session cookie names, else nobody."""
    if token is not None:
        return await accounts_service.user_from_access_token(session, token)
    return await user_from_session_cookie(request, session)


@check_admin_router.get(
    "/check-admin",
    status_code=204,
    summary="Is the caller an admin? (for nginx auth_request)",
)
@raises(NotAuthenticated, InvalidAccessToken, InactiveUser, InsufficientRole)
async def check_admin(
    request: Request,
    session: SessionDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> Response:
    user = await caller(request, session, token)
    if user is None:
        raise NotAuthenticated()
    if user.role != Role.ADMIN.value:
        raise InsufficientRole()
    return Response(status_code=204)
