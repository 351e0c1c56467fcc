"""Fuzzing the GraphQL endpoint: whatever a client sends, the answer is never a 5xx and never
the masked "Unexpected error." (the mark of an exception nobody explained to the caller).

- Operations: hypothesis-graphql writes queries and mutations from the live schema, run as the
  public and as signed-in roles over ASGI against seeded records (claims, a published rebuttal
  with deliveries, a draft). Ids and strings are drawn partly from the seeded records (so
  mutations and ``node`` reach real rows), partly hostile (ids beyond 64 bits, text with NUL
  and control characters, times that overflow in UTC), partly arbitrary.
- Raw bodies: bytes, text and JSON of any shape, under odd content types and methods.
- A sweep, where the generator is random: every scalar of every root field's arguments, in turn
  given each hostile value of its type (lone surrogates too, as JSON variables), the rest
  well-formed, as the public and three roles that get past the permission checks.

Each role sends at least ``REQUESTS_PER_ROLE`` generated requests. Hypothesis runs in a worker
thread and hands every request to the test's event loop, where the app and its database live.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, event, given
from hypothesis import settings as fuzzing
from hypothesis import strategies as st
from hypothesis_graphql import from_schema, nodes

from coordhub.schema import create_schema
from coordhub.settings import Settings
from tests.flows import drafted_rebuttal, ok, published_rebuttal, reported_claim
from tests.support import GraphQLClient

#: Public, a coordinator (reads and may do everything), an institution's editor, a reporter.
ROLES = [None, "coordinator", "health_editor", "reporter"]
REQUESTS_PER_ROLE = 2000
#: Operations drawn per hypothesis example (fewer, larger examples generate faster).
BATCH = 4
RAW_REQUESTS = 1000
MASKED = "Unexpected error."

FUZZ_SETTINGS = fuzzing(
    deadline=None,
    database=None,  # a fresh search every run; a failure prints its document to replay
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


@pytest.fixture
def settings(database_url: str) -> Settings:
    """The suite's settings, without rate limits: the fuzzer sends thousands of requests a
    minute from one address, and a 429 would only hide what the request would have done."""
    return Settings(database_url=database_url, max_page_size=100, rate_limits_enabled=False)


@dataclass
class Seeded:
    """Ids, cursors and names of the seeded records, for the generators to aim at."""

    ids: list[str] = field(default_factory=list)
    strings: list[str] = field(default_factory=list)


async def seed(gql: GraphQLClient) -> Seeded:
    """A published rebuttal (with deliveries to two outlets), a draft on a second claim, a
    claim only reported, a dismissed one; and every id and cursor they give."""
    await published_rebuttal(gql)
    await drafted_rebuttal(gql)
    await reported_claim(gql)
    dismissed = await reported_claim(gql, en="A claim that turned out to be accurate")
    note = {"km": "ត្រឹមត្រូវ", "en": "Accurate"}
    dismiss = {"claimId": dismissed, "reason": "ACCURATE", "note": note}
    await ok(gql, "dismissClaim", dismiss, as_="coordinator")
    data = await gql.execute(
        """{
          claims { edges { cursor node { id } } }
          rebuttals { edges { cursor node { id } } }
          deliveries { edges { cursor node { id } } }
          events { edges { cursor } }
          institutions { id slug }
          connectors { name }
        }""",
        as_="coordinator",
    )
    seeded = Seeded()
    for name in ("claims", "rebuttals", "deliveries"):
        for edge in data[name]["edges"]:
            seeded.ids.append(edge["node"]["id"])
            seeded.strings.append(edge["cursor"])
    seeded.strings += [edge["cursor"] for edge in data["events"]["edges"]]
    seeded.ids += [institution["id"] for institution in data["institutions"]]
    seeded.strings += [institution["slug"] for institution in data["institutions"]]
    seeded.strings += [connector["name"] for connector in data["connectors"]]
    seeded.strings += ["health", "vaccine", "វ៉ាក់សាំង", "https://social.example/p/9", "Facebook"]
    return seeded


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


#: Ids and cursors that must be refused, not crash: beyond 64 bits, negative, not numbers.
HOSTILE_KEYS = ["9" * 30, str(2**63), str(2**64), "-1", "1e5", "0x10", " 1", "١٢", ""]
HOSTILE_IDS = [
    _b64(f"{kind}:{key}") for kind in ("Claim", "Rebuttal", "Delivery") for key in HOSTILE_KEYS
]
HOSTILE_CURSORS = [_b64(f"{kind}:{key}") for kind in ("claim", "event") for key in HOSTILE_KEYS]
HOSTILE_TEXT = ["\x00", "abc\x00def", "\x1b[31m", "a" * 5000, "%_\\", "'; --", "\u202e", "ß" * 150]
#: Times at the edges of what Python and the databases hold.
HOSTILE_TIMES = [
    "0001-01-01T00:00:00+05:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-05:00",
    "9999-12-31T23:59:59Z",
    "2026-11-20T08:00:00",  # naive
    "2026-02-30T08:00:00Z",
    "not a time",
    "",
]
OFFSETS = st.integers(min_value=-23 * 60, max_value=23 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


def scalar_strategies(seeded: Seeded, alphabet: st.SearchStrategy[str]) -> dict[str, Any]:
    """Value nodes for ``ID``, ``String`` and ``DateTime``: seeded, hostile and arbitrary."""
    text = st.text(alphabet=alphabet, max_size=40)
    ids = st.one_of(st.sampled_from(seeded.ids), st.sampled_from(HOSTILE_IDS), text.map(_b64), text)
    strings = st.one_of(
        text,
        st.sampled_from(seeded.strings),
        st.sampled_from(HOSTILE_CURSORS + HOSTILE_TEXT),
    )
    times = st.one_of(
        st.datetimes(timezones=st.one_of(st.just(UTC), OFFSETS)).map(datetime.isoformat),
        st.sampled_from(HOSTILE_TIMES),
    )
    return {
        "ID": ids.map(nodes.String),
        "String": strings.map(nodes.String),
        "DateTime": times.map(nodes.String),
    }


def operations(seeded: Seeded) -> st.SearchStrategy[str]:
    """Queries and mutations of the schema, with the scalars above."""
    schema = create_schema(Settings())._schema  # type: ignore[attr-defined]
    alphabet = st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs"])
    return from_schema(schema, custom_scalars=scalar_strategies(seeded, alphabet))


def failures(response: httpx.Response) -> list[str]:
    """What is wrong with an answer: a 5xx, or a masked error anywhere in it."""
    if response.status_code >= 500:
        return [f"HTTP {response.status_code}: {response.text[:500]}"]
    try:
        body = response.json()
    except ValueError:
        return []
    found: list[str] = []
    for part in body if isinstance(body, list) else [body]:
        if isinstance(part, dict):
            errors = part.get("errors") or []
            found += [str(e) for e in errors if isinstance(e, dict) and e.get("message") == MASKED]
    return found


def outcome(response: httpx.Response) -> str:
    """A label for ``--hypothesis-show-statistics``: the status and the first error's code."""
    try:
        body = response.json()
    except ValueError:
        return f"{response.status_code} (not JSON)"
    errors = body.get("errors") if isinstance(body, dict) else None
    if not errors:
        return f"{response.status_code} data"
    code = (errors[0].get("extensions") or {}).get("code") or errors[0]["message"][:40]
    return f"{response.status_code} {code}"


