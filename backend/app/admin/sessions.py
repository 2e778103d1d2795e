"""Admin sessions kept in Redis, so that they can be ended from the server.

The signed cookie holds only a random session id (and the CSRF token); Redis holds, for
ADMIN_SESSION_HOURS, whose session it is and the grant it was opened with: a fingerprint of
the password hash and the role. A session works while its record exists and its grant is the
user's current one. It ends at logout (the record is deleted: a copied cookie is nobody), when
the password or the role changes (the grant no longer matches, and the record is deleted then,
so that a demoted-then-promoted account does not get it back), and when an admin changes the
user's role, activity or password in the panel, or the role or activity through the API
(every session of that user, at once, once committed). Records are keyed by the id's
SHA-256, under REDIS_KEY_PREFIX, like the rate limits.
"""

import json
import uuid
from dataclasses import dataclass

from redis.asyncio import Redis
from starlette.requests import HTTPConnection

from app.accounts.models import User
from app.core.config import Settings
from app.core.security import fingerprint, hash_opaque_token, new_opaque_token


def grant(user: User) -> str:
    """What a session was opened for: it ends when the password or the role changes."""
    return fingerprint(user.hashed_password, user.role)


@dataclass(frozen=True)
class SessionRecord:
    user_id: uuid.UUID
    grant: str


class AdminSessions:
    def __init__(self, redis: Redis, settings: Settings) -> None:
        self.redis = redis
        self.prefix = f"{settings.REDIS_KEY_PREFIX}:admin-session"
        self.ttl = settings.ADMIN_SESSION_HOURS * 3600

    def _key(self, session_id: str) -> str:
        return f"{self.prefix}:{hash_opaque_token(session_id)}"

    def _user_key(self, user_id: uuid.UUID) -> str:
        """The set of a user's session keys (for ending them all)."""
        return f"{self.prefix}s-of:{user_id}"

    async def open(self, user: User) -> str:
        """A new session of `user`; its id, for the cookie."""
        session_id = new_opaque_token()
        key, user_key = self._key(session_id), self._user_key(user.id)
        record = json.dumps({"user_id": str(user.id), "grant": grant(user)})
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(key, record, ex=self.ttl)
            pipe.sadd(user_key, key)
            # Outlives every session in it: the newest one ends last.
            pipe.expire(user_key, self.ttl)
            await pipe.execute()
        return session_id

    async def get(self, session_id: str) -> SessionRecord | None:
        raw = await self.redis.get(self._key(session_id))
        if raw is None:
            return None
        data = json.loads(raw)
        return SessionRecord(user_id=uuid.UUID(data["user_id"]), grant=data["grant"])

    async def end(self, session_id: str) -> None:
        await self.redis.delete(self._key(session_id))

    async def end_all(self, user_id: uuid.UUID) -> None:
        """Every session of this user. Only the ended sessions leave the user's index: one
        opened meanwhile stays in it, so a later `end_all` still finds it."""
        user_key = self._user_key(user_id)
        keys = await self.redis.smembers(user_key)
        if not keys:
            return
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(*keys)
            pipe.srem(user_key, *keys)
            await pipe.execute()


def admin_sessions(connection: HTTPConnection) -> AdminSessions:
    """The panel's sessions (set on the application's and the admin app's state by
    `setup_admin`)."""
    sessions: AdminSessions = connection.app.state.admin_sessions
    return sessions
