"""Count the SQL statements that requests send through the test's session."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

# Transaction control of the test harness (each request runs in a savepoint), not queries.
_HARNESS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@asynccontextmanager
async def count_statements(session: AsyncSession) -> AsyncIterator[list[str]]:
    """The statements run on the session's connection inside the block (savepoints left out)."""
    statements: list[str] = []
    connection = (await session.connection()).sync_connection
    assert connection is not None

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip().upper().startswith(_HARNESS):
            statements.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", record)
