"""Date ranges of list filters: whole days, both ends included, checked in one place."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import Depends, Query
from pydantic import BeforeValidator
from sqlalchemy import ColumnElement, SQLColumnExpression

from app.core.errors import DomainError, raises


class InvalidDateRange(DomainError):
    status_code = 422
    code = "invalid_date_range"
    detail = "date_from must not be after date_to."


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@dataclass(frozen=True)
class DateRange:
    """Whole UTC days from `date_from` to `date_to`, both included, either end open.
    InvalidDateRange when the range is upside down."""

    date_from: date | None = None
    date_to: date | None = None

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidDateRange()

    def conditions(self, moment: SQLColumnExpression[datetime]) -> list[ColumnElement[bool]]:
        """SQL conditions putting the timestamp column `moment` inside the range."""
        conditions: list[ColumnElement[bool]] = []
        if self.date_from is not None:
            conditions.append(moment >= _start_of(self.date_from))
        if self.date_to is not None:
            conditions.append(moment < _start_of(self.date_to + timedelta(days=1)))
        return conditions


def _iso_day(value: object) -> object:
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


# What the document says (format: date): pydantic alone would read "0" as a Unix timestamp.
IsoDay = Annotated[date, BeforeValidator(_iso_day)]
# The range ends at the next midnight: the last day must have one.
LAST_DAY = date(9999, 12, 30)


@raises(InvalidDateRange)
def date_range(
    date_from: Annotated[
        IsoDay | None, Query(le=LAST_DAY, description="first day (UTC), included")
    ] = None,
    date_to: Annotated[
        IsoDay | None, Query(le=LAST_DAY, description="last day (UTC), included")
    ] = None,
) -> DateRange:
    return DateRange(date_from, date_to)


DateRangeDep = Annotated[DateRange, Depends(date_range)]
