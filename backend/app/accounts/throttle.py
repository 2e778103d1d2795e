"""Login throttling in Redis, per account and per client address.

Every attempt counts before the password is checked (INCR is atomic, so a burst of parallel
guesses cannot slip past the limit); a successful login clears the account's counter, while
the address's counter runs out with its window.
"""

import hashlib

from redis.asyncio import Redis

from app.core.config import Settings
from app.core.errors import TooManyRequests

KEY_PREFIX = "login-attempts"


def _key(kind: str, value: str) -> str:
    # Hashed, so Redis holds no e-mail addresses.
    return f"{KEY_PREFIX}:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


class LoginThrottle:
    def __init__(self, redis: Redis, settings: Settings) -> None:
        self.redis = redis
        self.window = settings.LOGIN_THROTTLE_WINDOW_SECONDS
        self.limits = {
            "account": settings.LOGIN_MAX_FAILURES_PER_ACCOUNT,
            "ip": settings.LOGIN_MAX_FAILURES_PER_IP,
        }

    def _keys(self, email: str, ip: str) -> dict[str, str]:
        return {"account": _key("account", email), "ip": _key("ip", ip)}

    async def count_attempt(self, email: str, ip: str) -> None:
        """Count this attempt; 429 with Retry-After when either limit is passed."""
        keys = self._keys(email, ip)
        async with self.redis.pipeline(transaction=True) as pipe:
            for key in keys.values():
                # SET NX EX opens the window on the first attempt (EXPIRE NX needs Redis 7;
                # the embedded server is 6.2).
                pipe.set(key, 0, ex=self.window, nx=True)
                pipe.incr(key)
                pipe.ttl(key)
            results = await pipe.execute()
        for index, kind in enumerate(keys):
            count, ttl = results[index * 3 + 1], results[index * 3 + 2]
            if count > self.limits[kind]:
                raise TooManyRequests(
                    retry_after=ttl if ttl > 0 else self.window,
                    detail="Too many login attempts. Try again later.",
                )

    async def succeeded(self, email: str) -> None:
        await self.redis.delete(_key("account", email))
