"""The ministry app connector: conformance, limits, and a push to the app simulator."""

from __future__ import annotations

import coordhub_ministry_app as plugin
from coordhub.connectors import Action, Text
from coordhub.connectors.testing import (
    ConnectorConformance,
    sample_item,
    simulator_round_trip,
    simulator_settings,
)


class TestMinistryAppConformance(ConnectorConformance):
    plugin = plugin
    connector_name = "ministry-app"
    settings = simulator_settings("ministry-app")
    success_answer = (202, {"notification_id": "push-1"})


def test_long_text_is_clipped_to_the_notification_limits() -> None:
    item = sample_item().model_copy(
        update={"headline": Text(km="ក" * 200, en="x" * 200), "body": Text(km="ខ" * 900, en="y")}
    )
    push = plugin.notification(item)
    assert len(push["title"]["km"]) == plugin.TITLE_LIMIT  # type: ignore[index]
    assert len(push["body"]["km"]) == plugin.BODY_LIMIT  # type: ignore[index]


def test_a_retraction_says_why_under_the_same_collapse_key() -> None:
    publish = plugin.notification(sample_item(Action.PUBLISH, 1))
    retract = plugin.notification(sample_item(Action.RETRACT, 1))
    assert retract["collapse_key"] == publish["collapse_key"]
    assert retract["body"] == {  # type: ignore[comparison-overlap]
        "km": "ការសិក្សាដែលបានយោងត្រូវបានអានខុស។",
        "en": "The cited study was misread.",
    }


async def test_the_simulated_app_backend_accepts_a_retraction() -> None:
    trip = await simulator_round_trip(
        plugin.MinistryAppConnector(), "ministry-app", sample_item(Action.RETRACT, 2)
    )
    assert trip.receipt.external_id == "push-1"
    assert trip.payload["title"]["en"] == "Retracted: The HPV vaccine is safe"
