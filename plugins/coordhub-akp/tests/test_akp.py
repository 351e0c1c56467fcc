"""The AKP connector: conformance, and a real push to the AKP outlet simulator."""

from __future__ import annotations

import orjson

import coordhub_akp
from coordhub.connectors import Action
from coordhub.connectors.testing import (
    ConnectorConformance,
    sample_item,
    simulator_round_trip,
    simulator_settings,
)


class TestAkpConformance(ConnectorConformance):
    plugin = coordhub_akp
    connector_name = "akp"
    settings = simulator_settings("akp")
    success_answer = (201, {"id": "akp-1"})


def test_a_retraction_is_the_same_item_canceled() -> None:
    connector = coordhub_akp.AkpConnector()
    publish = orjson.loads(connector.render(sample_item(Action.PUBLISH, 2)).body)
    retract = orjson.loads(connector.render(sample_item(Action.RETRACT, 2)).body)
    assert publish["uri"] == retract["uri"]
    assert (publish["pubstatus"], retract["pubstatus"]) == ("usable", "canceled")


async def test_the_simulated_agency_accepts_and_deduplicates_the_push() -> None:
    trip = await simulator_round_trip(coordhub_akp.AkpConnector(), "akp")
    assert trip.receipt.external_id == "akp-1"
    assert trip.delivery["duplicates"] == 1
    assert trip.payload["pubstatus"] == "usable"
