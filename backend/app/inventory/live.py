"""Live stock: `WS /ws/stores/{store_id}` sends the stock API's report on connect and again
after every committed change of that warehouse, whichever API process (or worker) made it:
changes are announced on Redis pub/sub (see events.py) and every process forwards them to
its own sockets.

Authentication is the access token (browsers cannot set headers on a websocket), sent as the
socket's first message, `{"token": "…"}`: a URL ends up in access logs and browser history.
The older `token` query parameter still works (the logs redact it). The token is checked when
the socket opens; the socket closes (4401) when it expires, and the client reconnects with a
fresh one. A refused socket is accepted and closed at once with a code the client can read:
4401 no or bad token, 4403 not staff, 4404 unknown store; 1013 (try again later) while Redis
or the database is unavailable.
"""

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, ValidationError
from redis.asyncio.client import PubSub
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.accounts import service as accounts_service
from app.accounts.models import STAFF_ROLES
from app.core.errors import DomainError, is_unavailable
from app.core.redis import REDIS_UNAVAILABLE
from app.inventory import service
from app.inventory.events import channel

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_UNKNOWN_STORE = 4404
# WebSocket's "Try Again Later": Redis (which brings the changes) or the database is unavailable.
CLOSE_TRY_AGAIN_LATER = 1013
POLL_SECONDS = 1.0
# How long an opened socket may take to send its token.
AUTH_TIMEOUT_SECONDS = 10.0

live_router = APIRouter(tags=["stock API"])


@dataclass(frozen=True)
class Refusal:
    code: int
    reason: str


class TokenMessage(BaseModel):
    """The socket's first message."""

    token: str


async def _first_message_token(websocket: WebSocket) -> str | None:
    """The token of the first message; None when it is not `{"token": "…"}` or does not come
    in time. WebSocketDisconnect when the client leaves first."""
    try:
        message = await asyncio.wait_for(websocket.receive(), AUTH_TIMEOUT_SECONDS)
    except TimeoutError:
        return None
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    try:
        return TokenMessage.model_validate_json(
            message.get("text") or message.get("bytes") or ""
        ).token
    except ValidationError:
        return None


async def _authorize(
    sessions: async_sessionmaker[AsyncSession], store_id: str, token: str | None
) -> Refusal | float:
    """Why this socket may not watch the store, or when its token expires (epoch seconds)."""
    if not token:
        return Refusal(CLOSE_UNAUTHENTICATED, 'send the access token first: {"token": "…"}')
    async with sessions() as session:
        try:
            user = await accounts_service.user_from_access_token(session, token)
        except DomainError as error:
            return Refusal(CLOSE_UNAUTHENTICATED, error.message)
        if user.role not in STAFF_ROLES:
            return Refusal(CLOSE_FORBIDDEN, "operators and admins only")
        try:
            warehouse = await service.find_warehouse(session, store_id)
        except DBAPIError as error:  # a code the database cannot even compare (a NUL character)
            if is_unavailable(error):
                raise
            warehouse = None
        if warehouse is None:
            return Refusal(CLOSE_UNKNOWN_STORE, "unknown store")
    return accounts_service.access_token_expiry(token)


async def _send_report(
    websocket: WebSocket, sessions: async_sessionmaker[AsyncSession], store_id: str
) -> None:
    async with sessions() as session:
        warehouse = await service.find_warehouse(session, store_id)
        if warehouse is None:  # deleted meanwhile
            await websocket.close(code=CLOSE_UNKNOWN_STORE, reason="unknown store")
            return
        report = await service.store_report(session, service.Store(warehouse, store_id))
    await websocket.send_json(report.model_dump(mode="json"))


async def _forward_changes(
    websocket: WebSocket,
    sessions: async_sessionmaker[AsyncSession],
    store_id: str,
    pubsub: PubSub,
    expires_at: float,
) -> None:
    while True:
        if time.time() >= expires_at:
            # The right to watch was checked with this token: it ends with it. The client
            # reconnects with a fresh one (and is checked again).
            await websocket.close(code=CLOSE_UNAUTHENTICATED, reason="the access token expired")
            return
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=POLL_SECONDS)
        if message is None:
            continue
        # A burst of changes needs one fresh report, not one per change.
        while await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.0):
            pass
        await _send_report(websocket, sessions, store_id)


async def _until_client_leaves(websocket: WebSocket) -> None:
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            await websocket.receive_text()  # clients have nothing to say; we only notice them go


@live_router.websocket("/ws/stores/{store_id}")
async def live_stock(websocket: WebSocket, store_id: str, token: str | None = None) -> None:
    """Operators and admins: the store's report now and after every change."""
    await websocket.accept()
    try:
        await _watch(websocket, store_id, token)
    except WebSocketDisconnect:
        pass
    except Exception as error:
        if not is_unavailable(error):
            raise
        # No change could reach this socket (Redis) or no report be made (the database): the
        # client reconnects, with a growing delay, and finds the report of now once both are
        # back.
        logger.warning("live stock socket of %s closed: %r", store_id, error)
        await websocket.close(code=CLOSE_TRY_AGAIN_LATER, reason="live updates are unavailable")


async def _watch(websocket: WebSocket, store_id: str, token: str | None) -> None:
    sessions: async_sessionmaker[AsyncSession] = websocket.app.state.sessionmaker
    authorized = await _authorize(
        sessions, store_id, token or await _first_message_token(websocket)
    )
    if isinstance(authorized, Refusal):
        await websocket.close(code=authorized.code, reason=authorized.reason)
        return
    pubsub = websocket.app.state.redis.pubsub()
    try:
        # Subscribed before the first report: a change committed in between is not missed.
        await pubsub.subscribe(channel(store_id))
        await _send_report(websocket, sessions, store_id)
        tasks = {
            asyncio.create_task(
                _forward_changes(websocket, sessions, store_id, pubsub, authorized)
            ),
            asyncio.create_task(_until_client_leaves(websocket)),
        }
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        for task in done:
            error = None if task.cancelled() else task.exception()
            if error is not None and is_unavailable(error):
                raise error
            if error is not None:
                logger.warning("live stock socket of %s ended: %r", store_id, error)
    finally:
        with contextlib.suppress(*REDIS_UNAVAILABLE):  # the connection is gone already
            await pubsub.unsubscribe()
        await pubsub.aclose()
