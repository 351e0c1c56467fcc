"""The built-in Standard Webhooks connector."""

from __future__ import annotations

import orjson

from coordhub.connectors import Action
from coordhub.connectors import webhook as plugin
from coordhub.connectors.testing import (
    ConnectorConformance,
    sample_item,
    simulator_round_trip,
    simulator_settings,
)


class TestWebhookConformance(ConnectorConformance):
    plugin = plugin
    connector_name = "webhook"
    settings = simulator_settings("webhook")


def test_event_types_follow_the_action() -> None:
    connector = plugin.WebhookConnector()
    types = [
        orjson.loads(connector.render(sample_item(action, 2)).body)["type"] for action in Action
    ]
    assert types == ["rebuttal.published", "rebuttal.updated", "rebuttal.retracted"]


async def test_the_simulated_subscriber_verifies_the_signature() -> None:
    trip = await simulator_round_trip(plugin.WebhookConnector(), "webhook")
    assert trip.payload["type"] == "rebuttal.published"
    assert trip.payload["data"]["headline"]["en"] == "The HPV vaccine is safe"
    assert trip.delivery["headers"]["webhook-id"] == trip.delivery["idempotency_key"]
