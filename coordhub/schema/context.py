"""The per-request GraphQL context: who is calling, settings, and the request's DataLoaders."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from strawberry.types import Info as StrawberryInfo

from coordhub.actor import Actor
from coordhub.schema.loaders import Loaders
from coordhub.settings import Settings

#: The close reason of a connection whose token was revoked (close code 4403).
REVOKED_REASON = "Forbidden: token revoked"

if TYPE_CHECKING:
    from starlette.requests import HTTPConnection
    from starlette.websockets import WebSocket

    from coordhub.connectors.manager import ConnectorRegistry
    from coordhub.events.tail import LogTail


@dataclass(eq=False)  # hashed by identity: open connections are kept in sets
class Context:
    """Built once per HTTP request, and once per websocket connection (shared by the
    connection's operations; a subscription swaps in fresh loaders for every event)."""

    settings: Settings
    actor: Actor | None
    request: HTTPConnection | None = None
    registry: ConnectorRegistry | None = None
    tail: LogTail | None = None
    #: The ``connection_init`` payload of a subscription connection.
    connection_params: dict[str, object] | None = None
    #: Set when the connection's token is revoked: its subscriptions stop before the next event.
    revoked: bool = False
    #: Subscriptions running on this connection, against ``Settings.ws_max_subscriptions``.
    subscriptions: int = 0
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.actor)

    def disconnect_slow_subscriber(self) -> None:
        """Close a subscription connection whose subscriber fell too far behind."""
        self._close(4499, "Subscriber too slow: reconnect with your last cursor")

    def disconnect_revoked(self) -> None:
        """Close a subscription connection whose token was revoked."""
        self.revoked = True
        self._close(4403, REVOKED_REASON)

    def _close(self, code: int, reason: str) -> None:
        from starlette.websockets import WebSocket

        if isinstance(self.request, WebSocket):
            asyncio.get_running_loop().create_task(_close_quietly(self.request, code, reason))


async def _close_quietly(websocket: WebSocket, code: int, reason: str) -> None:
    with contextlib.suppress(Exception):
        await websocket.close(code=code, reason=reason)


Info = StrawberryInfo[Context, None]