def in_loop(loop: asyncio.AbstractEventLoop) -> Callable[[Any], Any]:
    """Run a coroutine on the test's loop from hypothesis's thread, and wait for it."""
    return lambda coroutine: asyncio.run_coroutine_threadsafe(coroutine, loop).result(60)


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "public")
async def test_generated_operations_get_no_5xx_and_no_masked_error(
    gql: GraphQLClient, role: str | None
) -> None:
    seeded = await seed(gql)
    run = in_loop(asyncio.get_running_loop())
    sent: list[str] = []

    @fuzzing(FUZZ_SETTINGS, max_examples=REQUESTS_PER_ROLE // BATCH)
    @given(st.lists(operations(seeded), min_size=BATCH, max_size=BATCH))
    def exchange(documents: list[str]) -> None:
        for document in documents:
            response = run(gql.post(document, as_=role))
            sent.append(document)
            event(outcome(response))
            problems = failures(response)
            assert not problems, f"{document}\n-> {problems}"

    await asyncio.to_thread(exchange)
    assert len(sent) >= REQUESTS_PER_ROLE


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
#: Request-shaped objects: the right keys with values of any JSON type.
REQUEST_OBJECTS = st.fixed_dictionaries(
    {},
    optional={
        "query": st.one_of(
            st.sampled_from(
                [
                    "{ viewer { name } }",
                    "query($t: String) { claims(filter: {text: $t}) { edges { cursor } } }",
                    "query($a: String) { claims(after: $a) { edges { cursor } } }",
                    "query($id: ID!) { node(id: $id) { id } }",
                    "mutation($i: ReportClaimInput!) { reportClaim(input: $i) { claim { id } } }",
                    "subscription { rebuttalUpdates { cursor } }",
                    "{ a: viewer { name } } { b: viewer { name } }",
                ]
            ),
            JSON_VALUES,
        ),
        "variables": st.one_of(
            st.dictionaries(st.sampled_from(["t", "a", "id", "i", "x"]), JSON_VALUES, max_size=3),
            JSON_VALUES,
        ),
        "operationName": JSON_VALUES,
        "extensions": JSON_VALUES,
    },
)


def _json_bytes(value: object) -> bytes:
    # ensure_ascii escapes lone surrogates that st.text() may draw ("\ud800" in the JSON)
    return json.dumps(value, ensure_ascii=True).encode()


BODIES = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass")),
    JSON_VALUES.map(_json_bytes),
    REQUEST_OBJECTS.map(_json_bytes),
    REQUEST_OBJECTS.map(_json_bytes).map(lambda body: b"\xef\xbb\xbf" + body),  # a BOM
)
CONTENT_TYPES = st.one_of(
    st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "application/json; charset=utf-16",
            "application/graphql-response+json",
            "application/graphql",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "text/plain",
            "",
            ";;;",
            'application/json; charset="',
        ]
    ),
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40),
)
ACCEPTS = st.sampled_from(
    ["application/json", "application/graphql-response+json", "text/html", "*/*", "", "x"]
)


