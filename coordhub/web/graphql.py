"""The GraphQL HTTP view: context, orjson, and GraphQL-over-HTTP media types and statuses."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from coordhub.auth import ActorUser
from coordhub.connectors.manager import ConnectorRegistry
from coordhub.events.tail import LogTail
from coordhub.schema.cacheability import mark_volatile
from coordhub.schema.context import Context
from coordhub.settings import Settings
from coordhub.web.encoding import encode_json
from coordhub.web.graphiql import graphiql_response
from coordhub.web.websocket import (
    KeepAliveHandler,
    OpenSockets,
    TextFrames,
    authenticate_connection,
)

GRAPHQL_RESPONSE = "application/graphql-response+json"
#: What may stand before a JSON text's first value (RFC 8259, section 2).
JSON_WHITESPACE = b" \t\r\n"
SUBSCRIPTIONS_OVER_WEBSOCKET = (
    "Subscriptions are served over a websocket at this address (graphql-transport-ws)."
)
NOT_AN_OBJECT = 'The request body must be a JSON object, e.g. {"query": "{ viewer { name } }"}.'


def _is_request_error(result: ExecutionResult) -> bool:
    """Parse, validation and variable errors: they carry no path and stop execution."""
    return (
        result.data is None
        and bool(result.errors)
        and all(error.path is None for error in result.errors or [])
    )


def _wants_graphql_response(request: Request) -> bool:
    return GRAPHQL_RESPONSE in request.headers.get("accept", "")


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
        #: Open subscription connections by token: caps, and closing on revocation.
        self.sockets = OpenSockets(settings, tail)

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

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL from coordhub's own assets, with a CSP nonce (``coordhub.web.graphiql``)."""
        return graphiql_response()

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        await authenticate_connection(context, self.sockets)
        return UNSET

    def encode_json(self, data: object) -> bytes:  # type: ignore[override]
        return encode_json(data)

    def decode_json(self, data: str | bytes) -> object:
        """JSON in UTF-8, as GraphQL over HTTP requires (``json.loads`` would also guess
        UTF-16 and UTF-32, and raise a decoding error it does not turn into a 400)."""
        if isinstance(data, bytes):
            try:
                data = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise HTTPException(400, "The request body is not valid UTF-8.") from exc
        return json.loads(data)

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """A JSON body must hold an object (a list is a batch, refused as such): strawberry
        reads a string, number, ``true`` or ``null`` body as an object and fails with a 500."""
        media_type, _ = parse_content_type(request.content_type or "")
        if request.method == "POST" and "application/json" in media_type:
            body = await request.get_body()
            if body.lstrip(JSON_WHITESPACE)[:1] not in (b"{", b"["):
                self.parse_json(body)  # malformed JSON (or not UTF-8) says so first
                raise HTTPException(400, NOT_AN_OBJECT)
        return await super().parse_http_body(request)

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        """Requests refused before execution (malformed body, wrong method or content type)
        get a GraphQL-shaped error in the media type the client asked for, not plain text."""
        try:
            return await super().run(request, context, root_value)
        except HTTPException as exc:
            if not isinstance(request, Request):
                raise
            return self._refusal(request, exc)

    def _refusal(self, request: Request, exc: HTTPException) -> Response:
        media_type = GRAPHQL_RESPONSE if _wants_graphql_response(request) else "application/json"
        body = encode_json({"errors": [{"message": exc.reason}]})
        return Response(body, status_code=exc.status_code, media_type=media_type)

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

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """Strawberry's, less subscriptions: they are served over the websocket only (plain
        HTTP has no stream to send events on; executed here they failed as a masked error)."""
        allowed = OperationType.from_http(request_adapter.method) - {OperationType.SUBSCRIPTION}
        try:
            return await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except InvalidOperationTypeError as exc:  # a mutation over GET, a subscription
            reason = exc.as_http_error_reason(request_adapter.method)
            if exc.operation_type == OperationType.SUBSCRIPTION:
                reason = SUBSCRIPTIONS_OVER_WEBSOCKET
            raise HTTPException(405, reason) from exc
        except CannotGetOperationTypeError as exc:
            raise HTTPException(400, exc.as_http_error_reason()) from exc
        except MissingQueryError as exc:
            raise HTTPException(400, "No GraphQL query found in the request") from exc

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        response = super().create_response(response_data, sub_response)
        if sub_response.media_type == GRAPHQL_RESPONSE:
            response.headers["content-type"] = GRAPHQL_RESPONSE
        return response
