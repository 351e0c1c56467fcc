"""The deadline of a query: past ``Settings.operation_timeout_seconds``, TIMEOUT.

``Schema.execute`` (HTTP) and ``Schema.stream`` (websockets) run each operation inside an
``asyncio.timeout`` that starts with no deadline; once the operation is known to be a query,
the ``Deadline`` extension sets it. Cancelling a query abandons its statements (PostgreSQL's
``statement_timeout`` and SQLite's progress handler bound each one, see ``coordhub.db``) and
writes nothing, since a query writes nothing. Mutations are not cut short: each runs one
transaction bounded by the statement timeout, and stopping one between its commit and its
answer would tell the caller it failed when it did not. Subscriptions live as long as their
socket.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from coordhub.workflow.errors import ErrorCode

_current: ContextVar[asyncio.Timeout | None] = ContextVar("coordhub_deadline", default=None)


@asynccontextmanager
async def deadline_scope() -> AsyncIterator[asyncio.Timeout]:
    """A timeout without a deadline yet, which ``Deadline`` may set for this operation."""
    async with asyncio.timeout(None) as scope:
        token = _current.set(scope)
        try:
            yield scope
        finally:
            _current.reset(token)


def timed_out(seconds: float) -> ExecutionResult:
    error = GraphQLError(
        f"This query ran longer than its {seconds:g} s deadline and was stopped; nothing was "
        "kept. Ask for less (smaller pages, fewer nested lists) or narrower filters.",
        extensions={"code": ErrorCode.TIMEOUT.value, "seconds": seconds},
    )
    return ExecutionResult(data=None, errors=[error])


class Deadline(SchemaExtension):
    """Sets the deadline of a query once its operation type is known."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds

    def on_execute(self) -> Iterator[None]:
        scope = _current.get()
        if scope is not None and self.execution_context.operation_type is OperationType.QUERY:
            scope.reschedule(asyncio.get_running_loop().time() + self.seconds)
        yield
