"""Transparency statistics: the ``statistics`` query and the ``/transparency`` pages.

The figures count what the caller may read: for the public, only public claims and
rebuttals, so nothing unpublished changes a figure, and a retraction changes only the
retraction count. Durations, due-by shares and months are checked on records whose times are
set by hand; the statements are counted to show the cost does not grow with the records.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from lxml import html
from strawberry.relay import from_base64

from coordhub.db import count_statements
from coordhub.models import Claim, CorrectionRequest, CorrectionStatus
from coordhub.public.charts import Series, bars, columns, nice_ceiling
from coordhub.workflow.statistics import MAX_MONTHS, month_range, this_month
from tests.flows import (
    correct,
    drafted_rebuttal,
    ok,
    published_rebuttal,
    reported_claim,
    triaged_claim,
)
from tests.support import GraphQLClient

FIGURES = """
  claimsReported claimsTriaged claimsRebutted claimsDismissed
  dismissedByReason { reason count }
  medianHoursToRebuttal p90HoursToRebuttal
  rebuttedWithDueBy rebuttedWithinDueBy shareWithinDueBy
  corrections retractions correctionRequests correctionRequestsAnswered
"""
STATISTICS = f"""
query($institution: String, $since: String, $until: String) {{
  statistics(institution: $institution, since: $since, until: $until) {{
    scope since until
    total {{ {FIGURES} }}
    institutions {{ institution {{ slug }} figures {{ {FIGURES} }} }}
    months {{ month figures {{ claimsReported claimsRebutted }} }}
  }}
}}
"""


def number(global_id: str) -> int:
    return int(from_base64(global_id)[1])


async def stats(gql: GraphQLClient, as_: str | None = None, **variables: Any) -> dict[str, Any]:
    return (await gql.execute(STATISTICS, variables, as_=as_))["statistics"]


def by_slug(answer: dict[str, Any]) -> dict[str | None, dict[str, Any]]:
    return {
        (row["institution"] or {}).get("slug"): row["figures"] for row in answer["institutions"]
    }


async def dismissed_claim(gql: GraphQLClient, reason: str = "SATIRE") -> str:
    claim_id = await reported_claim(gql)
    note = {"km": "សើចលេង", "en": "A satirical site's piece."}
    dismissal = {"claimId": claim_id, "reason": reason, "note": note}
    await ok(gql, "dismissClaim", dismissal, as_="coordinator")
    return claim_id


async def test_the_public_counts_public_records_only(gql: GraphQLClient) -> None:
    before = await stats(gql)
    await reported_claim(gql)  # reported, not public
    await triaged_claim(gql)  # triaged, not public
    await drafted_rebuttal(gql)  # a draft on a triaged claim, not public
    assert await stats(gql) == before, "an unpublished claim or draft changed a public figure"

    await published_rebuttal(gql)
    await dismissed_claim(gql)
    public = await stats(gql)
    assert public["scope"] == "PUBLIC"
    total = public["total"]
    assert total["claimsReported"] == before["total"]["claimsReported"] + 2
    assert total["claimsRebutted"] == before["total"]["claimsRebutted"] + 1
    assert total["claimsDismissed"] == before["total"]["claimsDismissed"] + 1
    assert {"reason": "SATIRE", "count": 1} in total["dismissedByReason"]
    assert by_slug(public)["health"]["claimsRebutted"] >= 1
    # A claim dismissed before triage has no institution.
    assert by_slug(public)[None]["claimsDismissed"] >= 1
    for role in ("reporter", "service", "health_editor", "education_approver"):
        assert await stats(gql, role) == public, role

    everything = await stats(gql, "coordinator")
    assert everything["scope"] == "ALL"
    assert everything["total"]["claimsReported"] == total["claimsReported"] + 3
    assert everything["total"]["claimsTriaged"] == total["claimsTriaged"] + 2
    assert await stats(gql, "observer") == everything


async def test_corrections_and_retractions_count_once_published(gql: GraphQLClient) -> None:
    _, rebuttal = await published_rebuttal(gql)
    before = (await stats(gql))["total"]
    await correct(gql, rebuttal, "The survey is this year's")
    # A second correction under way is not counted until it is published.
    await ok(gql, "reviseRebuttal", {"rebuttalId": rebuttal}, as_="health_editor")
    corrected = (await stats(gql))["total"]
    assert corrected["corrections"] == before["corrections"] + 1

    reason = {"km": "ការស្ទង់មតិត្រូវបានដកវិញ។", "en": "The survey was withdrawn."}
    retraction = {"rebuttalId": rebuttal, "reason": reason}
    await ok(gql, "retractRebuttal", retraction, as_="health_approver")
    retracted = (await stats(gql))["total"]
    assert retracted["retractions"] == before["retractions"] + 1
    assert retracted["claimsRebutted"] == before["claimsRebutted"]  # it was rebutted, once
    assert retracted["corrections"] == corrected["corrections"]
    assert (await stats(gql, "coordinator"))["total"]["retractions"] == retracted["retractions"]


async def test_correction_requests_set_aside_are_not_public(gql: GraphQLClient) -> None:
    _, rebuttal = await published_rebuttal(gql)
    moment = datetime.now(UTC)
    for status in CorrectionStatus:
        await CorrectionRequest.create(
            rebuttal_id=number(rebuttal),
            revision=1,
            language="en",
            text="The figures are from 2019.",
            status=status,
            requested_at=moment,
        )
    public = (await stats(gql))["total"]
    assert (public["correctionRequests"], public["correctionRequestsAnswered"]) == (2, 1)
    everything = (await stats(gql, "coordinator"))["total"]
    assert (everything["correctionRequests"], everything["correctionRequestsAnswered"]) == (3, 1)


async def test_hours_due_by_and_months_are_counted_as_described(gql: GraphQLClient) -> None:
    """Four rebutted claims reported at known times: 10, 20, 30 and 40 hours to rebuttal, the
    last past its due-by; one reported at 18:00 UTC on 31 October, 1 November in Cambodia."""
    reported = datetime(2026, 10, 31, 18, 0, tzinfo=UTC)
    for hours in (10, 20, 30, 40):
        claim_id, _ = await published_rebuttal(gql)
        start = reported - timedelta(days=60) if hours != 10 else reported
        await Claim.filter(id=number(claim_id)).update(
            created_at=start,
            rebutted_at=start + timedelta(hours=hours),
            due_at=start + timedelta(hours=35),
        )
    answer = await stats(gql, since="2026-08", until="2026-12")
    total = answer["total"]
    assert total["claimsRebutted"] == 4
    assert total["medianHoursToRebuttal"] == 25.0
    assert total["p90HoursToRebuttal"] == 37.0  # 30 + 0.7 * (40 - 30)
    assert (total["rebuttedWithDueBy"], total["rebuttedWithinDueBy"]) == (4, 3)
    assert total["shareWithinDueBy"] == 0.75
    months = {row["month"]: row["figures"]["claimsRebutted"] for row in answer["months"]}
    assert months == {"2026-08": 0, "2026-09": 3, "2026-10": 0, "2026-11": 1, "2026-12": 0}
    assert (answer["since"], answer["until"]) == ("2026-08", "2026-12")

    november = await stats(gql, since="2026-11", until="2026-11", institution="health")
    assert november["total"]["claimsRebutted"] == 1
    assert november["total"]["medianHoursToRebuttal"] == 10.0
    assert [row["institution"]["slug"] for row in november["institutions"]] == ["health"]


@pytest.mark.parametrize(
    ("variables", "field", "says"),
    [
        ({"since": "2026-13"}, "since", "YYYY-MM"),
        ({"until": "November"}, "until", "YYYY-MM"),
        ({"since": "2026-11", "until": "2026-10"}, "since", "after"),
        ({"since": "2000-01", "until": "2026-12"}, "since", f"at most {MAX_MONTHS} months"),
        ({"institution": "nobody"}, "institution", "No institution"),
    ],
)
async def test_bad_arguments_are_explained(
    gql: GraphQLClient, variables: dict[str, str], field: str, says: str
) -> None:
    body = (await gql.post(STATISTICS, variables)).json()
    [error] = body["errors"]
    assert error["extensions"]["field"] == field, error
    assert says in error["message"]


def test_month_range_covers_empty_months_and_caps_the_default() -> None:
    assert month_range(None, None, [], "2026-12") == ["2026-12"]
    assert month_range(None, "2027-02", ["2026-11"], "2026-12") == [
        "2026-11",
        "2026-12",
        "2027-01",
        "2027-02",
    ]
    assert len(month_range(None, None, ["1990-01"], "2026-12")) == MAX_MONTHS
    assert month_range(None, None, ["1990-01"], "2026-12")[-1] == "2026-12"
    assert this_month(datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == "2027-01"


async def test_statements_do_not_grow_with_the_records(gql: GraphQLClient) -> None:
    async def statements() -> int:
        with count_statements() as counter:
            await stats(gql, "coordinator")
        return len(counter.statements)

    few = await statements()
    for _ in range(5):
        await published_rebuttal(gql)
        await dismissed_claim(gql, "OPINION")
    assert await statements() == few


async def test_the_transparency_page_shows_the_figures_in_both_languages(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    await published_rebuttal(gql)
    await dismissed_claim(gql)
    total = (await stats(gql))["total"]
    for language in ("en", "km"):
        response = await http.get(f"/{language}/transparency")
        assert response.status_code == 200, response.text
        page = html.fromstring(response.content)
        assert page.get("lang") == language
        charts = page.xpath("//svg")
        assert charts and all(chart.get("role") == "img" for chart in charts)
        assert not page.xpath("//*[@style]"), "inline styles break the CSP"
        table = page.get_element_by_id("by-institution")
        assert table.tag == "table"
        totals = page.get_element_by_id("totals").text_content()
        digits = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩") if language == "km" else None
        assert str(total["claimsRebutted"]).translate(digits or {}) in totals
    etag = response.headers["etag"]
    again = await http.get("/km/transparency", headers={"if-none-match": etag})
    assert again.status_code == 304


async def test_the_transparency_page_never_counts_unpublished_records(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    _, rebuttal = await published_rebuttal(gql)
    before = (await http.get("/en/transparency")).text
    await reported_claim(gql)
    await triaged_claim(gql)
    await drafted_rebuttal(gql)
    await ok(gql, "reviseRebuttal", {"rebuttalId": rebuttal}, as_="health_editor")

    def figures(text: str) -> str:
        return html.fromstring(text).get_element_by_id("figures").text_content()

    assert figures((await http.get("/en/transparency")).text) == figures(before)
    sitemap = (await http.get("/sitemap.xml")).text
    assert "/en/transparency" in sitemap and "/km/transparency" in sitemap


def test_chart_labels_are_text_and_scales_are_round() -> None:
    hostile = '</title><script>alert(1)</script><rect style="x"'
    chart = bars(
        "t",
        title="Claims",
        description="Per institution",
        labels=[hostile],
        series=[Series(hostile, "bar-rebutted", [3])],
        number=str,
    )
    tree = html.fromstring(f"<div>{chart}</div>")
    assert not tree.xpath("//script") and not tree.xpath("//*[@style]")
    assert hostile in tree.xpath("//text")[0].text_content()
    assert [nice_ceiling(v) for v in (0, 0.3, 1, 7, 12, 26, 2600)] == [1, 0.5, 1, 10, 20, 50, 5000]
    empty = columns("c", title="t", description="d", labels=[], series=[], number=str)
    assert html.fromstring(str(empty)).tag == "svg"
