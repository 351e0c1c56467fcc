"""ASGI middleware of the HTTP surface: security headers, request ids, the body size limit, and
the answer to a token that fails authentication."""

from __future__ import annotations

import uuid

from starlette.authentication import AuthenticationError
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coordhub.auth import TokenCheckUnavailable
from coordhub.logs import request_id

REQUEST_ID_HEADER = b"x-request-id"

#: What every HTML answer gets unless it sets its own (GraphiQL sets a CSP with its nonce, the
#: public pages theirs): no script, style or frame source at all, and no framing by others.
HTML_SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (
        b"content-security-policy",
        b"default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)
NOSNIFF = (b"x-content-type-options", b"nosniff")


class SecurityHeaders:
    """``X-Content-Type-Options: nosniff`` on every HTTP answer, and on HTML answers a
    Content-Security-Policy, ``X-Frame-Options: DENY`` and ``Referrer-Policy: no-referrer``,
    each only where the answer did not set that header itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                content_type = next(
                    (value for name, value in headers if name.lower() == b"content-type"), b""
                )
                wanted = [NOSNIFF]
                if content_type.lower().startswith(b"text/html"):
                    wanted += HTML_SECURITY_HEADERS
                headers += [(name, value) for name, value in wanted if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RequestId:
    """Gives every HTTP request and websocket an id (the client's ``X-Request-ID`` if sane),
    echoes it in the response, and puts it on every log line written while serving it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(REQUEST_ID_HEADER, b"").decode("latin-1")
        current = given if 0 < len(given) <= 64 and given.isprintable() else uuid.uuid4().hex
        token = request_id.set(current)

        if scope["type"] == "websocket":  # no response head to add it to: leave its frames be
            try:
                await self.app(scope, receive, send)
            finally:
                request_id.reset(token)
            return

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (REQUEST_ID_HEADER, current.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)


def unauthenticated(conn: HTTPConnection, exc: AuthenticationError) -> Response:
    """A bad token gets a GraphQL-shaped 401, never public access; a token that could not be
    checked (database unreachable) a 503 to retry."""
    if isinstance(exc, TokenCheckUnavailable):
        error = {"message": str(exc), "extensions": {"code": "UNAVAILABLE"}}
        return JSONResponse({"errors": [error]}, status_code=503, headers={"retry-after": "1"})
    error = {"message": str(exc), "extensions": {"code": "UNAUTHENTICATED"}}
    return JSONResponse({"errors": [error]}, status_code=401)


class BodyTooLarge(Exception):
    """The client sent more than the limit."""


class BodySizeLimit:
    """Answer 413 to requests whose body exceeds ``max_bytes``, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = PlainTextResponse(
            f"Request body larger than {self.max_bytes} bytes.", status_code=413
        )
        await response(scope, receive, send)
