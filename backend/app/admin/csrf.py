"""Cross-site request forgery in the admin panel: every state-changing request (a form, an
action, a delete, login, logout) carries a token tied to the admin session, or is refused.

The token is a random value kept in the signed session cookie (Starlette's SessionMiddleware),
created when a page first needs it and renewed at login; pages carry it in a
`<meta name="csrf-token">` (templates/sqladmin/base.html puts it into every form and into
SQLAdmin's AJAX delete). `CsrfMiddleware` wraps the panel: a request other than GET, HEAD or
OPTIONS must send it as the form field `csrf_token` or the `X-CSRF-Token` header, or it gets a
403 and reaches nothing. Another site can make a browser send the cookie (not any more with
SameSite=Strict, but older browsers and same-site subdomains exist), never read the token.
"""

import hmac
import secrets
from typing import Any
from urllib.parse import urlsplit

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_KEY = "csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def csrf_token(connection: HTTPConnection) -> str:
    """The session's token, made on first use."""
    session: dict[str, Any] = connection.session
    token = session.get(SESSION_KEY)
    if not isinstance(token, str):
        token = session[SESSION_KEY] = secrets.token_urlsafe(32)
    return token


def same_origin_path(connection: HTTPConnection, url: str | None, fallback: str) -> str:
    """`url` as a path on this site when it points here; `fallback` otherwise (a foreign
    Referer or `next` never becomes a redirect target)."""
    if url:
        parts = urlsplit(url)
        here = urlsplit(str(connection.base_url))
        same_site = (parts.scheme, parts.netloc) in {("", ""), (here.scheme, here.netloc)}
        # "//evil.example" and "/\evil.example" are other sites to a browser.
        if same_site and parts.path.startswith("/") and not parts.path.startswith(("//", "/\\")):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return fallback


class CsrfMiddleware:
    """Refuses a state-changing request to the panel without the session's token (inside
    the session middleware, which it reads)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        request = Request(scope, replay(body, receive))
        sent = request.headers.get(CSRF_HEADER) or await form_token(request)
        expected = request.session.get(SESSION_KEY)
        if not (
            isinstance(expected, str) and hmac.compare_digest(sent.encode(), expected.encode())
        ):
            refusal = JSONResponse(
                {
                    "detail": "The form is out of date or did not come from this site "
                    "(missing or wrong CSRF token): reload the page and try again.",
                    "code": "csrf_failed",
                },
                status_code=403,
            )
            await refusal(scope, receive, send)
            return
        # The app reads the body again, as sent.
        await self.app(scope, replay(body, receive), send)


async def read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives `body` once, then whatever the client sends next (a
    disconnect), as the original would."""
    given = False

    async def inner() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return inner


async def form_token(request: Request) -> str:
    """The form's token; "" when there is none, or no form (a malformed one included)."""
    if not request.headers.get("content-type", "").startswith(FORM_TYPES):
        return ""
    try:
        form: FormData = await request.form()
    except HTTPException:  # Starlette's 400 for a form it cannot parse
        return ""
    try:
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    finally:
        await form.close()