@given(
    method=st.sampled_from(["POST", "POST", "POST", "GET"]),
    body=BODIES,
    content_type=CONTENT_TYPES,
    accept=ACCEPTS,
    params=st.dictionaries(
        st.sampled_from(["query", "variables", "operationName", "extensions"]),
        st.one_of(st.text(max_size=60), JSON_VALUES.map(json.dumps)),
        max_size=3,
    ),
)
@fuzzing(FUZZ_SETTINGS, max_examples=RAW_REQUESTS)
async def test_raw_bodies_get_no_5xx(
    http: httpx.AsyncClient,
    method: str,
    body: bytes,
    content_type: str,
    accept: str,
    params: dict[str, str],
) -> None:
    headers = {"content-type": content_type, "accept": accept}
    if method == "GET":
        response = await http.get("/graphql", params=params, headers={"accept": accept})
    else:
        response = await http.post("/graphql", content=body, headers=headers)
    assert not failures(response), (method, body, content_type, response.text[:500])


# --- Every argument, every hostile value -----------------------------------------------------

#: Per scalar type: values that must be refused or ignored, never crash. Sent as variables in
#: ASCII-escaped JSON, so lone surrogates arrive too (a document cannot carry them).
HOSTILE_VALUES: dict[str, list[Any]] = {
    "String": [
        "\x00",
        "health\x00",
        "\ud800",
        "va\udfffx",
        "\x1b[2J",
        "",
        "   ",
        "h" * 5000,
        "ß" * 150,
        "%_\\",
        "'; --",
        "\u202e",
    ],
    "ID": [*HOSTILE_IDS[::3], "\x00", _b64("Claim:1\x00"), "\ud800", "", "=" * 9],
    "DateTime": [*HOSTILE_TIMES, "\ud800", "2026-11-20T08:00:00\x00Z"],
    "Int": [0, -1, 2**31 - 1, -(2**31)],
    "Boolean": [True, False],
}


def _named(type_: Any) -> Any:
    import graphql

    while isinstance(type_, graphql.GraphQLWrappingType):
        type_ = type_.of_type
    return type_


def seeded_id(seeded: Seeded, name: str) -> str:
    """The newest seeded id of the type an argument's name suggests (``rebuttalId``: a
    rebuttal's, the draft), so that a mutation gets past its lookup to its inputs."""
    kind = next((k for k in ("Rebuttal", "Delivery") if k.lower() in name.lower()), "Claim")
    return next(i for i in seeded.ids if base64.b64decode(i).decode().startswith(f"{kind}:"))


