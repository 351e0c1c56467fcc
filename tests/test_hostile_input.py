"""Hostile input of every kind gets a typed, explained refusal: never an HTTP 500 and never the
masked "Unexpected error." (issue 11's list, one test each, and what the fuzzer found).

Bodies are sent as bytes built here: JSON with a lone surrogate (``"\\ud800"``) is valid JSON
text that httpx would refuse to encode.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from coordhub.settings import Settings
from coordhub.workflow.errors import WorkflowError
from coordhub.workflow.inputs import check_characters, clean_needle
from tests.flows import drafted_rebuttal, published_rebuttal, report_input, reported_claim
from tests.live import LiveServer, Subscriber
from tests.support import GraphQLClient

GRAPHQL_RESPONSE = "application/graphql-response+json"
MASKED = "Unexpected error."
SEARCH = "query($t: String) { claims(filter: {text: $t}) { edges { cursor } } }"
REPORT = (
    "mutation($i: ReportClaimInput!) { reportClaim(input: $i) { "
    "claim { id } errors { code field message } } }"
)


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


async def post_raw(
    gql: GraphQLClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    as_: str | None = None,
) -> dict[str, Any]:
    """The JSON answer to a document, sent as ASCII-escaped JSON (lone surrogates allowed)."""
    headers = {"content-type": "application/json"}
    if as_ is not None:
        headers["authorization"] = f"Bearer {gql.world.tokens[as_]}"
    body = json.dumps({"query": query, "variables": variables or {}}, ensure_ascii=True)
    response = await gql.http.post("/graphql", content=body.encode(), headers=headers)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert MASKED not in response.text, answer
    return answer


def only_error(answer: dict[str, Any]) -> dict[str, Any]:
    [error] = answer["errors"]
    return error


# --- The body itself -------------------------------------------------------------------------


@pytest.mark.parametrize("accept", ["application/json", GRAPHQL_RESPONSE])
@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b'"{ viewer { name } }"', "must be a JSON object"),
        (b"42", "must be a JSON object"),
        (b"true", "must be a JSON object"),
        (b"null", "must be a JSON object"),
        (b"  \n null", "must be a JSON object"),
        (b'{"query": "{ viewer { name } }\xff"}', "not valid UTF-8"),
        (b"\xff\xfe", "not valid UTF-8"),
        ('{"query": "{ viewer { name } }"}'.encode("utf-16"), "not valid UTF-8"),
        (b'\xef\xbb\xbf{"query": "{ viewer { name } }"}', "Unable to parse"),
        (b'{"query": ', "Unable to parse"),
    ],
    ids=[
        "string",
        "number",
        "true",
        "null",
        "spaced-null",
        "bad-utf8",
        "bom16",
        "utf16",
        "bom8",
        "truncated",
    ],
)
async def test_a_body_that_is_no_request_is_a_400_with_a_graphql_error(
    http: httpx.AsyncClient, body: bytes, says: str, accept: str
) -> None:
    response = await http.post(
        "/graphql", content=body, headers={"content-type": "application/json", "accept": accept}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(accept)
    [error] = response.json()["errors"]
    assert says in error["message"]


async def test_a_batch_of_operations_is_refused_whole(http: httpx.AsyncClient) -> None:
    """A JSON list would run many operations for one request's rate and cost check."""
    batch = [{"query": "{ viewer { name } }"}] * 50
    response = await http.post("/graphql", json=batch)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert "batch" in error["message"].lower()


async def test_other_refusals_before_execution_are_graphql_errors_too(
    http: httpx.AsyncClient,
) -> None:
    unsupported = await http.post("/graphql", content=b"{}", headers={"content-type": "text/csv"})
    assert unsupported.status_code == 400
    assert unsupported.json() == {"errors": [{"message": "Unsupported content type"}]}
    batch = await http.post("/graphql", json=[{"query": "{ viewer { name } }"}])
    assert batch.status_code == 400
    assert batch.json()["errors"][0]["message"]


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_subscription_over_plain_http_is_405_pointing_to_the_websocket(
    http: httpx.AsyncClient, method: str
) -> None:
    query = "subscription { rebuttalUpdates { cursor } }"
    if method == "GET":
        response = await http.get("/graphql", params={"query": query})
    else:
        response = await http.post("/graphql", json={"query": query})
    assert response.status_code == 405
    assert "websocket" in response.json()["errors"][0]["message"]


