"""Password hashing, signed tokens and opaque token hashing."""

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError
from pwdlib.hashers.argon2 import Argon2Hasher
from starlette.concurrency import run_in_threadpool

from app.core.config import get_settings

JWT_ALGORITHM = "HS256"

# argon2id with OWASP's first recommended configuration: 19 MiB, 2 iterations, 1 lane.
password_hash = PasswordHash((Argon2Hasher(memory_cost=19456, time_cost=2, parallelism=1),))
# Verified against when the account does not exist, so a missing account costs the same time.
_DUMMY_HASH = password_hash.hash(secrets.token_urlsafe(16))


async def hash_password(password: str) -> str:
    # argon2 is deliberately slow: keep it off the event loop.
    return await run_in_threadpool(password_hash.hash, password)


async def verify_password(password: str, hashed: str | None) -> bool:
    """False for a wrong password, a missing account or a deliberately unusable hash."""
    try:
        return await run_in_threadpool(password_hash.verify, password, hashed or _DUMMY_HASH) and (
            hashed is not None
        )
    except UnknownHashError:
        return False


def create_signed_token(
    subject: uuid.UUID, purpose: str, expires_in: timedelta, **claims: Any
) -> str:
    now = datetime.now(UTC)
    payload = {"sub": str(subject), "purpose": purpose, "iat": now, "exp": now + expires_in}
    payload.update(claims)
    return jwt.encode(
        payload, get_settings().SECRET_KEY.get_secret_value(), algorithm=JWT_ALGORITHM
    )


class InvalidToken(Exception):
    def __init__(self, expired: bool = False) -> None:
        self.expired = expired
        super().__init__("expired" if expired else "invalid")


def decode_signed_token(token: str, *purposes: str) -> dict[str, Any]:
    """The token's claims, or InvalidToken when forged, expired or made for another purpose."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            get_settings().SECRET_KEY.get_secret_value(),
            algorithms=[JWT_ALGORITHM],
            options={"require": ["sub", "exp", "purpose"]},
        )
    except jwt.ExpiredSignatureError as error:
        raise InvalidToken(expired=True) from error
    except jwt.PyJWTError as error:
        raise InvalidToken() from error
    if claims.get("purpose") not in purposes:
        raise InvalidToken()
    return claims


def new_opaque_token() -> str:
    return secrets.token_urlsafe(48)


def hash_opaque_token(token: str) -> str:
    """Opaque tokens are stored as SHA-256: they are long random values, not passwords."""
    return hashlib.sha256(token.encode()).hexdigest()


def fingerprint(*values: str) -> str:
    """A short digest that changes whenever one of `values` changes (binds a token to them)."""
    return hashlib.sha256("\0".join(values).encode()).hexdigest()[:16]
