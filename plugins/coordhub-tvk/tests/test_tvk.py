"""The TVK connector: conformance, ticker lines, and a real push to the TVK simulator."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import coordhub_tvk
from coordhub.connectors import Action, Text
from coordhub.connectors.testing import (
    ConnectorConformance,
    sample_item,
    simulator_round_trip,
    simulator_settings,
)


class TestTvkConformance(ConnectorConformance):
    plugin = coordhub_tvk
    connector_name = "tvk"
    settings = simulator_settings("tvk")
    success_answer = (200, {"guid": "urn:x", "version": "1"})


def test_ticker_marks_corrections_and_retractions() -> None:
    publish = coordhub_tvk.ticker_line(sample_item(Action.PUBLISH, 1), "en")
    update = coordhub_tvk.ticker_line(sample_item(Action.UPDATE, 2), "en")
    first_seen_correction = coordhub_tvk.ticker_line(sample_item(Action.PUBLISH, 2), "en")
    retract = coordhub_tvk.ticker_line(sample_item(Action.RETRACT, 2), "km")
    assert publish == "The HPV vaccine is safe"
    assert update == first_seen_correction == "Correction: The HPV vaccine is safe"
    assert retract.startswith("ដកវិញ៖ ")


@given(st.text(min_size=1, max_size=400).filter(str.strip))
def test_ticker_never_exceeds_the_crawl_limit(headline: str) -> None:
    item = sample_item().model_copy(update={"headline": Text(km=headline, en=headline)})
    assert len(coordhub_tvk.ticker_line(item, "km")) <= coordhub_tvk.TICKER_LIMIT


async def test_the_simulated_newsroom_verifies_the_signature_and_records_the_item() -> None:
    trip = await simulator_round_trip(
        coordhub_tvk.TvkConnector(), "tvk", sample_item(Action.UPDATE, 2)
    )
    assert trip.receipt.external_id == "urn:coordhub:rebuttal:UmVidXR0YWw6Nw=="
    assert trip.payload["ticker"]["en"].startswith("Correction: ")
