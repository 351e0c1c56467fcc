"""Correction requests: a reader asks from a rebuttal's page, without an account; the
rebuttal's institution answers through GraphQL; request and answer are then public.

The form is posted as a browser would (url-encoded, from the page's own origin). What a
reader sends stays unpublished until answered; one set aside as abuse never appears; bad
input is refused with the reason, in the page's language, and nothing is written.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from lxml import html
from strawberry.relay import to_base64

from coordhub.app import create_app
from coordhub.models import CorrectionRequest, Event, EventType
from coordhub.settings import Settings
from tests.flows import correct, drafted_rebuttal, ok, published_rebuttal
from tests.support import GraphQLClient, number

TEXT = "The vaccination figures quoted are from 2019, not from this year's survey."
SAME_ORIGIN = {"sec-fetch-site": "same-origin", "origin": "http://coordhub.test"}
ANSWER = {
    "km": "តួលេខទាំងនេះពិតជាមកពីការស្ទង់មតិឆ្នាំនេះ។",
    "en": "The figures are from this year's survey; its report is linked in the evidence.",
}
REQUESTS = """
query($filter: CorrectionRequestFilter) {
  correctionRequests(filter: $filter) {
    edges { node { id status text sourceUrl revision language outcome answer { km en } } }
  }
}
"""
ANSWER_MUTATION = """
mutation($input: AnswerCorrectionRequestInput!) {
  answerCorrectionRequest(input: $input) {
    correctionRequest { id status outcome answer { km en } }
    errors { code field message }
  }
}
"""
REJECT_MUTATION = """
mutation($input: RejectCorrectionRequestInput!) {
  rejectCorrectionRequest(input: $input) {
    correctionRequest { id status }
    errors { code field message }
  }
}
"""


async def send(
    http: httpx.AsyncClient,
    rebuttal: int,
    text: str = TEXT,
    source: str = "",
    *,
    language: str = "en",
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    return await http.post(
        f"/{language}/rebuttals/{rebuttal}/corrections",
        data={"text": text, "source_url": source},
        headers=SAME_ORIGIN if headers is None else headers,
    )


async def requests_seen(gql: GraphQLClient, as_: str | None) -> list[dict[str, Any]]:
    data = await gql.execute(REQUESTS, as_=as_)
    return [edge["node"] for edge in data["correctionRequests"]["edges"]]


async def answer(
    gql: GraphQLClient, request_id: str, outcome: str, *, as_: str = "health_editor"
) -> dict[str, Any]:
    variables = {"input": {"id": request_id, "outcome": outcome, "answer": ANSWER}}
    return (await gql.execute(ANSWER_MUTATION, variables, as_=as_))["answerCorrectionRequest"]


def section(response: httpx.Response) -> html.HtmlElement:
    assert response.status_code == 200, response.text
    return html.fromstring(response.content).get_element_by_id("corrections")


@pytest.fixture
async def rebuttal(gql: GraphQLClient) -> str:
    return (await published_rebuttal(gql))[1]


async def test_a_request_waits_unpublished_until_the_institution_answers_it(
    gql: GraphQLClient, http: httpx.AsyncClient, rebuttal: str
) -> None:
    page = f"/en/rebuttals/{number(rebuttal)}"
    assert section(await http.get(page)).xpath(".//form[@method='post']")

    sent = await send(http, number(rebuttal), source="https://stats.example/survey?utm_source=x")
    assert sent.status_code == 303
    confirmation = await http.get(sent.headers["location"])
    assert confirmation.status_code == 200
    assert "Request received" in confirmation.text
    assert confirmation.headers["cache-control"] == "no-store"

    # Waiting: counted on the page, its text nowhere public.
    waiting = section(await http.get(page))
    assert "Requests awaiting an answer: 1" in waiting.text_content()
    assert TEXT not in (await http.get(page)).text
    assert await requests_seen(gql, None) == []
    assert await requests_seen(gql, "education_editor") == []
    [seen] = await requests_seen(gql, "health_editor")
    assert seen["status"] == "OPEN" and seen["text"] == TEXT and seen["revision"] == 1
    assert seen["sourceUrl"] == "https://stats.example/survey"
    assert [r["id"] for r in await requests_seen(gql, "coordinator")] == [seen["id"]]
    asked = await Event.get(type=EventType.CORRECTION_REQUESTED)
    assert not asked.public and asked.actor_id is None and asked.institutions == ["health"]

    answered = await answer(gql, seen["id"], "UPHELD")
    assert answered["errors"] == []
    assert answered["correctionRequest"]["status"] == "ANSWERED"
    assert (await Event.get(type=EventType.CORRECTION_ANSWERED)).public

    for language in ("en", "km"):
        shown = section(await http.get(f"/{language}/rebuttals/{number(rebuttal)}"))
        [item] = shown.xpath(".//ol[@class='correction-requests']/li")
        assert item.find_class("request-text")[0].text_content() == TEXT
        assert item.find_class("answer")[0].text_content() == ANSWER[language]
        assert "awaiting" not in shown.text_content()
    [public] = await requests_seen(gql, None)
    assert public["answer"] == ANSWER and public["outcome"] == "UPHELD"


async def test_corrected_needs_a_correction_published_after_the_request(
    gql: GraphQLClient, http: httpx.AsyncClient, rebuttal: str
) -> None:
    assert (await send(http, number(rebuttal))).status_code == 303
    [request] = await requests_seen(gql, "health_editor")
    refused = await answer(gql, request["id"], "CORRECTED")
    assert refused["errors"][0]["code"] == "INVALID_TRANSITION"
    assert "publish the correction first" in refused["errors"][0]["message"]

    await correct(gql, rebuttal, "The survey figures are from this year")
    accepted = await answer(gql, request["id"], "CORRECTED", as_="coordinator")
    assert accepted["errors"] == [] and accepted["correctionRequest"]["outcome"] == "CORRECTED"
    again = await answer(gql, request["id"], "UPHELD")
    assert again["errors"][0]["code"] == "INVALID_TRANSITION"
    shown = section(await http.get(f"/en/rebuttals/{number(rebuttal)}"))
    assert "Corrected: a new revision was published" in shown.text_content()


async def test_only_the_institution_and_the_coordinator_answer_and_set_aside(
    gql: GraphQLClient, http: httpx.AsyncClient, rebuttal: str
) -> None:
    await send(http, number(rebuttal))
    [request] = await requests_seen(gql, "coordinator")
    for outsider in ("education_approver", "reporter", "service", "observer"):
        refused = await answer(gql, request["id"], "UPHELD", as_=outsider)
        assert refused["errors"][0]["code"] in ("NOT_FOUND", "FORBIDDEN"), outsider
    public = await gql.post(
        ANSWER_MUTATION, {"input": {"id": request["id"], "outcome": "UPHELD", "answer": ANSWER}}
    )
    assert public.json()["data"]["answerCorrectionRequest"]["errors"][0]["code"] == "NOT_FOUND"

    reject = {"input": {"id": request["id"], "note": "Advertising, not a request."}}
    by_editor = await gql.execute(REJECT_MUTATION, reject, as_="health_editor")
    assert by_editor["rejectCorrectionRequest"]["errors"][0]["code"] == "FORBIDDEN"
    by_approver = await gql.execute(REJECT_MUTATION, reject, as_="health_approver")
    assert by_approver["rejectCorrectionRequest"]["errors"] == []
    assert (await answer(gql, request["id"], "UPHELD"))["errors"][0]["code"] == (
        "INVALID_TRANSITION"
    )

    # Set aside: never public, no longer counted as waiting, kept for the audit.
    shown = section(await http.get(f"/en/rebuttals/{number(rebuttal)}"))
    assert "awaiting" not in shown.text_content() and TEXT not in shown.text_content()
    assert await requests_seen(gql, None) == []
    rejected = await Event.get(type=EventType.CORRECTION_REJECTED)
    assert not rejected.public
    node = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on CorrectionRequest { status } } }",
        {"id": request["id"]},
        as_="coordinator",
    )
    assert node["node"] == {"status": "REJECTED"}


@pytest.mark.parametrize(
    ("text", "source", "says"),
    [
        ("", "", "Must not be empty"),
        ("Wrong.", "", "at least 10 characters"),
        ("x" * 2001, "", "At most 2000 characters"),
        ("Call me on 012 345 678 about the figures.", "", "phone numbers"),
        ("The figures are wrong, write to dara@example.com", "", "e-mail"),
        ("Bad control \x00 character in here", "", "U+0000"),
        (TEXT, "javascript:alert(1)", "absolute http"),
        (TEXT, "figures.example/survey", "absolute http"),
    ],
)
async def test_bad_input_is_refused_with_the_reason_and_nothing_is_written(
    http: httpx.AsyncClient, rebuttal: str, text: str, source: str, says: str
) -> None:
    refused = await send(http, number(rebuttal), text, source)
    assert refused.status_code == 400
    document = html.fromstring(refused.content)
    errors = document.get_element_by_id("form-errors").text_content()
    assert says in errors
    shown = document.xpath("//textarea[@name='text']")[0].text_content()
    assert shown == text.replace("\x00", "")
    assert "\x00" not in refused.text
    km = await send(http, number(rebuttal), text, source, language="km")
    assert "សូម" in html.fromstring(km.content).get_element_by_id("form-errors").text_content()
    assert await CorrectionRequest.all().count() == 0


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300), source=st.text(max_size=80))
async def test_any_text_is_either_accepted_or_refused_never_an_error(
    http: httpx.AsyncClient, rebuttal: str, text: str, source: str
) -> None:
    response = await send(http, number(rebuttal), text, source)
    assert response.status_code in (303, 400, 429), response.text


async def test_posts_from_other_sites_are_refused(http: httpx.AsyncClient, rebuttal: str) -> None:
    for headers in (
        {"origin": "https://elsewhere.example"},
        {"origin": "null"},
        {"sec-fetch-site": "cross-site", "origin": "http://coordhub.test"},
        {"sec-fetch-site": "same-site"},
    ):
        refused = await send(http, number(rebuttal), headers=headers)
        assert refused.status_code == 403, headers
        assert "only be sent from this site" in refused.text
    wrong_type = await http.post(
        f"/en/rebuttals/{number(rebuttal)}/corrections",
        json={"text": TEXT},
        headers=SAME_ORIGIN,
    )
    assert wrong_type.status_code == 415
    assert await CorrectionRequest.all().count() == 0
    # A client that is no browser sends neither header: nobody's browser was steered.
    assert (await send(http, number(rebuttal), headers={})).status_code == 303


async def test_unpublished_and_retracted_rebuttals_take_no_request(
    gql: GraphQLClient, http: httpx.AsyncClient, rebuttal: str
) -> None:
    _, draft = await drafted_rebuttal(gql)
    assert (await send(http, number(draft))).status_code == 404
    assert (await http.get(f"/en/rebuttals/{number(draft)}/corrections")).status_code == 404
    assert (await send(http, 2**31 + 5)).status_code == 404
    reason = {"km": "ឆ្នាំស្ទង់មតិខុស។", "en": "Wrong survey year."}
    retraction = {"rebuttalId": rebuttal, "reason": reason}
    await ok(gql, "retractRebuttal", retraction, as_="health_approver")
    page = section(await http.get(f"/en/rebuttals/{number(rebuttal)}"))
    assert not page.xpath(".//form")
    refused = await send(http, number(rebuttal))
    assert refused.status_code == 400 and "was retracted" in refused.text
    assert await CorrectionRequest.all().count() == 0


async def test_an_address_may_send_a_few_requests_an_hour(
    settings: Settings, db: None, gql: GraphQLClient, rebuttal: str
) -> None:
    limited = settings.model_copy(update={"rate_limit_correction_requests": "2/hour"})
    app = create_app(limited, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://coordhub.test") as http:
        assert (await send(http, number(rebuttal), "Too short")).status_code == 400  # free
        for _ in range(2):
            assert (await send(http, number(rebuttal))).status_code == 303
        refused = await send(http, number(rebuttal))
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert "Too many requests from your address" in refused.text
    assert await CorrectionRequest.all().count() == 2


async def test_a_rebuttal_holds_a_bounded_number_of_waiting_requests(
    gql: GraphQLClient, http: httpx.AsyncClient, rebuttal: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coordhub.workflow import corrections

    monkeypatch.setattr(corrections, "MAX_OPEN_PER_REBUTTAL", 1)
    assert (await send(http, number(rebuttal))).status_code == 303
    full = await send(http, number(rebuttal))
    assert full.status_code == 409 and "try again in a few days" in full.text
    assert await CorrectionRequest.all().count() == 1


def test_global_ids_name_the_type() -> None:
    assert to_base64("CorrectionRequest", 1).startswith("Q29ycmVjdGlvblJlcXVlc3Q")
