"""Log configuration shared by the API, the worker and the CLI.

Two formats (LOG_FORMAT): `json`, one JSON object per line with time, level, logger, message
and request_id (what log collectors want, the default with ENV=production), and `text`, one
readable line (the default elsewhere, e.g. `make run`). Every line carries the id of the
request it belongs to: `RequestIdMiddleware` (app.core.request_id) puts it in a context
variable, and a filter on the handler copies it onto each record. Uvicorn's loggers (its
access log included) are routed through the same handler, whose other filter blanks query
values named `token` (see `redact_tokens`).
"""

import json
import logging
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from app.core.config import LogFormat

# The id of the request being handled (None outside a request: start-up, the worker, the CLI).
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
# Uvicorn configures these loggers with handlers of its own and propagate=False.
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")
# A query value named `token` (the live stock socket's old form, the storefront's e-mail links
# /verify-email?token=…) is a secret, and uvicorn's access log writes paths with their query.
TOKEN_IN_QUERY = re.compile(r"([?&]token=)[^&#\s\"']*", re.IGNORECASE)
REDACTED = "[redacted]"
# What every LogRecord has; anything else on a record came from `extra=` and is logged too.
_RECORD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys() | {"message", "asctime"}
)


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (as `request_id`, None outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


def redact_tokens(text: str) -> str:
    return TOKEN_IN_QUERY.sub(rf"\g<1>{REDACTED}", text)


class RedactTokensFilter(logging.Filter):
    """Blanks `token` query values in a record's message and its string arguments (uvicorn
    passes the path as one), before any formatter sees them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_tokens(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id,
    then any `extra=` fields, and the traceback as `exception`."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in entry and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "request_id", None) is None:
            record.request_id = "-"
            try:
                return super().format(record)
            finally:
                record.request_id = None
        return super().format(record)


# The handler `configure_logging` installed last, replaced by the next call.
_installed: list[logging.Handler] = []


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a record comes (test runners swap it, and a
    stream captured at start-up may be closed by the time an exit hook logs)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _: Any) -> None:
        pass


def make_handler(log_format: LogFormat, stream: Any = None) -> logging.Handler:
    handler: logging.Handler = StderrHandler() if stream is None else logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactTokensFilter())
    return handler


def configure_logging(level: str, log_format: LogFormat = "text") -> None:
    """One handler on the root logger, in `log_format`; uvicorn's loggers propagate to it.

    Safe to call again (the API factory, the worker and the CLI each call it): our handler
    is replaced, not added to; handlers others installed (pytest's capture) stay.
    """
    root = logging.getLogger()
    while _installed:
        root.removeHandler(_installed.pop())
    handler = make_handler(log_format)
    root.addHandler(handler)
    _installed.append(handler)
    root.setLevel(level.upper())
    for name in UVICORN_LOGGERS:
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
