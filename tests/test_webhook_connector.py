"""The built-in Standard Webhooks connector."""

from __future__ import annotations

import httpx
import orjson

from coordhub.connectors import Action, SendContext
from coordhub.connectors import webhook as plugin
from coordhub.connectors.testing import ConnectorConformance, sample_item
from coordhub.simulators import DEMO_WEBHOOK_SECRET, SimulatorSecrets, create_simulator_app

SETTINGS = {"endpoint": "http://sim/webhook", "secret": DEMO_WEBHOOK_SECRET}


class TestWebhookConformance(ConnectorConformance):
    plugin = plugin
    connector_name = "webhook"
    settings = SETTINGS


def test_event_types_follow_the_action() -> None:
    connector = plugin.WebhookConnector()
    types = [
        orjson.loads(connector.render(sample_item(action, 2)).body)["type"] for action in Action
    ]
    assert types == ["rebuttal.published", "rebuttal.updated", "rebuttal.retracted"]


async def test_the_simulated_subscriber_verifies_the_signature() -> None:
    connector = plugin.WebhookConnector()
    app = create_simulator_app(SimulatorSecrets())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http:
        ctx = SendContext(
            idempotency_key="k-1",
            attempt=1,
            delivery_id=1,
            settings=connector.settings_model.model_validate(SETTINGS),
            http=http,
        )
        await connector.send(connector.render(sample_item()), ctx)
        received = (await http.get("http://sim/_control/webhook/received")).json()
    assert received[0]["payload"]["data"]["headline"]["en"] == "The HPV vaccine is safe"
