"""Public GraphQL responses, served from memory until the event log moves.

Front-ends poll the same few queries far more often than anyone writes, and a public caller's
answer depends only on the document, its variables and the stored records. Every change to a
record a public caller can see is written with an event in the same transaction (see
``coordhub.events.log``), so the log's sequence is a version number of everything public: a
response computed at sequence *s* stays right until the sequence moves past *s*.

Rules that keep this exactly as strict as executing the document:

- Only public callers (no token) are served from or stored in the cache. Signed-in callers see
  more, and per account; they always execute.
- Only queries: mutations, subscriptions and documents that do not parse go straight through.
- Only responses without errors, with status 200, and not marked volatile. A resolver whose
  answer depends on something outside the database (a connector's live health, the ``overdue``
  filter, which moves with the clock) calls ``coordhub.schema.cacheability.mark_volatile``, and
  that response is never stored. One whose answer changes at a known moment (a claim's
  ``overdue`` turns true at its ``dueAt``) calls ``valid_until``, and the stored copy is not
  served from then on.
- The sequence is read from the database before executing (one primary-key read per request),
  so a stored response is never older than its tag, and every process sees a write the moment
  it commits: there is no invalidation message to lose.

Concurrent misses for the same key at the same sequence execute once; the others wait for it.
The store is an LRU of ``response_cache_size`` entries (0 turns the cache off).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qs

import orjson
from graphql import GraphQLError, OperationDefinitionNode, OperationType, parse
from prometheus_client import Counter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coordhub.auth import ActorUser
from coordhub.events.log import current_sequence
from coordhub.metrics import GRAPHQL_REQUESTS, operation_label
from coordhub.schema.cacheability import tracking

CACHE_REQUESTS = Counter(
    "coordhub_graphql_cache_total",
    "Public GraphQL requests by what the response cache did: hit, miss (executed and stored), "
    "bypass (not cacheable: signed in, not a query, volatile or failed).",
    ["result"],
)
#: Larger responses are served but not kept.
MAX_ENTRY_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class _Document:
    operation_name: str | None


@lru_cache(maxsize=1024)
def _query_operation(query: str, operation_name: str | None) -> _Document | None:
    """The operation a request runs, if it is a query that parses; ``None`` otherwise."""
    try:
        document = parse(query)
    except GraphQLError:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1 or operations[0].operation != OperationType.QUERY:
        return None
    operation = operations[0]
    return _Document(operation.name.value if operation.name else None)


@dataclass(frozen=True, slots=True)
class _Entry:
    seq: int
    expires: float
    headers: list[tuple[bytes, bytes]]
    body: bytes


_Key = tuple[str, str | None, bytes, bool]


class ResponseCache:
    """An LRU of public responses, each tagged with the event sequence it was computed at."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[_Key, _Entry] = OrderedDict()
        self._pending: dict[tuple[_Key, int], asyncio.Future[_Entry | None]] = {}

    def get(self, key: _Key, seq: int) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is None or entry.seq != seq or time.time() >= entry.expires:
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: _Key, entry: _Entry) -> None:
        if len(entry.body) > MAX_ENTRY_BYTES:
            return
        current = self._entries.get(key)
        if current is not None and current.seq > entry.seq:
            return  # a newer answer is already stored
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

    async def wait_for(self, key: _Key, seq: int) -> _Entry | None:
        """The entry another request is computing for this key and sequence, if any."""
        pending = self._pending.get((key, seq))
        entry = None if pending is None else await asyncio.shield(pending)
        return entry if entry is not None and time.time() < entry.expires else None

    @contextlib.contextmanager
    def computing(self, key: _Key, seq: int) -> Iterator[asyncio.Future[_Entry | None] | None]:
        """Claim the computation of (key, seq): yields a future to resolve with the entry, or
        ``None`` when another request already computes it (then execute without storing)."""
        if (key, seq) in self._pending:
            yield None
            return
        future: asyncio.Future[_Entry | None] = asyncio.get_running_loop().create_future()
        self._pending[key, seq] = future
        try:
            yield future
        finally:
            del self._pending[key, seq]
            if not future.done():
                future.set_result(None)


class CachedGraphQL:
    """Wraps the GraphQL HTTP endpoint with the public response cache."""

    def __init__(self, app: ASGIApp, cache: ResponseCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        user = scope.get("user")
        if scope["type"] != "http" or self.cache.size <= 0 or isinstance(user, ActorUser):
            await self.app(scope, receive, send)
            return
        body, receive = await _buffer(receive) if scope["method"] == "POST" else (b"", receive)
        request = _graphql_request(scope, body)
        document = _query_operation(request[0], request[1]) if request else None
        if request is None or document is None:
            CACHE_REQUESTS.labels("bypass").inc()
            await self.app(scope, receive, send)
            return

        query, operation_name, variables = request
        # The only thing the Accept header changes is the media type of the answer.
        strict = "application/graphql-response+json" in _header(scope, b"accept")
        key: _Key = (query, operation_name, variables, strict)
        try:
            seq = await current_sequence()
        except Exception:  # database unreachable: execute, and answer as the resolvers can
            CACHE_REQUESTS.labels("bypass").inc()
            await self.app(scope, receive, send)
            return
        entry = self.cache.get(key, seq) or await self.cache.wait_for(key, seq)
        if entry is not None:
            CACHE_REQUESTS.labels("hit").inc()
            GRAPHQL_REQUESTS.labels(
                type="query", operation=operation_label(document.operation_name), outcome="ok"
            ).inc()
            await _replay(entry, send)
            return
        await self._execute_and_store(scope, receive, send, key, seq)

    async def _execute_and_store(
        self, scope: Scope, receive: Receive, send: Send, key: _Key, seq: int
    ) -> None:
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        with self.cache.computing(key, seq) as future, tracking() as state:
            await self.app(scope, receive, capture)
            stored = future is not None and status == 200 and state.cacheable
            CACHE_REQUESTS.labels("miss" if stored else "bypass").inc()
            if future is not None and stored:
                entry = _Entry(seq, state.expires, headers, b"".join(chunks))
                self.cache.put(key, entry)
                future.set_result(entry)


async def _buffer(receive: Receive) -> tuple[bytes, Receive]:
    """Read the whole request body, and a ``receive`` that hands it on unchanged."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


def _graphql_request(scope: Scope, body: bytes) -> tuple[str, str | None, bytes] | None:
    """(query, operation name, canonical variables) of a plain GraphQL request, else ``None``:
    anything unusual (other content types, extensions, malformed JSON) goes straight through."""
    if scope["method"] == "POST":
        if not _header(scope, b"content-type").startswith("application/json"):
            return None
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
    else:
        params = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        payload = {name: values[-1] for name, values in params.items()}
        if "variables" in payload:
            try:
                payload["variables"] = orjson.loads(payload["variables"])
            except orjson.JSONDecodeError:
                return None
    if not isinstance(payload, dict) or set(payload) - {"query", "variables", "operationName"}:
        return None
    query, variables, name = (
        payload.get("query"),
        payload.get("variables") or {},
        payload.get("operationName"),
    )
    if not isinstance(query, str) or not isinstance(variables, dict):
        return None
    if name is not None and not isinstance(name, str):
        return None
    return query, name, orjson.dumps(variables, option=orjson.OPT_SORT_KEYS)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return ""


async def _replay(entry: _Entry, send: Send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": entry.headers})
    await send({"type": "http.response.body", "body": entry.body})
