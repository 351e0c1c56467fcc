"""Subscriptions over ``graphql-transport-ws``: authentication and server keep-alive pings."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    PongMessage,
)

from coordhub.auth import InvalidToken, TokenCheckUnavailable, actor_for_token, bearer_secret
from coordhub.schema.context import Context

log = logging.getLogger(__name__)
TRY_AGAIN = "Could not check your token just now: reconnect shortly"


async def authenticate_connection(context: Context) -> None:
    """Take the actor from ``connection_init``'s ``authorization``; refuse a bad token.

    No token means a public subscriber. A bad or revoked token closes the connection with 4403;
    a token that cannot be checked (database unreachable) with 1013, to reconnect shortly.
    """
    params = context.connection_params or {}
    authorization = params.get("authorization") or params.get("Authorization")
    if authorization is None:
        return
    try:
        secret = bearer_secret(str(authorization))
        if secret is not None:
            context.actor = await actor_for_token(secret)
    except InvalidToken as exc:
        raise ConnectionRejectionError() from exc
    except Exception as exc:  # the database is unreachable (restarting, say)
        log.warning("could not check a subscriber's token: %s: %s", type(exc).__name__, exc)
        raise TokenCheckUnavailable(TRY_AGAIN) from exc


class KeepAliveHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """Pings every ``ws_ping_seconds`` after the connection is acknowledged, and closes it
    (4408) when the client has not answered for ``ws_pong_timeout_seconds``: a client that
    stopped reading does not hold server resources for ever."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._last_pong = time.monotonic()
        self._pinger: asyncio.Task[None] | None = None

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        try:
            await super().handle_connection_init(message)
        except TokenCheckUnavailable:
            # Neither accepted nor refused: 1013 is WebSocket's "try again later".
            await self.websocket.close(code=1013, reason=TRY_AGAIN)
            return
        if self.connection_acknowledged and self._pinger is None:
            self._last_pong = time.monotonic()
            self._pinger = asyncio.create_task(self._ping())

    async def handle_pong(self, message: PongMessage) -> None:
        self._last_pong = time.monotonic()

    async def _ping(self) -> None:
        settings = self.context.settings
        while True:
            await asyncio.sleep(settings.ws_ping_seconds)
            if time.monotonic() - self._last_pong > settings.ws_pong_timeout_seconds:
                with contextlib.suppress(Exception):
                    await self.websocket.close(code=4408, reason="No pong: reconnect")
                return
            with contextlib.suppress(Exception):
                async with asyncio.timeout(settings.ws_pong_timeout_seconds):
                    await self.send_message({"type": "ping"})

    async def shutdown(self) -> None:
        if self._pinger is not None:
            self._pinger.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pinger
        await super().shutdown()
