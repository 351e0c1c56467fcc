"""The AKP connector: conformance, and a real push to the AKP outlet simulator."""

from __future__ import annotations

import httpx
import orjson

import coordhub_akp
from coordhub.connectors import Action, SendContext
from coordhub.connectors.testing import ConnectorConformance, sample_item
from coordhub.simulators import SimulatorSecrets, create_simulator_app

SETTINGS = {"endpoint": "http://sim/akp/items", "token": "akp-demo-token"}


class TestAkpConformance(ConnectorConformance):
    plugin = coordhub_akp
    connector_name = "akp"
    settings = SETTINGS
    success_answer = (201, {"id": "akp-1"})


def test_a_retraction_is_the_same_item_canceled() -> None:
    connector = coordhub_akp.AkpConnector()
    publish = orjson.loads(connector.render(sample_item(Action.PUBLISH, 2)).body)
    retract = orjson.loads(connector.render(sample_item(Action.RETRACT, 2)).body)
    assert publish["uri"] == retract["uri"]
    assert (publish["pubstatus"], retract["pubstatus"]) == ("usable", "canceled")


async def test_the_simulated_agency_accepts_and_deduplicates_the_push() -> None:
    connector = coordhub_akp.AkpConnector()
    app = create_simulator_app(SimulatorSecrets())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http:
        ctx = SendContext(
            idempotency_key="k-1",
            attempt=1,
            delivery_id=1,
            settings=connector.settings_model.model_validate(SETTINGS),
            http=http,
        )
        message = connector.render(sample_item())
        first = await connector.send(message, ctx)
        again = await connector.send(message, ctx)
        received = (await http.get("http://sim/_control/akp/received")).json()
    assert first.external_id == again.external_id
    assert len(received) == 1