async def test_an_error_echoing_a_lone_surrogate_is_still_json(gql: GraphQLClient) -> None:
    """Variable coercion errors quote the value; orjson cannot encode a lone surrogate."""
    answer = await post_raw(
        gql, "query($n: Int) { claims(first: $n) { edges { cursor } } }", {"n": "\ud800"}
    )
    assert "Int cannot represent" in only_error(answer)["message"]


# --- Ids and cursors beyond 64 bits ----------------------------------------------------------

HUGE = ["9" * 30, str(2**63), str(2**64), "-1"]


@pytest.mark.parametrize("key", HUGE)
async def test_a_cursor_beyond_64_bits_is_invalid_on_after(gql: GraphQLClient, key: str) -> None:
    for field, kind in [("claims", "claim"), ("rebuttals", "rebuttal"), ("events", "event")]:
        query = f"query($a: String) {{ {field}(after: $a) {{ edges {{ cursor }} }} }}"
        answer = await post_raw(gql, query, {"a": b64(f"{kind}:{key}")}, as_="observer")
        assert only_error(answer)["extensions"] == {"code": "INVALID", "field": "after"}


@pytest.mark.parametrize("key", HUGE)
async def test_a_node_id_beyond_64_bits_is_no_node(gql: GraphQLClient, key: str) -> None:
    query = "query($id: ID!) { node(id: $id) { id } }"
    for kind in ("Claim", "Rebuttal", "Institution", "Delivery"):
        answer = await post_raw(gql, query, {"id": b64(f"{kind}:{key}")}, as_="coordinator")
        assert answer == {"data": {"node": None}} | (
            {"extensions": answer["extensions"]} if "extensions" in answer else {}
        )


@pytest.mark.parametrize("key", HUGE)
async def test_a_filter_id_beyond_64_bits_is_invalid(gql: GraphQLClient, key: str) -> None:
    cases = [
        ("rebuttals", "claimId", "Claim"),
        ("events", "claimId", "Claim"),
        ("events", "rebuttalId", "Rebuttal"),
        ("deliveries", "rebuttalId", "Rebuttal"),
    ]
    for field, name, kind in cases:
        query = f"query($id: ID) {{ {field}(filter: {{{name}: $id}}) {{ edges {{ cursor }} }} }}"
        answer = await post_raw(gql, query, {"id": b64(f"{kind}:{key}")}, as_="coordinator")
        assert only_error(answer)["extensions"] == {"code": "INVALID", "field": f"filter.{name}"}


@pytest.mark.parametrize("key", HUGE)
async def test_a_mutation_id_beyond_64_bits_is_invalid(gql: GraphQLClient, key: str) -> None:
    triage = {"claimId": b64(f"Claim:{key}"), "lead": "health", "priority": "LOW"}
    payload = await gql.mutate("triageClaim", triage, as_="coordinator")
    assert payload["errors"] == [
        {"code": "INVALID", "field": "claimId", "message": "Not a Claim id."}
    ]


# --- Text that cannot be stored: lone surrogates, NUL and other control characters -----------


@pytest.mark.parametrize(
    "text",
    ["\ud800", "vac\ud800cine", "\udfff", "ab\x00", "vaccine\x00", "\x00\x00\x00", "\x1b[2J"],
)
async def test_unstorable_characters_in_the_text_filter_are_invalid(
    gql: GraphQLClient, text: str
) -> None:
    await reported_claim(gql)
    for role in (None, "observer"):
        error = only_error(await post_raw(gql, SEARCH, {"t": text}, as_=role))
        assert error["extensions"] == {"code": "INVALID", "field": "filter.text"}
        assert error["message"].startswith("Must not contain U+")


@pytest.mark.parametrize(
    ("filter_", "field"),
    [
        ("claims(filter: {topic: $t})", "filter.topic"),
        ("claims(filter: {institution: $t})", "filter.institution"),
        ("rebuttals(filter: {institution: $t})", "filter.institution"),
        ("events(filter: {institution: $t})", "filter.institution"),
        ("deliveries(filter: {connector: $t})", "filter.connector"),
    ],
)
@pytest.mark.parametrize("text", ["he\x00alth", "he\ud800alth", "h" * 65])
async def test_unstorable_or_overlong_filter_values_are_invalid(
    gql: GraphQLClient, filter_: str, field: str, text: str
) -> None:
    query = f"query($t: String) {{ {filter_} {{ edges {{ cursor }} }} }}"
    error = only_error(await post_raw(gql, query, {"t": text}, as_="coordinator"))
    assert error["extensions"] == {"code": "INVALID", "field": field}


