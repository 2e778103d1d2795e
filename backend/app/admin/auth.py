"""Who may use the admin panel, and what they may see there.

Login is our own: e-mail and password checked by the API login's own `authenticate`, with its
password-guessing limits. Operators and admins get in; customers are refused with
the same "invalid credentials" a wrong password gets. The session is a cookie signed with
SECRET_KEY (Starlette's SessionMiddleware, itsdangerous): HttpOnly, SameSite=Strict, and Secure
when the request came over HTTPS (uvicorn's --proxy-headers turns nginx's X-Forwarded-Proto
into the request's scheme). The cookie names a session kept in Redis (sessions.py), which
logout, a new password or role, and an admin's change to the account end; and every request
reloads the user: a deactivated or demoted account is out at its next click.

Admins see every view; operators the catalog, inventory and orders views.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from sqladmin.authentication import AuthenticationBackend
from sqladmin.authorization import AuthorizationBackend
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app.accounts import service as accounts_service
from app.accounts.exceptions import InvalidCredentials
from app.accounts.models import STAFF_ROLES, Role, User
from app.admin.csrf import CsrfMiddleware
from app.admin.sessions import AdminSessions, grant
from app.core.config import Settings
from app.core.errors import TooManyRequests
from app.core.ratelimit import client_ip

SESSION_COOKIE = "onlineshop_admin"
ROLE_STATE = "admin_role"
# The cookie's key for the id of the session in Redis.
SESSION_ID = "sid"


class ProxyAwareSessionMiddleware:
    """Starlette's SessionMiddleware, with the Secure flag on the cookie whenever the request
    came over HTTPS (a setting could not know: the same process answers both)."""

    def __init__(self, app: ASGIApp, /, **options: Any) -> None:
        self.plain = SessionMiddleware(app, https_only=False, **options)
        self.secure = SessionMiddleware(app, https_only=True, **options)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        secure = scope.get("scheme") in ("https", "wss")
        await (self.secure if secure else self.plain)(scope, receive, send)


def session_options(settings: Settings) -> dict[str, Any]:
    return {
        "secret_key": settings.SECRET_KEY.get_secret_value(),
        "session_cookie": SESSION_COOKIE,
        "max_age": settings.ADMIN_SESSION_HOURS * 3600,
        # "/" and not "/admin": nginx asks the API whether the cookie's owner may see /flower.
        "path": "/",
        # Strict: no other site's link or form comes with the cookie, not even a top-level
        # navigation (Lax would send it on one). Changes need a CSRF token besides (csrf.py).
        "same_site": "strict",
    }


@dataclass(frozen=True)
class AdminDeps:
    """What the admin panel needs from the app: its sessions, Redis and settings."""

    sessionmaker: async_sessionmaker[AsyncSession]
    redis: Redis
    settings: Settings


async def staff_from_session(
    session: AsyncSession, sessions: AdminSessions, data: dict[str, Any]
) -> User | None:
    """The active operator or admin whose live session the cookie names; None if it names
    nobody valid. A session whose user is no longer allowed in, or whose password or role
    changed, is ended for good (a demoted account promoted again does not get it back)."""
    session_id = data.get(SESSION_ID)
    record = await sessions.get(session_id) if isinstance(session_id, str) else None
    if record is None:
        return None
    user = await accounts_service.get_user(session, record.user_id)
    if (
        user is None
        or not user.is_active
        or user.role not in STAFF_ROLES
        or record.grant != grant(user)
    ):
        await sessions.end(str(session_id))
        return None
    return user


class AdminAuth(AuthenticationBackend):
    def __init__(self, deps: AdminDeps) -> None:
        super().__init__(secret_key=deps.settings.SECRET_KEY.get_secret_value())
        self.deps = deps
        self.sessions = AdminSessions(deps.redis, deps.settings)
        # The CSRF check reads the session, so it runs inside the session middleware.
        self.middlewares = [
            Middleware(ProxyAwareSessionMiddleware, **session_options(deps.settings)),
            Middleware(CsrfMiddleware),
        ]

    async def login(self, request: Request) -> bool:
        form = await request.form()
        limits = accounts_service.AccountLimits(self.deps.redis, self.deps.settings)
        async with self.deps.sessionmaker() as session:
            try:
                user = await accounts_service.authenticate(
                    session,
                    limits,
                    str(form.get("username", "")),
                    str(form.get("password", "")),
                    client_ip(request),
                )
            except (InvalidCredentials, TooManyRequests):
                return False
        if not user.is_active or user.role not in STAFF_ROLES:
            return False
        # A new session and a new CSRF token (the login page's one is not kept).
        request.session.clear()
        request.session[SESSION_ID] = await self.sessions.open(user)
        return True

    async def logout(self, request: Request) -> bool:
        """Ends the session in Redis: the cookie, wherever a copy of it is, is nobody's."""
        session_id = request.session.get(SESSION_ID)
        if isinstance(session_id, str):
            await self.sessions.end(session_id)
        request.session.clear()
        return True

    async def authenticate(self, request: Request) -> bool:
        if SESSION_ID not in request.session:
            return False
        async with self.deps.sessionmaker() as session:
            user = await staff_from_session(session, self.sessions, request.session)
        if user is None:
            request.session.clear()
            return False
        setattr(request.state, ROLE_STATE, user.role)
        request.state.admin_user_id = user.id
        return True

    async def get_user_id(self, request: Request) -> Any:
        """Who acts (SQLAdmin's default reads a user id from the cookie; ours has none)."""
        return getattr(request.state, "admin_user_id", None)


class RoleAuthorization(AuthorizationBackend):
    """Admins may do everything the views allow; operators only in the views marked
    `for_operators` (their identities: `operator_views`)."""

    def __init__(self, operator_views: Iterable[str]) -> None:
        self.operator_views = frozenset(operator_views)

    def has_permission(
        self, request: Request, identity: str, action: str, obj: Any | None = None
    ) -> bool:
        role = getattr(request.state, ROLE_STATE, None)
        if role == Role.ADMIN.value:
            return True
        return role == Role.OPERATOR.value and identity in self.operator_views
