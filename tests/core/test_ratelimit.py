"""Rate limits in Redis: taking an event back, and counting one event against several limits."""

import pytest
from redis.asyncio import Redis

from app.core.errors import TooManyRequests
from app.core.ratelimit import RateLimit, hit_all


def limit(redis: Redis, name: str, allowed: int) -> RateLimit:
    return RateLimit(redis, name, allowed, 60, "Too many.")


async def test_a_request_refused_by_a_later_limit_costs_the_earlier_ones_nothing(
    redis: Redis,
) -> None:
    own, shared = limit(redis, "own", 2), limit(redis, "shared", 1)
    await shared.hit("account")  # used up by somebody else
    for _ in range(3):
        with pytest.raises(TooManyRequests):
            await hit_all((own, "me"), (shared, "account"))
    # Its own budget is whole: two events still pass, the third is refused.
    await own.hit("me")
    await own.hit("me")
    with pytest.raises(TooManyRequests):
        await own.hit("me")


async def test_release_gives_back_one_event_and_never_leaves_a_counter_without_expiry(
    redis: Redis,
) -> None:
    one = limit(redis, "one", 1)
    await one.hit("x")
    await one.release("x")
    await one.hit("x")  # the released event no longer counts
    with pytest.raises(TooManyRequests):
        await one.hit("x")

    await one.release("expired")  # its window closed (or never opened): nothing to give back
    assert await redis.exists(one._key("expired")) == 0
