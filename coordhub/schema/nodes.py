"""Rows as GraphQL objects: Relay ``node(id:)`` through the request's (visibility-filtered)
loaders, and ``as_node``, by which one domain's type returns another's without importing it.

Each domain's ``types`` module registers its object type for its model (``register``); a field
that returns another domain's object annotates it with ``strawberry.lazy`` and converts the
row with ``as_node``, so the domains' modules do not import each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from coordhub.schema.errors import MAX_KEY

N = TypeVar("N")
M = TypeVar("M")

_FROM_ROW: dict[type, Callable[[Any], Any]] = {}


def register(model: type[M], from_row: Callable[[M], object]) -> None:
    """Make ``as_node`` turn rows of ``model`` into objects with ``from_row``."""
    _FROM_ROW[model] = from_row


def as_node(row: Any) -> Any:
    """The GraphQL object for a row, as its domain registered it; ``None`` for ``None``."""
    return None if row is None else _FROM_ROW[type(row)](row)


def node_key(node_id: str) -> int:
    """The primary key in a node id; -1 (no row) when it is not one."""
    try:
        key = int(node_id)
    except ValueError:
        return -1
    return key if 0 <= key <= MAX_KEY else -1


async def load_nodes(
    loader: DataLoader[int, Any], node_ids: Iterable[str], convert: Callable[[Any], N]
) -> list[N | None]:
    """Nodes in the order asked, ``None`` where the caller may not see one or it is absent."""
    rows = await loader.load_many([node_key(node_id) for node_id in node_ids])
    return [convert(row) if row is not None else None for row in rows]
