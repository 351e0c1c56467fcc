"""Rate limits at the HTTP edge: lockout after failed sign-ins, requests per caller, 429s.

Two ASGI middlewares share the app's ``coordhub.ratelimits.RateLimits``:

- ``AuthLockout`` sits before authentication: an address that failed to authenticate too
  often in the window is refused (429) before its token is looked up, and every 401 answer or
  websocket refused at ``connection_init`` (close 4403) counts as a failure of its address;
- ``RequestLimit`` sits after it, on the API's paths: each request (or websocket) is counted
  against its token or, without one, its address; past the budget, 429. It also turns a cost
  refusal made during execution (``request.state.rate_limit_refusal``, set by
  ``coordhub.schema.cost``) into a 429, and adds the ``RateLimit-*`` headers to every answer;
- ``PageLimit`` counts every other HTTP request but the probes (the public pages, feeds,
  sitemap and files) against its address's page budget; past it, a plain-text 429.

Over websockets a spent cost budget is a RATE_LIMITED error on that operation; a spent request
budget refuses the socket at its handshake (HTTP 429 before the upgrade).
"""

from __future__ import annotations

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coordhub.ratelimits import Caller, RateLimits, Verdict, client_address

#: Close code strawberry sends when ``connection_init`` carries a bad token.
REFUSED_TOKEN_CLOSE = 4403


async def refuse(scope: Scope, send: Send, verdict: Verdict) -> None:
    """A 429 answer (HTTP, or a websocket handshake) in the shape of a GraphQL error."""
    what = "failed sign-ins" if verdict.name == "auth_failures" else "requests"
    body = orjson.dumps(
        {
            "errors": [
                {
                    "message": f"Too many {what} from you in this window: retry in "
                    f"{verdict.retry_after} s.",
                    "extensions": {
                        "code": "RATE_LIMITED",
                        "limit": verdict.name,
                        "retryAfter": verdict.retry_after,
                    },
                }
            ]
        }
    )
    headers = [(k.lower().encode(), v.encode()) for k, v in verdict.headers().items()]
    headers += [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    start = (
        "websocket.http.response.start" if scope["type"] == "websocket" else "http.response.start"
    )
    body_type = (
        "websocket.http.response.body" if scope["type"] == "websocket" else "http.response.body"
    )
    if scope["type"] == "websocket" and "websocket.http.response" not in scope.get(
        "extensions", {}
    ):
        await send({"type": "websocket.close", "code": 1008, "reason": "Rate limited"})
        return
    await send({"type": start, "status": 429, "headers": headers})
    await send({"type": body_type, "body": body})


class AuthLockout:
    """Refuses addresses locked out for failed authentication; counts the failures."""

    def __init__(self, app: ASGIApp, limits: RateLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or not self.limits.enabled:
            await self.app(scope, receive, send)
            return
        address = client_address(scope)
        locked = await self.limits.locked_out(address)
        if locked is not None:
            await refuse(scope, send, locked)
            return

        async def counting_send(message: Message) -> None:
            kind = message["type"]
            failed = (kind == "http.response.start" and message.get("status") == 401) or (
                kind == "websocket.close" and message.get("code") == REFUSED_TOKEN_CLOSE
            )
            if failed:
                await self.limits.authentication_failed(address)
            await send(message)

        await self.app(scope, receive, counting_send)


class RequestLimit:
    """Counts requests on ``paths`` per caller; answers 429 past the budget or the cost one."""

    def __init__(self, app: ASGIApp, limits: RateLimits, paths: tuple[str, ...]) -> None:
        self.app = app
        self.limits = limits
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] not in ("http", "websocket")
            or not self.limits.enabled
            or not scope.get("path", "").startswith(self.paths)
        ):
            await self.app(scope, receive, send)
            return
        actor = getattr(scope.get("user"), "actor", None)
        caller = Caller.of(getattr(actor, "token_id", None), client_address(scope))
        verdict = await self.limits.request(caller)
        if not verdict.allowed:
            await refuse(scope, send, verdict)
            return
        state = scope.setdefault("state", {})

        async def limited_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                refusal: Verdict | None = state.get("rate_limit_refusal")
                shown = refusal or verdict
                headers = list(message.get("headers", []))
                headers += [(k.lower().encode(), v.encode()) for k, v in shown.headers().items()]
                message = {**message, "headers": headers}
                if refusal is not None:
                    message["status"] = 429
            await send(message)

        await self.app(scope, receive, limited_send)


class PageLimit:
    """Counts requests outside ``exempt`` (the API and the probes) per client address."""

    def __init__(self, app: ASGIApp, limits: RateLimits, exempt: tuple[str, ...]) -> None:
        self.app = app
        self.limits = limits
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or not self.limits.enabled
            or scope.get("path", "").startswith(self.exempt)
        ):
            await self.app(scope, receive, send)
            return
        verdict = await self.limits.page(client_address(scope))
        if verdict.allowed:
            await self.app(scope, receive, send)
            return
        body = (
            f"Too many requests from your address: retry in {verdict.retry_after} s.\n"
            f"សំណើច្រើនពេកពីអាសយដ្ឋានរបស់អ្នក៖ សូមព្យាយាមម្តងទៀតក្នុងរយៈពេល {verdict.retry_after} វិនាទី។\n"
        ).encode()
        headers = [(k.lower().encode(), v.encode()) for k, v in verdict.headers().items()]
        headers += [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
        ]
        await send({"type": "http.response.start", "status": 429, "headers": headers})
        await send({"type": "http.response.body", "body": body})