@pytest.mark.parametrize("slug", ["he\x00alth", "he\ud800alth", "h" * 65])
async def test_an_institution_slug_no_institution_can_have_finds_none(
    gql: GraphQLClient, slug: str
) -> None:
    answer = await post_raw(
        gql, "query($s: String!) { institution(slug: $s) { slug } }", {"s": slug}
    )
    assert answer["data"] == {"institution": None}
    assert "errors" not in answer


@pytest.mark.parametrize("slug", ["he\x00alth", "he\ud800alth", "h" * 65])
async def test_triage_to_an_impossible_slug_is_not_found(gql: GraphQLClient, slug: str) -> None:
    claim_id = await reported_claim(gql)
    for change, field in [({"lead": slug}, "lead"), ({"supporting": [slug]}, "supporting")]:
        triage = {"claimId": claim_id, "lead": "health", "priority": "LOW", **change}
        query = (
            "mutation($i: TriageClaimInput!) { triageClaim(input: $i) { "
            "claim { id } errors { code field } } }"
        )
        payload = (await post_raw(gql, query, {"i": triage}, as_="coordinator"))["data"]
        assert payload["triageClaim"] == {
            "claim": None,
            "errors": [{"code": "NOT_FOUND", "field": field}],
        }


BAD_CHARACTERS = ["\x00", "\ud800", "\x07", "\x7f", "\x9b"]


@pytest.mark.parametrize("bad", BAD_CHARACTERS)
@pytest.mark.parametrize(
    ("path", "field"),
    [
        (("summary", "km"), "summary.km"),
        (("summary", "en"), "summary.en"),
        (("topic",), "topic"),
        (("appearances", 0, "outlet"), "appearances.0.outlet"),
        (("appearances", 0, "url"), "appearances.0.url"),
    ],
)
async def test_unstorable_characters_in_a_report_are_invalid_and_write_nothing(
    gql: GraphQLClient, bad: str, path: tuple[Any, ...], field: str
) -> None:
    report = report_input()
    holder: Any = report
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = f"{holder[path[-1]]}{bad}x"
    payload = (await post_raw(gql, REPORT, {"i": report}, as_="reporter"))["data"]["reportClaim"]
    assert payload["claim"] is None
    [error] = payload["errors"]
    assert (error["code"], error["field"]) == ("INVALID", field)
    assert error["message"].startswith(f"Must not contain U+{ord(bad):04X}")
    nothing = await gql.execute("{ claims { edges { cursor } } }", as_="observer")
    assert nothing == {"claims": {"edges": []}}


@pytest.mark.parametrize("bad", ["\x00", "\ud800"])
async def test_unstorable_characters_in_rebuttal_texts_are_invalid(
    gql: GraphQLClient, bad: str
) -> None:
    claim_id, rebuttal_id = await drafted_rebuttal(gql)
    update = (
        "mutation($i: UpdateRebuttalInput!) { updateRebuttal(input: $i) { errors { code field } } }"
    )
    cases = [
        ({"headline": {"km": "ក", "en": f"x{bad}"}}, "headline.en"),
        ({"body": {"km": f"ក{bad}", "en": "x"}}, "body.km"),
        (
            {"evidence": [{"url": "https://e.example", "title": {"km": "ក", "en": f"t{bad}"}}]},
            "evidence.0.title.en",
        ),
        (
            {
                "evidence": [
                    {
                        "url": "https://e.example",
                        "title": {"km": "ក", "en": "t"},
                        "note": {"km": bad, "en": ""},
                    }
                ]
            },
            "evidence.0.note.km",
        ),
        ({"channels": [f"akp{bad}"]}, "channels.0"),
    ]
    for change, field in cases:
        input_ = {"rebuttalId": rebuttal_id, **change}
        answer = await post_raw(gql, update, {"i": input_}, as_="health_editor")
        assert answer["data"]["updateRebuttal"]["errors"] == [{"code": "INVALID", "field": field}]
    review = (
        "mutation($i: ReviewRebuttalInput!) { reviewRebuttal(input: $i) { errors { code field } } }"
    )
    await gql.mutate("submitRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")
    input_ = {"rebuttalId": rebuttal_id, "decision": "REQUEST_CHANGES", "comment": f"no{bad}"}
    answer = await post_raw(gql, review, {"i": input_}, as_="health_approver")
    assert answer["data"]["reviewRebuttal"]["errors"] == [{"code": "INVALID", "field": "comment"}]
    assert claim_id


