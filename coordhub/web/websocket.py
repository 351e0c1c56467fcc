"""Subscriptions over ``graphql-transport-ws``: authentication, revocation, limits and server
keep-alive pings.

Close codes (documented in docs/subscriptions.md):

- 1009: a message larger than ``Settings.max_body_bytes`` (the HTTP body limit);
- 1013: the token could not be checked just now (database unreachable): reconnect shortly;
- 4403: a bad or revoked token; an open connection is closed as soon as its token is revoked;
- 4408: no ``connection_init`` in time, or no pong in time;
- 4429: the token already holds ``Settings.ws_max_sockets_per_token`` connections here
  (strawberry also uses it for a second ``connection_init``);
- 4499: the subscriber fell too far behind (``coordhub.schema.context``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncGenerator, Mapping
from json import JSONDecodeError
from typing import TYPE_CHECKING, Any, Protocol, cast

from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.exceptions import (
    NonJsonMessageReceived,
    NonTextMessageReceived,
    WebSocketDisconnected,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    Message,
    PongMessage,
    SubscribeMessage,
)

from coordhub.auth import (
    InvalidToken,
    Revocations,
    TokenCheckUnavailable,
    actor_for_token,
    bearer_secret,
)
from coordhub.schema.context import REVOKED_REASON, Context
from coordhub.schema.loaders import Loaders
from coordhub.settings import Settings
from coordhub.web.encoding import SharedJSON, encode_json
from coordhub.workflow.errors import ErrorCode

if TYPE_CHECKING:
    from coordhub.events.tail import LogTail
    from coordhub.models import Event

log = logging.getLogger(__name__)
TRY_AGAIN = "Could not check your token just now: reconnect shortly"
MESSAGE_TOO_BIG = 1009
TRY_AGAIN_LATER = 1013
FORBIDDEN = 4403
TOO_MANY_SOCKETS = 4429


class TooManySockets(Exception):
    """The token already holds as many connections on this process as it may."""


class OpenSockets:
    """This process's authenticated subscription connections, by token.

    Caps the connections of one token (``Settings.ws_max_sockets_per_token``, counted per
    process) and closes every connection of a token with 4403 as soon as the log tail reads its
    TOKEN_REVOKED event: every process tails the same log, so a revocation made anywhere (the
    CLI, another API process) reaches every open socket.
    """

    def __init__(self, settings: Settings, tail: LogTail | None = None) -> None:
        self.settings = settings
        self.revocations = Revocations()
        self.by_token: dict[int, set[Context]] = {}
        if tail is not None:
            tail.listen(self._on_event)

    def _on_event(self, event: Event) -> None:
        token_id = self.revocations.observe(event)
        if token_id is not None:
            for context in list(self.by_token.get(token_id, ())):
                context.disconnect_revoked()

    def add(self, context: Context) -> None:
        """Count an authenticated connection; ``TooManySockets`` if its token has its fill,
        ``ConnectionRejectionError`` if the token is already known to be revoked."""
        token_id = context.actor.token_id if context.actor else None
        if token_id is None:
            return
        held = self.by_token.setdefault(token_id, set())
        if len(held) >= self.settings.ws_max_sockets_per_token:
            raise TooManySockets(
                f"At most {self.settings.ws_max_sockets_per_token} connections per token"
            )
        held.add(context)
        if self.revocations.known_revoked(token_id):
            # Revoked between the token check and now: the tail read the event already.
            raise ConnectionRejectionError()

    def discard(self, context: Context) -> None:
        token_id = context.actor.token_id if context.actor else None
        held = self.by_token.get(token_id) if token_id is not None else None
        if held is not None:
            held.discard(context)
            if not held:
                del self.by_token[token_id]  # type: ignore[arg-type]

    def count(self, token_id: int) -> int:
        return len(self.by_token.get(token_id, ()))


class _SocketView(Protocol):
    settings: Settings
    sockets: OpenSockets


async def authenticate_connection(context: Context, sockets: OpenSockets | None = None) -> None:
    """Take the actor from ``connection_init``'s ``authorization``; refuse a bad token.

    No token means a public subscriber (or the one of the upgrade request's ``Authorization``
    header, if it had one). A bad or revoked token closes the connection with 4403;
    a token that cannot be checked (database unreachable) with 1013, to reconnect shortly; a
    token that holds its fill of connections on this process with 4429.
    """
    params = context.connection_params or {}
    authorization = params.get("authorization") or params.get("Authorization")
    if authorization is not None:
        try:
            secret = bearer_secret(str(authorization))
            if secret is not None:
                context.actor = await actor_for_token(secret)
        except InvalidToken as exc:
            raise ConnectionRejectionError() from exc
        except Exception as exc:  # the database is unreachable (restarting, say)
            log.warning("could not check a subscriber's token: %s: %s", type(exc).__name__, exc)
            raise TokenCheckUnavailable(TRY_AGAIN) from exc
    if sockets is not None:
        # Also a connection authenticated by the upgrade request's Authorization header.
        sockets.add(context)


def _utf8_size_over(text: str, limit: int) -> bool:
    """Whether ``text`` is longer than ``limit`` bytes in UTF-8 (encodes only when unsure)."""
    if len(text) > limit:
        return True
    if len(text) * 4 <= limit:
        return False
    return len(text.encode("utf-8", "surrogatepass")) > limit


class BoundedFrames(ASGIWebSocketAdapter):
    """Reads graphql-transport-ws messages no larger than the HTTP body limit
    (``Settings.max_body_bytes``): a larger one closes the connection with 1009 (message too
    big) before it is decoded, whatever server runs the app. ``coordhub serve`` also sets
    uvicorn's ``ws_max_size`` to the same limit, so there uvicorn refuses it first."""

    async def iter_json(
        self, *, ignore_parsing_errors: bool = False
    ) -> AsyncGenerator[object, None]:
        limit = cast(_SocketView, self.view).settings.max_body_bytes
        while self.ws.application_state != WebSocketState.DISCONNECTED:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            text: str | None = message.get("text")
            data: bytes | None = message.get("bytes")
            too_big = _utf8_size_over(text, limit) if text is not None else len(data or b"") > limit
            if too_big:
                with contextlib.suppress(Exception):
                    await self.close(MESSAGE_TOO_BIG, f"Message too big: at most {limit} bytes")
                return
            if text is None:
                raise NonTextMessageReceived
            try:
                decoded = self.view.decode_json(text)
            except JSONDecodeError as exc:
                if not ignore_parsing_errors:
                    raise NonJsonMessageReceived from exc
                continue
            yield decoded


