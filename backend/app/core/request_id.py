"""A request id for every HTTP request and websocket: the client's (or nginx's) X-Request-ID
when it is a sane token, else a new uuid4; echoed in the response's X-Request-ID header and
put in `request_id_var`, so that every log line of the request names it.

A plain ASGI middleware (not BaseHTTPMiddleware): the context variable is set in the task
that runs the app and sends the response, so uvicorn's access log line carries it too.
"""

import re
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.logging import request_id_var

HEADER = "x-request-id"
# Long enough for any tracing id, short and plain enough to be safe in a log line.
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")


def request_id_from(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == HEADER.encode():
            candidate = bytes(value).decode("latin-1")
            if VALID_REQUEST_ID.match(candidate):
                return candidate
            break
    return str(uuid.uuid4())


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] in ("http.response.start", "websocket.accept"):
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() != HEADER.encode()
                ]
                headers.append((HEADER.encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)