def plain_value(type_: Any, seeded: Seeded, name: str = "") -> Any:
    """A well-formed value of an input type (required fields only, lists of one)."""
    import graphql

    if isinstance(type_, graphql.GraphQLNonNull):
        return plain_value(type_.of_type, seeded, name)
    if isinstance(type_, graphql.GraphQLList):
        return [plain_value(type_.of_type, seeded, name)]
    if isinstance(type_, graphql.GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, graphql.GraphQLInputObjectType):
        return {
            field_name: plain_value(field.type, seeded, field_name)
            for field_name, field in type_.fields.items()
            if graphql.is_required_input_field(field)
        }
    return {
        "String": "https://example.org/x" if name == "url" else "health",
        "ID": seeded_id(seeded, name),
        "DateTime": "2030-01-01T00:00:00+07:00",
        "Int": 1,
        "Boolean": True,
    }[type_.name]


def hostile_arguments(field: Any, seeded: Seeded) -> list[tuple[str, dict[str, Any]]]:
    """(path, arguments) with one scalar leaf anywhere in ``field``'s arguments made hostile,
    everything else well-formed; optional input fields are filled in so each is reached."""
    import graphql

    cases: list[tuple[str, dict[str, Any]]] = []

    def leaves(type_: Any, path: str, depth: int) -> list[tuple[str, Any, list[Any]]]:
        named = _named(type_)
        if isinstance(named, graphql.GraphQLInputObjectType):
            if depth > 3:
                return []
            found = []
            for name, sub in named.fields.items():
                for leaf_path, wrap, values in leaves(sub.type, f"{path}.{name}", depth + 1):
                    found.append((leaf_path, (named, name, sub, wrap), values))
            return found
        return [(path, None, HOSTILE_VALUES.get(getattr(named, "name", ""), []))]

    def build(type_: Any, wrap: Any, value: Any) -> Any:
        """``type_``'s plain value with the leaf at ``wrap`` replaced by ``value``."""
        if wrap is None:
            return [value] if isinstance(_unwrap_null(type_), graphql.GraphQLList) else value
        named, name, sub, inner = wrap
        plain = plain_value(named, seeded)
        plain[name] = build(sub.type, inner, value)
        return [plain] if isinstance(_unwrap_null(type_), graphql.GraphQLList) else plain

    for arg_name, argument in field.args.items():
        for path, wrap, values in leaves(argument.type, arg_name, 0):
            for value in values:
                arguments = {
                    name: plain_value(other.type, seeded, name)
                    for name, other in field.args.items()
                    if name != arg_name and isinstance(other.type, graphql.GraphQLNonNull)
                }
                arguments[arg_name] = build(argument.type, wrap, value)
                cases.append((path, arguments))
    return cases


def _unwrap_null(type_: Any) -> Any:
    import graphql

    return type_.of_type if isinstance(type_, graphql.GraphQLNonNull) else type_


def operation_for(kind: str, name: str, field: Any) -> str:
    """A document calling root field ``name`` with every argument as a variable."""
    import graphql

    declared = ", ".join(f"${arg}: {argument.type}" for arg, argument in field.args.items())
    passed = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    named = _named(field.type)
    selection = "" if graphql.is_leaf_type(named) else " { __typename }"
    if "errors" in getattr(named, "fields", {}):
        selection = " { __typename errors { code field } }"
    head = f"{kind}({declared})" if declared else kind
    call = f"{name}({passed})" if passed else name
    return f"{head} {{ {call}{selection} }}"


@pytest.mark.parametrize(
    "role",
    [None, "coordinator", "health_editor", "health_approver"],
    ids=lambda role: role or "public",
)
async def test_every_argument_takes_every_hostile_value(
    gql: GraphQLClient, role: str | None
) -> None:
    """Systematic where the generator is random: each scalar in each root field's arguments
    (input objects included, to three levels), given each hostile value of its type, with the
    rest well-formed. All failures are reported together."""
    seeded = await seed(gql)
    schema = create_schema(Settings())._schema  # type: ignore[attr-defined]
    headers = {"content-type": "application/json"}
    if role is not None:
        headers["authorization"] = f"Bearer {gql.world.tokens[role]}"
    sent, found = 0, []
    for kind, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        for name, root_field in root.fields.items():
            document = operation_for(kind, name, root_field)
            for path, arguments in hostile_arguments(root_field, seeded):
                body = json.dumps({"query": document, "variables": arguments}, ensure_ascii=True)
                response = await gql.http.post("/graphql", content=body, headers=headers)
                sent += 1
                found += [f"{name}({path}={arguments}): {p}" for p in failures(response)]
    assert sent > 500
    assert not found, "\n".join(found)