async def test_unstorable_characters_in_a_retraction_or_dismissal_are_invalid(
    gql: GraphQLClient,
) -> None:
    _, rebuttal_id = await published_rebuttal(gql)
    retract = (
        "mutation($i: RetractRebuttalInput!) { retractRebuttal(input: $i) { "
        "errors { code field } } }"
    )
    input_ = {"rebuttalId": rebuttal_id, "reason": {"km": "ខុស", "en": "wrong\x00"}}
    answer = await post_raw(gql, retract, {"i": input_}, as_="health_approver")
    assert answer["data"]["retractRebuttal"]["errors"] == [
        {"code": "INVALID", "field": "reason.en"}
    ]
    claim_id = await reported_claim(gql)
    dismiss = (
        "mutation($i: DismissClaimInput!) { dismissClaim(input: $i) { errors { code field } } }"
    )
    input_ = {"claimId": claim_id, "reason": "ACCURATE", "note": {"km": "\ud800", "en": "x"}}
    answer = await post_raw(gql, dismiss, {"i": input_}, as_="coordinator")
    assert answer["data"]["dismissClaim"]["errors"] == [{"code": "INVALID", "field": "note.km"}]


def test_tabs_and_line_breaks_stay_allowed() -> None:
    assert check_characters("a\tb\nc\r\nd", "x") == "a\tb\nc\r\nd"
    assert check_characters("😀 ក", "x") == "😀 ក"  # a surrogate pair is one character


# --- Times that do not exist in UTC ----------------------------------------------------------


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:30:00-05:00"])
async def test_a_time_that_overflows_in_utc_is_invalid(gql: GraphQLClient, when: str) -> None:
    report = report_input()
    report["appearances"][0]["seenAt"] = when
    payload = (await post_raw(gql, REPORT, {"i": report}, as_="reporter"))["data"]["reportClaim"]
    assert payload["errors"][0]["code"] == "INVALID"
    assert payload["errors"][0]["field"] == "appearances.0.seenAt"
    report = report_input() | {"firstSeenAt": when}
    payload = (await post_raw(gql, REPORT, {"i": report}, as_="reporter"))["data"]["reportClaim"]
    assert (payload["errors"][0]["code"], payload["errors"][0]["field"]) == (
        "INVALID",
        "firstSeenAt",
    )
    claim_id = await reported_claim(gql)
    triage = {"claimId": claim_id, "lead": "health", "priority": "LOW", "dueAt": when}
    payload = await gql.mutate("triageClaim", triage, as_="coordinator")
    assert (payload["errors"][0]["code"], payload["errors"][0]["field"]) == ("INVALID", "dueAt")


# --- The size of a search --------------------------------------------------------------------


async def test_the_longest_search_allowed_runs_and_one_more_character_is_invalid(
    gql: GraphQLClient, settings: Settings
) -> None:
    limit = settings.max_search_chars
    assert limit == 200
    await reported_claim(gql)
    answer = await post_raw(gql, SEARCH, {"t": "v" * limit})
    assert answer["data"] == {"claims": {"edges": []}}
    error = only_error(await post_raw(gql, SEARCH, {"t": "v" * (limit + 1)}))
    assert error["extensions"] == {"code": "INVALID", "field": "filter.text"}
    assert f"At most {limit} characters" in error["message"]
    assert f"got {limit + 1}" in error["message"]


def test_the_search_limit_counts_the_normalised_needle() -> None:
    # Case folding doubles ß; composing halves e + combining acute; spaces around are dropped.
    with pytest.raises(WorkflowError) as refused:
        clean_needle("ß" * 101, "filter.text", limit=200)
    assert "got 202 once normalised" in refused.value.message
    assert clean_needle("e\u0301" * 200, "filter.text", limit=200) == "é" * 200
    assert clean_needle("  " + "x" * 200 + "  ", "filter.text", limit=200) == "x" * 200


