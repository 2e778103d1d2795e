"""Engine, declarative base, and the per-request session that commits once."""

import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any

from fastapi import BackgroundTasks, Depends, Request
from sqlalchemy import DateTime, MetaData, event, func
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import NullPool

from app.core.config import Settings
from app.core.errors import DatabaseUnreachable, DomainError, ServiceUnavailable, raises

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

AfterCommit = Callable[[], Awaitable[None]]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UUIDPrimaryKey:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class Timestamps:
    # Read the database's new updated_at back in the UPDATE itself (RETURNING): loading an
    # expired attribute later would be a lazy load, which async code cannot do.
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012 - SQLAlchemy reads it as is

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


def create_engine(settings: Settings, *, pooled: bool = True) -> AsyncEngine:
    # asyncpg waits 60 s for a connection by default: a request would hang that long on a
    # server that is down or unreachable.
    connect_args = {"timeout": settings.DATABASE_CONNECT_TIMEOUT_SECONDS}
    if not pooled:
        engine = create_async_engine(
            settings.async_database_url, poolclass=NullPool, connect_args=connect_args
        )
    else:
        engine = create_async_engine(
            settings.async_database_url,
            pool_size=settings.DATABASE_POOL_SIZE,
            max_overflow=settings.DATABASE_MAX_OVERFLOW,
            # A connection that died with a restarted server is replaced before it is used.
            pool_pre_ping=True,
            connect_args=connect_args,
        )
    event.listen(engine.sync_engine, "do_connect", _connect)
    return engine


def _connect(dialect: Dialect, _: object, cargs: Any, cparams: Any) -> Any:
    """Connect as the dialect would; a server that is not there (refused, no socket, timed
    out) is DatabaseUnreachable (503), not the raw OSError that SQLAlchemy lets through."""
    try:
        return dialect.connect(*cargs, **cparams)
    except OSError as error:  # TimeoutError and ConnectionRefusedError included
        raise DatabaseUnreachable() from error


def violated_constraint(error: IntegrityError) -> str | None:
    """The name of the constraint that `error` broke, as the database reported it."""
    cause = getattr(error.orig, "__cause__", None)
    name = getattr(cause, "constraint_name", None)
    if isinstance(name, str):
        return name
    match = re.search(r'constraint "([^"]+)"', str(error.orig))
    return match.group(1) if match else None


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def after_commit(session: AsyncSession, callback: AfterCommit) -> None:
    """Run `callback` once the request's transaction has committed (e.g. enqueue a job).

    Nothing runs when the transaction rolls back, so no e-mail leaves for a registration
    that never happened. A callback equal to one already waiting is not added again (one
    stock-changed event per warehouse, however many rows a transaction touched).
    """
    pending: list[AfterCommit] = session.info.setdefault("after_commit", [])
    if callback not in pending:
        pending.append(callback)


def must_roll_back(error: BaseException | None) -> bool:
    return error is not None and (not isinstance(error, DomainError) or error.rollback)


def take_after_commit(session: AsyncSession) -> list[AfterCommit]:
    callbacks: list[AfterCommit] = session.info.pop("after_commit", [])
    return callbacks


async def run_callbacks(callbacks: list[AfterCommit]) -> None:
    for callback in callbacks:
        await callback()


async def finish_session(session: AsyncSession, error: BaseException | None) -> list[AfterCommit]:
    """Commit (or roll back on error); the after-commit callbacks to run, none after a rollback."""
    if must_roll_back(error):
        await session.rollback()
        take_after_commit(session)
        return []
    await session.commit()
    return take_after_commit(session)


@raises(ServiceUnavailable)  # the database down or restarting (errors.is_unavailable)
async def get_session(request: Request, background: BackgroundTasks) -> AsyncIterator[AsyncSession]:
    """One session and one transaction per request, committed before the response is sent.

    After-commit work (enqueuing jobs) runs once the response is out: the client does not
    wait for the broker, and how long an answer takes says nothing about what was enqueued
    (a reset e-mail for an existing account, none for an unknown one).
    """
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        try:
            yield session
        except BaseException as error:
            await run_callbacks(await finish_session(session, error))
            raise
        background.add_task(run_callbacks, await finish_session(session, None))


# scope="function": commit before the response goes out, not after the client has its 200.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


@asynccontextmanager
async def transaction(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """One session and one commit outside a request (a task, the CLI, the admin panel's
    writes): committed on success, rolled back on error (`finish_session`), the after-commit
    callbacks run once committed and never after a rollback."""
    async with sessionmaker() as session:
        try:
            yield session
        except BaseException as error:
            await run_callbacks(await finish_session(session, error))
            raise
        await run_callbacks(await finish_session(session, None))


@asynccontextmanager
async def task_session(settings: Settings) -> AsyncIterator[AsyncSession]:
    """A session for a Celery task or a CLI command: its own engine, committed on success."""
    engine = create_engine(settings, pooled=False)
    try:
        async with transaction(create_sessionmaker(engine)) as session:
            yield session
    finally:
        await engine.dispose()
