"""Resolving Relay ``node(id:)`` through the request's (visibility-filtered) loaders."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from coordhub.schema.errors import MAX_KEY

N = TypeVar("N")


def _pk(node_id: str) -> int:
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
    rows = await loader.load_many([_pk(node_id) for node_id in node_ids])
    return [convert(row) if row is not None else None for row in rows]
