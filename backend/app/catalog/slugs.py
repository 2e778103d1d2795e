"""ASCII slugs made from names, unique within their table, and unique-key error names."""

import re
import secrets
import unicodedata

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
# Room left at the end of a generated slug for a "-<n>" suffix.
_SUFFIX_ROOM = 8


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


def violated_constraint(error: IntegrityError) -> str | None:
    """The name of the constraint that `error` broke, as the database reported it."""
    cause = getattr(error.orig, "__cause__", None)
    name = getattr(cause, "constraint_name", None)
    if isinstance(name, str):
        return name
    match = re.search(r'constraint "([^"]+)"', str(error.orig))
    return match.group(1) if match else None
