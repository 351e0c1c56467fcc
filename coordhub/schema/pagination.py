"""Cursor connections with keyset pagination and a hard page-size cap."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Generic, TypeVar

import strawberry
from tortoise.models import Model
from tortoise.queryset import QuerySet

from coordhub.events.epoch import current_epoch, is_current, known_epoch
from coordhub.schema.errors import MAX_KEY
from coordhub.settings import Settings
from coordhub.workflow.errors import ErrorCode, WorkflowError, invalid

N = TypeVar("N")
R = TypeVar("R")
M = TypeVar("M", bound=Model)


@strawberry.type(description="Where a page stands in its list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether another page follows.")
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` to get the next page; null on an empty page."
    )


@strawberry.type(description="One item of a page, with the cursor that points at it.")
class Edge(Generic[N]):
    cursor: str = strawberry.field(description="Opaque position of this item.")
    node: N = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list; follow `pageInfo.endCursor` for the next.")
class Connection(Generic[N]):
    edges: list[Edge[N]] = strawberry.field(description="The items of this page, in order.")
    page_info: PageInfo = strawberry.field(description="Where this page stands.")


def encode_cursor(kind: str, key: int, epoch: str | None = None) -> str:
    """An opaque cursor for the row with keyset value ``key`` in the log epoch ``epoch``
    (by default the one already read, see ``coordhub.events.epoch``)."""
    epoch = known_epoch() if epoch is None else epoch
    return base64.urlsafe_b64encode(f"{kind}:{epoch}:{key}".encode()).decode()


#: The cursor before the log's first event, of every epoch: subscribing or listing events
#: ``after`` it reads the whole log (what is kept of it), which is right in any life of the
#: database, so it carries no epoch.
LOG_START = base64.urlsafe_b64encode(b"event:0").decode()


def _expired(message: str) -> WorkflowError:
    return WorkflowError(ErrorCode.CURSOR_EXPIRED, message, "after")


def decode_cursor(kind: str, cursor: str | None) -> tuple[str | None, int] | None:
    """The epoch (None: any) and keyset value inside a cursor, or an INVALID error."""
    if cursor is None:
        return None
    try:
        prefix, *rest = base64.urlsafe_b64decode(cursor.encode()).decode().split(":")
        if prefix != kind or len(rest) not in (1, 2):
            raise ValueError(prefix)
        value = int(rest[-1])
        if not 0 <= value <= MAX_KEY:
            raise ValueError(rest[-1])
    except (ValueError, UnicodeDecodeError) as exc:
        raise invalid("Not a cursor of this list: pass a pageInfo.endCursor.", "after") from exc
    if len(rest) == 1:
        if kind == "event" and value == 0:
            return None, 0
        raise _expired(
            "This cursor is from before log epochs: start the list again without `after`."
        )
    return rest[0], value


async def resolve_cursor(kind: str, cursor: str | None) -> int | None:
    """The keyset value of a cursor of this database's current epoch: INVALID if it is not a
    cursor of this list, CURSOR_EXPIRED if it is one of another epoch (taken before a restore
    from a backup, or from another database)."""
    await current_epoch()  # read once, so that the page's cursors can be encoded
    position = decode_cursor(kind, cursor)
    if position is None:
        return None
    epoch, value = position
    if epoch is not None and not await is_current(epoch):
        raise _expired(
            "This cursor belongs to an earlier life of the database (it was restored from a "
            "backup since): start again without `after`."
        )
    return value


def page_size(first: int | None, *, default: int, cap: int) -> int:
    """The page size asked for, within 1..cap."""
    if first is None:
        return default
    if first < 0:
        raise invalid("`first` must not be negative.", "first")
    if first > cap:
        raise invalid(f"`first` may be at most {cap}.", "first")
    return first


def build_connection(
    rows: Sequence[R],
    size: int,
    *,
    kind: str,
    key: Callable[[R], int],
    node: Callable[[R], N],
) -> Connection[N]:
    """A page from ``size + 1`` fetched rows (the extra one tells whether more follow)."""
    page = rows[:size]
    edges = [Edge(cursor=encode_cursor(kind, key(row)), node=node(row)) for row in page]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > size,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


async def paginate(
    query: QuerySet[M],
    settings: Settings,
    *,
    first: int | None,
    after: str | None,
    kind: str,
    node: Callable[[M], N],
    key: str = "id",
    newest_first: bool = True,
) -> Connection[N]:
    """One page of ``query`` (its read rules and filters already applied), keyset-ordered.

    ``key`` is the unique column the cursor holds; lists are newest first (descending) unless
    ``newest_first`` is false, as for the event log, which reads oldest first.
    """
    size = page_size(first, default=settings.default_page_size, cap=settings.max_page_size)
    position = await resolve_cursor(kind, after)
    if position is not None:
        query = query.filter(**{f"{key}__{'lt' if newest_first else 'gt'}": position})
    rows = await query.order_by(f"-{key}" if newest_first else key).limit(size + 1)
    return build_connection(rows, size, kind=kind, key=attrgetter(key), node=node)
