"""The GraphQL HTTP view: context, orjson, and GraphQL-over-HTTP media types and statuses."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket, WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from coordhub.auth import ActorUser
from coordhub.connectors.manager import ConnectorRegistry
from coordhub.events.tail import LogTail
from coordhub.schema.cacheability import mark_volatile
from coordhub.schema.context import Context
from coordhub.settings import Settings
from coordhub.web.websocket import KeepAliveHandler, authenticate_connection

GRAPHQL_RESPONSE = "application/graphql-response+json"


def _is_request_error(result: ExecutionResult) -> bool:
    """Parse, validation and variable errors: they carry no path and stop execution."""
    return (
        result.data is None
        and bool(result.errors)
        and all(error.path is None for error in result.errors or [])
    )


def _wants_graphql_response(request: Request) -> bool:
    return GRAPHQL_RESPONSE in request.headers.get("accept", "")


class TextFrames(ASGIWebSocketAdapter):
    """graphql-transport-ws messages go out as text frames: browsers and graphql-ws clients
    reject binary ones (orjson encodes to bytes)."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        try:
            await self.ws.send_text(orjson.dumps(message).decode())
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's ASGI view with coordhub's context and response conventions.

    With ``Accept: application/graphql-response+json`` the response has that media type, and a
    document that fails to parse or validate (no ``data``) gets status 400, as the
    GraphQL-over-HTTP specification asks. Plain ``application/json`` clients get 200.
    """

    graphql_transport_ws_handler_class = KeepAliveHandler
    websocket_adapter_class = TextFrames  # type: ignore[assignment]

    def __init__(
        self,
        schema: Any,
        settings: Settings,
        registry: ConnectorRegistry | None = None,
        tail: LogTail | None = None,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.graphiql_enabled else None,
            allow_queries_via_get=True,
            # graphql-transport-ws only: the legacy graphql-ws protocol is refused (4406).
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(seconds=settings.ws_init_timeout_seconds),
        )
        self.settings = settings
        self.registry = registry
        self.tail = tail

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        user = request.scope.get("user")
        actor = user.actor if isinstance(user, ActorUser) else None
        request.state.sub_response = response
        return Context(
            settings=self.settings,
            actor=actor,
            request=request,
            registry=self.registry,
            tail=self.tail,
        )

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        await authenticate_connection(context)
        return UNSET

    def encode_json(self, data: object) -> bytes:  # type: ignore[override]
        return orjson.dumps(data)

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        processed = await super().process_result(request, result)
        if result.errors:
            mark_volatile()  # errors may be transient: never serve them from the cache
        if _wants_graphql_response(request):
            sub_response: Response = request.state.sub_response
            sub_response.media_type = GRAPHQL_RESPONSE
            if _is_request_error(result):
                # The document never executed: no `data` entry, and a 4xx (spec 6.4.2).
                processed.pop("data", None)
                sub_response.status_code = 400
        return processed

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        try:
            return await super().execute_single(*args, **kwargs)
        except HTTPException as exc:
            if isinstance(exc.__cause__, InvalidOperationTypeError):
                raise HTTPException(405, exc.reason) from exc  # e.g. a mutation over GET
            raise

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        response = super().create_response(response_data, sub_response)
        if sub_response.media_type == GRAPHQL_RESPONSE:
            response.headers["content-type"] = GRAPHQL_RESPONSE
        return response
