"""The ministry app connector: conformance, limits, and a push to the app simulator."""

from __future__ import annotations

import httpx

import coordhub_ministry_app as plugin
from coordhub.connectors import Action, SendContext, Text
from coordhub.connectors.testing import ConnectorConformance, sample_item
from coordhub.simulators import SimulatorSecrets, create_simulator_app

SETTINGS = {"endpoint": "http://sim/ministry-app/push", "token": "app-demo-token"}


class TestMinistryAppConformance(ConnectorConformance):
    plugin = plugin
    connector_name = "ministry-app"
    settings = SETTINGS
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
        "km": "The cited study was misread.",
        "en": "The cited study was misread.",
    }


async def test_the_simulated_app_backend_accepts_the_push() -> None:
    connector = plugin.MinistryAppConnector()
    app = create_simulator_app(SimulatorSecrets())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http:
        ctx = SendContext(
            idempotency_key="k-1",
            attempt=1,
            delivery_id=1,
            settings=connector.settings_model.model_validate(SETTINGS),
            http=http,
        )
        receipt = await connector.send(connector.render(sample_item()), ctx)
    assert receipt.external_id == "push-1"
