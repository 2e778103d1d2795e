"""Domain errors and the one place that turns every error into the JSON error body."""

import logging
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.redis import REDIS_UNAVAILABLE

logger = logging.getLogger(__name__)
# What a 503 tells the client to wait: about as long as a restarted server takes to come back.
RETRY_AFTER_SECONDS = 5
# SQLSTATEs of a server that cannot serve now: class 08 (connection exception), class 53
# (insufficient resources: too many connections, disk full) and 57P (shutting down, starting
# up, crashed).
_UNAVAILABLE_SQLSTATES = ("08", "53", "57P")


class DomainError(Exception):
    """A broken business rule. Services raise subclasses; `register_error_handlers` maps them."""

    status_code: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    detail: ClassVar[str] = "The request could not be processed."
    # False when what the service wrote before failing must stay (e.g. revoking a token
    # family on refresh-token reuse): the session dependency then commits instead.
    rollback: ClassVar[bool] = True

    def __init__(
        self,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ):
        self.message = detail or self.detail
        self.headers = headers
        # More fields for the error body, next to detail and code (e.g. the short items of
        # an order); JSON-encoded by the handler.
        self.extra = extra or {}
        if self.extra.keys() & {"detail", "code"}:
            raise ValueError("extra error fields cannot replace detail or code")
        super().__init__(self.message)


class NotFound(DomainError):
    status_code = 404
    code = "not_found"
    detail = "Not found."


class Conflict(DomainError):
    status_code = 409
    code = "conflict"
    detail = "The request conflicts with the current state."


class NotAuthenticated(DomainError):
    status_code = 401
    code = "not_authenticated"
    detail = "Not authenticated."

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"
    detail = "You are not allowed to do this."


class TooManyRequests(DomainError):
    status_code = 429
    code = "too_many_requests"
    detail = "Too many attempts. Try again later."

    def __init__(self, retry_after: int, detail: str | None = None) -> None:
        super().__init__(detail, headers={"Retry-After": str(max(1, retry_after))})


class ServiceUnavailable(Exception):
    """The database cannot be reached (refused, no socket, timed out): raised instead of the
    OSError that SQLAlchemy lets through from a failed connect."""


def is_unavailable(error: BaseException) -> bool:
    """Whether `error` says that PostgreSQL or Redis cannot serve now (down, restarting,
    unreachable, the connection lost), which a client may try again shortly."""
    if isinstance(error, (ServiceUnavailable, *REDIS_UNAVAILABLE)):
        return True
    if isinstance(error, DBAPIError):
        sqlstate = getattr(error.orig, "sqlstate", None) or ""
        return error.connection_invalidated or sqlstate.startswith(_UNAVAILABLE_SQLSTATES)
    return False


def error_body(detail: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"detail": detail, "code": code, **extra}


def _code_for_status(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


async def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return JSONResponse(
        jsonable_encoder(error_body(exc.message, exc.code, **exc.extra)),
        status_code=exc.status_code,
        headers=exc.headers,
    )


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    return JSONResponse(
        error_body(detail, _code_for_status(exc.status_code)),
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]}
        for error in exc.errors()
    ]
    first = errors[0] if errors else None
    detail = (
        f"{'.'.join(str(part) for part in first['loc'])}: {first['msg']}"
        if first
        else "Invalid request."
    )
    return JSONResponse(
        jsonable_encoder(error_body(detail, "validation_error", errors=errors)), status_code=422
    )


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)
    if is_unavailable(exc):
        # The connection broke or the server is going down (or not up yet): the pool drops
        # such connections and the next request connects afresh.
        return _unavailable(request, f"the database: {exc.orig!r}")
    sqlstate = getattr(exc.orig, "sqlstate", None) or ""
    # SQLSTATE class 22 is "data exception": a value the database cannot take (a NUL
    # character, an out-of-range number) came from the client, so it is the client's error.
    if sqlstate.startswith("22"):
        return JSONResponse(
            error_body("A value in the request cannot be stored.", "invalid_value"),
            status_code=422,
        )
    if sqlstate in {"23503", "23505", "23514"}:
        # Foreign key, unique and check violations: services check these rules themselves;
        # this backstop covers a race they lost (e.g. a row deleted meanwhile).
        return JSONResponse(
            error_body("This conflicts with data changed in the meantime.", "conflict"),
            status_code=409,
        )
    return await _unhandled_error(request, exc)


async def _stale_data(_: Request, exc: Exception) -> JSONResponse:
    # An UPDATE found its row gone: deleted by a concurrent request.
    return JSONResponse(
        error_body("This was changed or deleted in the meantime.", "conflict"), status_code=409
    )


def _unavailable(request: Request, reason: str) -> JSONResponse:
    """503 with Retry-After: the database or Redis is down (the reason goes to the log only)."""
    logger.error("Unavailable on %s %s: %s", request.method, request.url.path, reason)
    return JSONResponse(
        error_body("A service the shop needs is unavailable. Try again shortly.", "unavailable"),
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _service_unavailable(request: Request, exc: Exception) -> JSONResponse:
    return _unavailable(request, repr(exc.__cause__ or exc))


async def _redis_unavailable(request: Request, exc: Exception) -> JSONResponse:
    return _unavailable(request, f"Redis: {type(exc).__name__}: {exc}")


async def _unhandled_error(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(error_body("Internal server error.", "internal_error"), status_code=500)


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(StaleDataError, _stale_data)
    app.add_exception_handler(ServiceUnavailable, _service_unavailable)
    for redis_error in REDIS_UNAVAILABLE:
        app.add_exception_handler(redis_error, _redis_unavailable)
    app.add_exception_handler(Exception, _unhandled_error)
