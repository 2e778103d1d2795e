"""What every admin view shares: one transaction per write through the services, form values
checked by the API's schemas, errors shown above the form.

Every write goes through the service the API uses, in one session with one commit
(`ShopModelView.transaction`: core's `transaction`, committed as the API's session dependency
commits), so the after-commit work (e-mails, stock-changed events, removing image files)
runs once committed and never after a rollback; a refused write (a domain error, an invalid
field) is shown above the form and changes nothing. A view that names no service for a write
refuses it. The views are per domain: accounts.py, catalog.py, inventory.py, orders.py.
"""

import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any, ClassVar, TypeVar, cast

from pydantic import BaseModel, ValidationError
from sqladmin import ModelView
from sqladmin.helpers import Writer, secure_filename, stream_to_csv
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.requests import Request
from starlette.responses import StreamingResponse

from app.core.cells import csv_cell
from app.core.db import transaction
from app.core.errors import DomainError

SchemaT = TypeVar("SchemaT", bound=BaseModel)
Row = TypeVar("Row")
# A service's loader of a row by id (None when there is none).
Loader = Callable[[AsyncSession, uuid.UUID], Awaitable[Row | None]]


class AdminInputError(ValueError):
    """Shown above the form (SQLAdmin displays the message of an error raised on save)."""


def validation_message(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc']) or 'value'}: {item['msg']}"
        for item in error.errors()
    )


def parse(schema: type[SchemaT], data: dict[str, Any]) -> SchemaT:
    """The form's values as the API's request schema; what it refuses, as a form error."""
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        raise AdminInputError(validation_message(error)) from None


def filled(
    data: dict[str, Any], names: Iterable[str], renamed: dict[str, str] | None = None
) -> dict[str, Any]:
    """The fields `names` of a form's data that were filled in: an empty optional field is
    left out (the service's default, or no change), except a description, which may be
    emptied. `renamed` maps a form field to the schema's name for it."""
    renamed = renamed or {}
    values: dict[str, Any] = {}
    for name in names:
        value = data.get(name)
        if name == "description" and value is not None:
            values[name] = value
        elif value is not None and value != "":
            values[renamed.get(name, name)] = value
    return values


class ShopModelView(ModelView):
    """Defaults for every view; `sessionmaker` is the one the panel was set up with.

    Writes go through a domain service inside `transaction()`; a view that does not override
    a write names no service for it, and refuses it.
    """

    # Operators use this view too (admins use every view).
    for_operators: ClassVar[bool] = False
    page_size = 50
    page_size_options: ClassVar[list[int]] = [25, 50, 100, 200]
    can_export = True

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        return cast(async_sessionmaker[AsyncSession], self.session_maker)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One session and one commit for an admin write, as the API's session dependency:
        committed, or rolled back on an error (core's `finish_session`); the after-commit
        callbacks run once committed, never after a rollback. A domain error becomes the
        message shown above the form."""
        try:
            async with transaction(self.sessions) as session:
                yield session
        except DomainError as error:
            raise AdminInputError(error.message) from error

    @staticmethod
    async def load_existing(session: AsyncSession, load: Loader[Row], pk: Any, what: str) -> Row:
        """The row `pk` by its service's `load`; the form's message when it is gone (deleted
        while the form was open)."""
        row = await load(session, uuid.UUID(str(pk)))
        if row is None:
            raise AdminInputError(f"This {what} no longer exists.")
        return row

    async def delete_through(
        self, pk: Any, load: Loader[Row], remove: Callable[[AsyncSession, Row], Awaitable[object]]
    ) -> None:
        """Delete the row `pk` by its service's `remove`; gone already, nothing to do."""
        async with self.transaction() as session:
            row = await load(session, uuid.UUID(str(pk)))
            if row is not None:
                await remove(session, row)

    async def export_data(
        self, data: list[Any], export_type: str = "csv", request: Request | None = None
    ) -> StreamingResponse:
        """SQLAdmin's export, with CSV cells that a spreadsheet never runs as a formula (a
        name such as `=HYPERLINK(...)` is written as text: core's `csv_cell`)."""
        if export_type != "csv":
            return await super().export_data(data, export_type=export_type, request=request)
        names = self.get_export_columns()

        async def rows(writer: Writer) -> AsyncGenerator[Any, None]:
            yield writer.writerow(names)
            for row in data:
                yield writer.writerow([csv_cell(await self.get_prop_value(row, n)) for n in names])

        return StreamingResponse(
            content=stream_to_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": "attachment;filename="
                + secure_filename(self.get_export_name(export_type="csv"))
            },
        )

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        raise AdminInputError("Not here: this is created through the API.")

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        raise AdminInputError("Not here: this is changed through the API.")

    async def delete_model(self, request: Request, pk: Any) -> None:
        raise AdminInputError("Not here: this is deleted through the API.")


class ReadOnlyView(ShopModelView):
    can_create = False
    can_edit = False
    can_delete = False