async def test_the_search_limit_is_a_setting(settings: Settings, db: None) -> None:
    from coordhub.app import create_app
    from tests.support import build_world

    world = await build_world()
    app = create_app(settings.model_copy(update={"max_search_chars": 5}), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        gql = GraphQLClient(client, world)
        assert "claims" in (await post_raw(gql, SEARCH, {"t": "vacci"}))["data"]
        error = only_error(await post_raw(gql, SEARCH, {"t": "vaccin"}))
    assert "At most 5 characters" in error["message"]


# --- Websocket authentication ----------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
def test_a_token_with_a_lone_surrogate_closes_the_socket_as_forbidden(settings: Settings) -> None:
    """Not 1013 'try again later', as if the database were down: it is no token."""
    from starlette.testclient import TestClient
    from starlette.websockets import WebSocketDisconnect

    from coordhub.app import create_app

    client = TestClient(create_app(settings, manage_database=False))
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        init = '{"type": "connection_init", "payload": {"authorization": "Bearer chub_\\ud800"}}'
        ws.send_text(init)
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4403


# --- The memory of the largest search allowed, measured on a real server ----------------------

#: A summary whose trigrams the needle shares, so the trigram index has work for every one.
LONG_SUMMARY = (
    "ពាក្យចចាមអារ៉ាមថាវ៉ាក់សាំងបង្កឱ្យមានភាពគ្មានកូន ហើយក្រសួងសុខាភិបាលលាក់ការពិត "
    "Rumour that the new vaccine causes infertility and that the ministry hides the truth; "
    "shared as a screenshot of a news site that never published it, with a doctored logo. "
) * 2
MEMORY_BUDGET = 100 * 1024 * 1024


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no {field} for process {pid}")


def reset_peak(pid: int) -> int:
    """Start a new peak (VmHWM) at the process's resident size now; that size, in bytes."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    return _status_kb(pid, "VmRSS")


def peak(pid: int) -> int:
    return _status_kb(pid, "VmHWM")


async def _search_over_websocket(live: LiveServer, needle: str, token: str | None) -> None:
    client = await Subscriber.open(live.ws_url)
    assert (await client.init(token))["type"] == "connection_ack"
    await client.subscribe(SEARCH, {"t": needle})
    answer = await client.message(60)
    assert answer["type"] == "next", answer
    assert MASKED not in json.dumps(answer)
    await client.close()


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc")
async def test_the_longest_search_allowed_keeps_the_servers_peak_memory_small(
    live: LiveServer,
) -> None:
    """Issue 11: a 200 kB needle took SQLite to 3.7 GB, 1 MiB over the websocket to 21.7 GB.
    The longest needle allowed (every trigram of it in every claim), over HTTP and over the
    websocket, public and signed in, grows the server's peak resident memory by < 100 MB."""
    gql = live.gql
    for i in range(200):
        report = report_input(km=LONG_SUMMARY, en=f"Claim {i}")
        payload = await gql.mutate("reportClaim", report, as_="reporter")
        assert payload["errors"] == []
    limit = Settings().max_search_chars
    needle = LONG_SUMMARY.casefold()[:limit]
    observer = gql.world.tokens["observer"]
    pid = live.process.pid

    async def over_http(text: str, as_: str | None) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {gql.world.tokens[as_]}"} if as_ else {}
        response = await gql.http.post(
            "/graphql", json={"query": SEARCH, "variables": {"t": text}}, headers=headers
        )
        assert response.status_code == 200 and MASKED not in response.text, response.text
        return response.json()

    found = await over_http(needle, "observer")
    assert len(found["data"]["claims"]["edges"]) == 20  # the needle occurs in every claim
    await _search_over_websocket(live, needle[:10], None)  # warm both paths up

    growth = {}
    before = reset_peak(pid)
    for _ in range(5):
        await over_http(needle, None)
        await over_http(needle, "observer")
    refused = await over_http("vaccine " * 25_000, None)  # 200 kB: refused before any search
    assert refused["errors"][0]["extensions"]["code"] == "INVALID"
    growth["http"] = peak(pid) - before

    before = reset_peak(pid)
    for _ in range(5):
        await _search_over_websocket(live, needle, None)
        await _search_over_websocket(live, needle, observer)
    growth["websocket"] = peak(pid) - before

    print(f"peak RSS growth: { ({k: f'{v / 2**20:.1f} MiB' for k, v in growth.items()}) }")
    assert all(value < MEMORY_BUDGET for value in growth.values()), growth


# --- A search reads only what the caller may read ----------------------------------------------

ROLES_THAT_SEARCH = [
    None,
    "service",
    "reporter",
    "reporter2",
    "health_editor",
    "education_editor",
    "interior_editor",
    "observer",
    "coordinator",
]
LIST = "query($t: String) { claims(first: 100, filter: {text: $t}) { edges { node { id } } } }"
ALL = "{ claims(first: 100) { edges { node { id topic summary { km en } } } } }"


async def searched_world(gql: GraphQLClient) -> None:
    """A published (public) vaccine claim, hidden ones reported by each reporter, one led by
    health and supported by education, one dismissed (public) about something else."""
    await published_rebuttal(gql)  # "Rumour that a vaccine causes infertility", public
    await reported_claim(gql, en="A vaccine rumour only reporter knows")
    hidden = report_input(en="Vaccine secrets reporter2 reported")
    assert (await gql.mutate("reportClaim", hidden, as_="reporter2"))["errors"] == []
    triage = {"claimId": await reported_claim(gql, en="Triaged vaccine claim")}
    triage |= {"lead": "health", "supporting": ["education"], "priority": "LOW"}
    assert (await gql.mutate("triageClaim", triage, as_="coordinator"))["errors"] == []
    dismissed = await reported_claim(gql, en="Accurate report on roads")
    note = {"km": "ត្រឹមត្រូវ", "en": "Accurate"}
    dismiss = {"claimId": dismissed, "reason": "ACCURATE", "note": note}
    assert (await gql.mutate("dismissClaim", dismiss, as_="coordinator"))["errors"] == []


@pytest.mark.parametrize("needle", ["vaccine", "VACCINE RUMOUR", "va", "ពាក្យចចាម", "roads"])
async def test_each_caller_finds_exactly_the_claims_it_may_read_that_contain_the_text(
    gql: GraphQLClient, needle: str
) -> None:
    from coordhub.workflow.inputs import search_text

    await searched_world(gql)
    wanted = search_text(needle)
    for role in ROLES_THAT_SEARCH:
        visible = (await gql.execute(ALL, as_=role))["claims"]["edges"]
        expected = [
            edge["node"]["id"]
            for edge in visible
            if wanted
            in search_text(
                edge["node"]["summary"]["km"], edge["node"]["summary"]["en"], edge["node"]["topic"]
            )
        ]
        found = (await gql.execute(LIST, {"t": needle}, as_=role))["claims"]["edges"]
        assert [edge["node"]["id"] for edge in found] == expected, role


async def test_a_public_search_reads_only_the_public_index(gql: GraphQLClient) -> None:
    """Public callers' statements name the public twin of the index (migration 0011): on
    PostgreSQL the generated column of public text, on SQLite the public trigram table."""
    from coordhub.db import count_statements

    await searched_world(gql)
    for role, public_only in [(None, True), ("service", True), ("coordinator", False)]:
        with count_statements() as counter:
            await gql.execute(LIST, {"t": "vaccine"}, as_=role)
        [search] = [sql for sql, _ in counter.sent if "LIKE" in sql and "claim" in sql]
        uses_public = '"public_search_text" LIKE' in search or '"claim_search_public"' in search
        # On SQLite the LIKE reads the trigram table's candidates, on PostgreSQL the column.
        on_postgres = "MATCH" not in search
        uses_all = '"claim_search" MATCH' in search or (
            on_postgres and '"search_text" LIKE' in search
        )
        assert (uses_public, uses_all) == (public_only, not public_only), (role, search)


@pytest.mark.sqlite_only
async def test_a_search_compares_no_text_the_caller_may_not_read(gql: GraphQLClient) -> None:
    """SQLite's LIKE, replaced by a function that notes each text it is asked about: a public
    or reporter's search never compares a hidden claim's text, with the index (the public
    trigram table's candidates) or without (a needle of two characters, and a reporter's own
    claims, are compared one by one after their own conditions)."""
    import re

    from tortoise import connections

    from coordhub.models import Claim

    await searched_world(gql)
    compared: list[str] = []

    def like(pattern: str, text: str | None, escape: str | None = None) -> bool:
        compared.append(text or "")
        regex = "".join(
            ".*" if part == "%" else "." if part == "_" else re.escape(part[-1])
            for part in re.findall(r"\\.|%|_|[^%_\\]", pattern)
        )
        return re.fullmatch(regex, text or "", re.DOTALL | re.IGNORECASE) is not None

    connection = connections.get("default")._connection  # type: ignore[attr-defined]
    await connection.create_function("like", 3, like, deterministic=True)
    texts = dict(await Claim.all().values_list("id", "search_text"))
    for role, readable in [
        (None, {"public"}),
        ("reporter", {"public", "reporter"}),
        ("reporter2", {"public", "reporter2"}),
    ]:
        compared.clear()
        await gql.execute(LIST, {"t": "vaccine"}, as_=role)
        await gql.execute(LIST, {"t": "va"}, as_=role)  # too short for the index: a scan
        claims = Claim.filter(public=False).exclude(reported_by__name__in=readable)
        hidden = {texts[pk] for pk in await claims.values_list("id", flat=True)}
        assert hidden and compared, role
        assert not hidden & set(compared), role
