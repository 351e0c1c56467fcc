"""The TVK connector: conformance, ticker lines, and a real push to the TVK simulator."""

from __future__ import annotations

import httpx
import orjson
from hypothesis import given
from hypothesis import strategies as st

import coordhub_tvk
from coordhub.connectors import Action, SendContext, Text
from coordhub.connectors.testing import ConnectorConformance, sample_item
from coordhub.simulators import SimulatorSecrets, create_simulator_app

SETTINGS = {"endpoint": "http://sim/tvk/newsml", "secret": "tvk-demo-secret"}


class TestTvkConformance(ConnectorConformance):
    plugin = coordhub_tvk
    connector_name = "tvk"
    settings = SETTINGS
    success_answer = (200, {"guid": "urn:x", "version": "1"})


def test_ticker_marks_corrections_and_retractions() -> None:
    publish = coordhub_tvk.ticker_line(sample_item(Action.PUBLISH, 1), "en")
    update = coordhub_tvk.ticker_line(sample_item(Action.UPDATE, 2), "en")
    retract = coordhub_tvk.ticker_line(sample_item(Action.RETRACT, 2), "km")
    assert publish == "The HPV vaccine is safe"
    assert update.startswith("Correction: ")
    assert retract.startswith("ដកវិញ៖ ")


@given(st.text(min_size=1, max_size=400).filter(str.strip))
def test_ticker_never_exceeds_the_crawl_limit(headline: str) -> None:
    item = sample_item().model_copy(update={"headline": Text(km=headline, en=headline)})
    assert len(coordhub_tvk.ticker_line(item, "km")) <= coordhub_tvk.TICKER_LIMIT


async def test_the_simulated_newsroom_verifies_the_signature_and_records_the_item() -> None:
    connector = coordhub_tvk.TvkConnector()
    app = create_simulator_app(SimulatorSecrets())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http:
        ctx = SendContext(
            idempotency_key="k-1",
            attempt=1,
            delivery_id=1,
            settings=connector.settings_model.model_validate(SETTINGS),
            http=http,
        )
        receipt = await connector.send(connector.render(sample_item(Action.UPDATE, 2)), ctx)
        received = (await http.get("http://sim/_control/tvk/received")).json()
    assert receipt.external_id
    assert orjson.loads(orjson.dumps(received[0]["payload"]))["ticker"]["en"].startswith("Corr")
