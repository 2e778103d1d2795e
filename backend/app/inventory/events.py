"""Stock-changed events: after a commit that changed a warehouse's stock, its code goes out
on the Redis pub/sub channel `<REDIS_KEY_PREFIX>:stock:<code>`.

Every API process subscribes to the channels of the websockets it serves and sends them the
fresh report, so a change made through any process (or a Celery task) reaches every client.
"""

import asyncio
import logging
import uuid
import weakref
from dataclasses import dataclass

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.config import get_settings
from app.core.db import after_commit
from app.core.redis import create_redis
from app.inventory.models import Warehouse, canonical_code

logger = logging.getLogger(__name__)

CHANNEL_PREFIX = "stock:"

# One client per event loop: the API has one loop (closed by its lifespan), a Celery task runs
# its own (asyncio.run): a task that changes stock should `await close_publisher()` before it
# returns, or its loop's client is only dropped with the loop.
_clients: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Redis]" = (
    weakref.WeakKeyDictionary()
)


def channel(code: str) -> str:
    """The Redis channel of the warehouse with `code`, in any spelling."""
    return f"{get_settings().REDIS_KEY_PREFIX}:{CHANNEL_PREFIX}{canonical_code(code)}"


def _client() -> Redis:
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None:
        client = create_redis(get_settings().redis_url)
        _clients[loop] = client
    return client


async def close_publisher() -> None:
    """Close this event loop's publishing client (the app's lifespan calls it on shutdown)."""
    client = _clients.pop(asyncio.get_running_loop(), None)
    if client is not None:
        await client.aclose()


@dataclass(frozen=True)
class _Publish:
    """The after-commit callback for one warehouse (one per transaction, however many rows)."""

    code: str

    async def __call__(self) -> None:
        try:
            await _client().publish(channel(self.code), self.code)
        except Exception:
            # The change is committed; a lost notification must not fail the request.
            logger.exception("Could not publish the stock change of %s", self.code)


async def publish_stock_changed(session: AsyncSession, warehouse_id: uuid.UUID) -> None:
    """Announce, once the session's transaction commits, that this warehouse's stock changed.

    Nothing is sent if it rolls back; several changes in one transaction send one message.
    """
    warehouse = await session.get(Warehouse, warehouse_id)
    if warehouse is None:
        return
    after_commit(session, _Publish(warehouse.code))