class TextFrames(BoundedFrames):
    """graphql-transport-ws messages go out as text frames: browsers and graphql-ws clients
    reject binary ones (orjson encodes to bytes)."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        await self.send_text(encode_json(message).decode())

    async def send_text(self, text: str) -> None:
        try:
            await self.ws.send_text(text)
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc


def next_frame(message: Mapping[str, Any]) -> str:
    """A ``next`` message as JSON, its ``data`` encoded once for every subscriber it goes to."""
    payload: Mapping[str, Any] = message["payload"]
    rest = {key: value for key, value in payload.items() if key != "data"}
    tail = "," + encode_json(rest).decode()[1:-1] if rest else ""
    head = encode_json({"id": message["id"], "type": "next"}).decode()[:-1]
    return f'{head},"payload":{{"data":{shared_json(payload.get("data"))}{tail}}}}}'


shared_json = SharedJSON()


class KeepAliveHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """The graphql-transport-ws handler of every connection.

    Pings every ``ws_ping_seconds`` after the connection is acknowledged, and closes it (4408)
    when the client has not answered for ``ws_pong_timeout_seconds``: a client that stopped
    reading does not hold server resources for ever. Re-checks the token before every
    operation (query, mutation or subscription): a revoked token's operation is answered with
    an UNAUTHENTICATED error and the connection closed with 4403, and nothing runs.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._last_pong = time.monotonic()
        self._pinger: asyncio.Task[None] | None = None

    @property
    def sockets(self) -> OpenSockets:
        return cast(_SocketView, self.view).sockets

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        try:
            await super().handle_connection_init(message)
        except TokenCheckUnavailable:
            # Neither accepted nor refused: 1013 is WebSocket's "try again later".
            await self.websocket.close(code=TRY_AGAIN_LATER, reason=TRY_AGAIN)
            return
        except TooManySockets as exc:
            await self.websocket.close(code=TOO_MANY_SOCKETS, reason=str(exc))
            return
        if self.connection_acknowledged and self._pinger is None:
            self._last_pong = time.monotonic()
            self._pinger = asyncio.create_task(self._ping())

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if self.connection_acknowledged and "id" in message:
            if not await self._token_valid(message["id"]):
                return
            # Each operation reads through DataLoaders of its own, as the connection's actor:
            # the context outlives operations (and was built before connection_init).
            self.context.loaders = Loaders(self.context.actor)
        await super().handle_subscribe(message)

    async def _token_valid(self, operation_id: str) -> bool:
        """Whether the connection's token still holds; if not, the operation is refused and
        the connection closed (4403 revoked, 1013 if it cannot be checked just now)."""
        context = self.context
        token_id = context.actor.token_id if context.actor else None
        if token_id is None:
            return True
        try:
            revoked = context.revoked or await self.sockets.revocations.is_revoked(token_id)
        except Exception as exc:  # the database is unreachable (restarting, say)
            log.warning("could not re-check a subscriber's token: %s: %s", type(exc).__name__, exc)
            await self._refuse(operation_id, TRY_AGAIN, None, TRY_AGAIN_LATER)
            return False
        if revoked:
            context.revoked = True
            message = "Your token was revoked."
            await self._refuse(operation_id, message, ErrorCode.UNAUTHENTICATED, FORBIDDEN)
        return not revoked

    async def _refuse(
        self, operation_id: str, message: str, code: ErrorCode | None, close_code: int
    ) -> None:
        error: dict[str, object] = {"message": message}
        if code is not None:
            error["extensions"] = {"code": code.value}
        with contextlib.suppress(Exception):
            await self.send_message({"id": operation_id, "type": "error", "payload": [error]})
        reason = REVOKED_REASON if close_code == FORBIDDEN else TRY_AGAIN
        with contextlib.suppress(Exception):
            await self.websocket.close(code=close_code, reason=reason)

    async def send_message(self, message: Message) -> None:
        if message.get("type") == "next" and "data" in message.get("payload", {}):
            await cast(TextFrames, self.websocket).send_text(next_frame(message))
        else:
            await super().send_message(message)

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
        self.sockets.discard(self.context)
        if self._pinger is not None:
            self._pinger.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pinger
        await super().shutdown()
