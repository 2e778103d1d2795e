"""ASCII slugs made from names, unique within their table, and unique-key error names."""

import re
import secrets
import unicodedata
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from app.catalog.exceptions import SlugTaken

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# Room left at the end of a generated slug for a "-<n>" suffix.
_SUFFIX_ROOM = 8

T = TypeVar("T")


def slugify(value: str, *, max_length: int, fallback: str) -> str:
    """'Crème Brûlée & Co.' -> 'creme-brulee-co'; `fallback` when nothing ASCII is left."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_ALNUM.sub("-", ascii_text.lower()).strip("-")
    return slug[:max_length].strip("-") or fallback


async def unique_slug(
    session: AsyncSession,
    column: InstrumentedAttribute[str],
    name: str,
    *,
    max_length: int,
    fallback: str,
    retry: bool = False,
) -> str:
    """The slug of `name`, or it with the first free "-2", "-3"… suffix: one query.

    `retry`: the first choice was taken by a parallel request meanwhile; every other racer
    would pick the same next number, so this one gets a random suffix instead.
    """
    base = slugify(name, max_length=max_length - _SUFFIX_ROOM, fallback=fallback)
    if retry:
        return f"{base}-{secrets.token_hex(3)}"
    taken = set(
        await session.scalars(select(column).where(or_(column == base, column.like(f"{base}-%"))))
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


async def insert_with_slug(
    session: AsyncSession,
    column: InstrumentedAttribute[str],
    name: str,
    given: str | None,
    *,
    build: Callable[[str], T],
    flush: Callable[[T], Awaitable[None]],
    max_length: int,
    fallback: str,
    attempts: int,
) -> T:
    """Build the row with the `given` slug or one made from `name`, and `flush` it (which
    raises SlugTaken). A generated slug a parallel request took first is made again, up to
    `attempts` times; a given one is the caller's choice, so SlugTaken goes straight out."""
    for attempt in range(attempts):
        slug = given or await unique_slug(
            session, column, name, max_length=max_length, fallback=fallback, retry=attempt > 0
        )
        row = build(slug)
        try:
            await flush(row)
        except SlugTaken:
            if given or attempt == attempts - 1:
                raise
            continue
        return row
    raise AssertionError("unreachable")


def by_id_or_slug(
    id_column: InstrumentedAttribute[uuid.UUID], slug_column: InstrumentedAttribute[str], ref: str
) -> ColumnElement[bool]:
    """The condition finding a row by its id or its slug (slugs never have an id's form)."""
    try:
        return or_(id_column == uuid.UUID(ref), slug_column == ref)
    except ValueError:
        return slug_column == ref
