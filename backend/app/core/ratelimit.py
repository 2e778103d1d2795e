"""Fixed-window rate limits in Redis, shared by every API process."""

import hashlib
from typing import Annotated

from fastapi import Depends
from fastapi.requests import HTTPConnection
from redis.asyncio import Redis

from app.core.config import get_settings
from app.core.errors import TooManyRequests

KEY_PREFIX = "ratelimit"
_RELEASE = """
local count = tonumber(redis.call('GET', KEYS[1]))
if count and count > 0 then redis.call('DECR', KEYS[1]) end
"""


def key_prefix() -> str:
    """Where this shop's rate-limit counters live in Redis."""
    return f"{get_settings().REDIS_KEY_PREFIX}:{KEY_PREFIX}"


class RateLimit:
    """At most `limit` events per key in a window of `window` seconds.

    Keys are hashed, so Redis holds no e-mail or IP addresses.
    """

    def __init__(self, redis: Redis, name: str, limit: int, window: int, detail: str) -> None:
        self.redis = redis
        self.name = name
        self.limit = limit
        self.window = window
        self.detail = detail

    def _key(self, value: str) -> str:
        digest = hashlib.sha256(value.lower().encode()).hexdigest()[:32]
        return f"{key_prefix()}:{self.name}:{digest}"

    async def hit(self, value: str) -> None:
        """Count one event; 429 with Retry-After when it is past the limit.

        INCR is atomic, so a burst of parallel requests cannot slip past the limit.
        """
        key = self._key(value)
        async with self.redis.pipeline(transaction=True) as pipe:
            # SET NX EX opens the window on the first event (EXPIRE NX needs Redis 7; the
            # embedded server is 6.2).
            pipe.set(key, 0, ex=self.window, nx=True)
            pipe.incr(key)
            pipe.ttl(key)
            _, count, ttl = await pipe.execute()
        if count > self.limit:
            self._refuse(ttl)

    async def check(self, value: str) -> None:
        """429 when the limit is reached already; counts nothing."""
        key = self._key(value)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.get(key)
            pipe.ttl(key)
            count, ttl = await pipe.execute()
        if count is not None and int(count) >= self.limit:
            self._refuse(ttl)

    async def reset(self, value: str) -> None:
        await self.redis.delete(self._key(value))

    async def release(self, value: str) -> None:
        """Take back one event that `hit` counted (it turned out not to be one to limit).

        Only while its window is open: a DECR of an expired key would create a counter
        that never expires.
        """
        await self.redis.eval(_RELEASE, 1, self._key(value))

    def _refuse(self, ttl: int) -> None:
        raise TooManyRequests(retry_after=ttl if ttl > 0 else self.window, detail=self.detail)


async def hit_all(*hits: tuple[RateLimit, str]) -> None:
    """Count one event against each (limit, key) in turn. When one refuses, the earlier ones
    take their count back: a request turned away by a limit it shares with others (an
    account's, say) does not use up its own budget as well."""
    counted: list[tuple[RateLimit, str]] = []
    try:
        for limit, value in hits:
            await limit.hit(value)
            counted.append((limit, value))
    except TooManyRequests:
        for limit, value in counted:
            await limit.release(value)
        raise


def client_ip(connection: HTTPConnection) -> str:
    """The client's address (of a request, or the admin panel's); behind a proxy, uvicorn's
    --forwarded-allow-ips makes this the real client from X-Forwarded-For
    (FORWARDED_ALLOW_IPS)."""
    return connection.client.host if connection.client else "unknown"


ClientIP = Annotated[str, Depends(client_ip)]
