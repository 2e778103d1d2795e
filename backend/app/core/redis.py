"""The shared asyncio Redis client (rate limits, pub/sub)."""

from typing import Annotated

from fastapi import Depends, Request
from redis.asyncio import Redis

from app.core.errors import REDIS_UNAVAILABLE, ServiceUnavailable, raises

__all__ = ["REDIS_UNAVAILABLE", "RedisDep", "create_redis", "get_redis"]


def create_redis(url: str) -> Redis:
    return Redis.from_url(url, decode_responses=True, socket_timeout=5, socket_connect_timeout=3)


@raises(ServiceUnavailable)
def get_redis(request: Request) -> Redis:
    redis: Redis = request.app.state.redis
    return redis


RedisDep = Annotated[Redis, Depends(get_redis)]
