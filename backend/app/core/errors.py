"""Domain errors and the one place that turns every error into the JSON error body."""

import logging
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any, ClassVar, TypeVar

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger(__name__)
# What a Redis client raises when Redis cannot be reached (down, restarting, too slow).
REDIS_UNAVAILABLE: tuple[type[Exception], ...] = (RedisConnectionError, RedisTimeoutError)
# What a 503 tells the client to wait: about as long as a restarted server takes to come back.
RETRY_AFTER_SECONDS = 5
# SQLSTATEs of a server that cannot serve now: class 08 (connection exception), class 53
# (insufficient resources: too many connections, disk full) and 57P (shutting down, starting
# up, crashed).
_UNAVAILABLE_SQLSTATES = ("08", "53", "57P")


class ErrorItem(BaseModel):
    """One reason a request was refused as invalid: where (`loc`), what, and its kind."""

    loc: list[str | int] = Field(description="where: body, query, path or header, then names")
    msg: str
    type: str


class ErrorBody(BaseModel):
    """The body of every error answer of the API (4xx and 5xx alike)."""

    # Some errors add fields of their own (the short items of insufficient_stock).
    model_config = ConfigDict(extra="allow")

    detail: str = Field(description="a sentence for people")
    code: str = Field(description="a stable name for programs")
    errors: list[ErrorItem] | None = Field(
        default=None, description="validation_error: each invalid part of the request"
    )


class DomainError(Exception):
    """A broken business rule. Services raise subclasses; `register_error_handlers` maps them."""

    status_code: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    detail: ClassVar[str] = "The request could not be processed."
    # False when what the service wrote before failing must stay (e.g. revoking a token
    # family on refresh-token reuse): the session dependency then commits instead.
    rollback: ClassVar[bool] = True
    # The body's model in the OpenAPI document: a subclass of ErrorBody for an error that
    # adds fields of its own.
    body: ClassVar[type[ErrorBody]] = ErrorBody

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


class MethodNotAllowed(DomainError):
    status_code = 405
    code = "method_not_allowed"
    detail = "Method Not Allowed"

    def __init__(self, allow: Iterable[str]) -> None:
        super().__init__(headers={"Allow": ", ".join(sorted(allow))})


# What the handlers below answer for errors that are not a service's: named here once, so the
# OpenAPI document (core.openapi) lists the same statuses and codes the handlers send.


class UnreadableBody(DomainError):
    """A body that cannot even be parsed: a broken multipart form, JSON that is not UTF-8
    (FastAPI's own 400)."""

    code = "bad_request"
    detail = "There was an error parsing the body"


class RequestInvalid(DomainError):
    """The request does not match its schema (the body then lists `errors`), or holds a value
    the database cannot store (`invalid_value`)."""

    status_code = 422
    code = "validation_error"
    detail = "Invalid request."


class InvalidValue(RequestInvalid):
    code = "invalid_value"
    detail = "A value in the request cannot be stored."


class ChangedMeanwhile(Conflict):
    """A write lost a race the service could not see coming: a row deleted or a unique value
    taken meanwhile (the database's own constraints are the backstop)."""

    detail = "This conflicts with data changed in the meantime."


class ServiceUnavailable(DomainError):
    status_code = 503
    code = "unavailable"
    detail = "A service the shop needs is unavailable. Try again shortly."

    def __init__(self) -> None:
        super().__init__(headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


class InternalError(DomainError):
    status_code = 500
    code = "internal_error"
    detail = "Internal server error."


class DatabaseUnreachable(Exception):
    """The database cannot be reached (refused, no socket, timed out): raised instead of the
    OSError that SQLAlchemy lets through from a failed connect. Not a DomainError: the admin
    panel and the live socket handle those as broken rules; this answers 503."""


def is_unavailable(error: BaseException) -> bool:
    """Whether `error` says that PostgreSQL or Redis cannot serve now (down, restarting,
    unreachable, the connection lost), which a client may try again shortly."""
    if isinstance(error, (DatabaseUnreachable, *REDIS_UNAVAILABLE)):
        return True
    if isinstance(error, DBAPIError):
        sqlstate = getattr(error.orig, "sqlstate", None) or ""
        return error.connection_invalidated or sqlstate.startswith(_UNAVAILABLE_SQLSTATES)
    return False


_RAISES = "__raises__"
Func = TypeVar("Func", bound=Callable[..., Any])


def raises(*errors: type[DomainError]) -> Callable[[Func], Func]:
    """Declare the errors a route or dependency raises, for the OpenAPI document
    (core.openapi reads them back with `declared_errors`)."""

    def declare(func: Func) -> Func:
        setattr(func, _RAISES, (*declared_errors(func), *errors))
        return func

    return declare


def declared_errors(func: Callable[..., Any] | None) -> tuple[type[DomainError], ...]:
    errors: tuple[type[DomainError], ...] = getattr(func, _RAISES, ())
    return errors


def error_body(detail: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"detail": detail, "code": code, **extra}


def error_response(error: DomainError) -> JSONResponse:
    return JSONResponse(
        jsonable_encoder(error_body(error.message, error.code, **error.extra)),
        status_code=error.status_code,
        headers=error.headers,
    )


def _code_for_status(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


async def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return error_response(exc)


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
    detail = f"{'.'.join(str(part) for part in first['loc'])}: {first['msg']}" if first else None
    return error_response(RequestInvalid(detail, extra={"errors": errors}))


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
        return error_response(InvalidValue())
    if sqlstate in {"23503", "23505", "23514"}:
        # Foreign key, unique and check violations: services check these rules themselves;
        # this backstop covers a race they lost (e.g. a row deleted meanwhile).
        return error_response(ChangedMeanwhile())
    return await _unhandled_error(request, exc)


async def _stale_data(_: Request, exc: Exception) -> JSONResponse:
    # An UPDATE found its row gone: deleted by a concurrent request.
    return error_response(ChangedMeanwhile("This was changed or deleted in the meantime."))


def _unavailable(request: Request, reason: str) -> JSONResponse:
    """503 with Retry-After: the database or Redis is down (the reason goes to the log only)."""
    logger.error("Unavailable on %s %s: %s", request.method, request.url.path, reason)
    return error_response(ServiceUnavailable())


async def _database_unreachable(request: Request, exc: Exception) -> JSONResponse:
    return _unavailable(request, repr(exc.__cause__ or exc))


async def _redis_unavailable(request: Request, exc: Exception) -> JSONResponse:
    return _unavailable(request, f"Redis: {type(exc).__name__}: {exc}")


async def _unhandled_error(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(InternalError())


def register_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(StaleDataError, _stale_data)
    app.add_exception_handler(DatabaseUnreachable, _database_unreachable)
    for redis_error in REDIS_UNAVAILABLE:
        app.add_exception_handler(redis_error, _redis_unavailable)
    app.add_exception_handler(Exception, _unhandled_error)
