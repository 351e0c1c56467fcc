"""A conformance kit for connector plugins: subclass ``ConnectorConformance`` in your tests.

    from coordhub.connectors.testing import ConnectorConformance
    import my_plugin

    class TestMyConnector(ConnectorConformance):
        plugin = my_plugin                      # the module with your @hookimpl functions
        connector_name = "my-outlet"
        settings = {"endpoint": "https://outlet.example/in", "token": "s3cret"}

It checks that the plugin registers through the hook API, that rendering publish, update and
retract items is pure and keeps secrets out of the stored payload, and that ``send`` classifies
the outlet's answers as the core expects. ``simulator_round_trip`` then sends a rendered item
to an outlet simulator over real HTTP (in-process), twice under one idempotency key as a retry
would, and checks the outlet took it once. The kit also works as a pytest plugin
(``pytest_plugins = ["coordhub.connectors.testing"]``) for the ``rebuttal_item`` fixture.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

import httpx
import pluggy
import pytest
from starlette.types import ASGIApp

from coordhub.connectors import hookspecs
from coordhub.connectors.types import (
    Action,
    AppearanceItem,
    ClaimItem,
    Connector,
    EvidenceItem,
    GoneError,
    InstitutionItem,
    OutletMessage,
    PermanentError,
    RebuttalItem,
    Receipt,
    RetryableError,
    SendContext,
    Text,
)
from coordhub.settings import Settings
from coordhub.simulators import SimulatorSecrets, create_simulator_app, simulator_connectors

SECRET_WORDS = ("secret", "token", "password", "key")
#: The idempotency key of the first attempt ``send_context`` builds (``ConnectorConformance.send``).
IDEMPOTENCY_KEY = "coordhub.rebuttal-7.r1.publish.test"
#: The address ``simulator_round_trip`` reaches the outlet simulator at (no network involved).
SIMULATOR_URL = "http://sim"


def sample_item(action: Action = Action.PUBLISH, revision: int = 1) -> RebuttalItem:
    """A realistic item, with Khmer text, for the given action and revision."""
    published = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    retracted = action == Action.RETRACT
    return RebuttalItem(
        id="UmVidXR0YWw6Nw==",
        revision=revision,
        action=action,
        verdict="FALSE",
        headline=Text(km="វ៉ាក់សាំង HPV មានសុវត្ថិភាព", en="The HPV vaccine is safe"),
        body=Text(
            km="ក្រសួងសុខាភិបាលបញ្ជាក់ថា វ៉ាក់សាំងនេះមិនបង្កឱ្យមានភាពគ្មានកូនទេ។",
            en="The Ministry of Health confirms that the vaccine does not cause infertility.",
        ),
        evidence=[
            EvidenceItem(
                url="https://who.example/hpv",
                title=Text(km="អង្គការសុខភាពពិភពលោកអំពីវ៉ាក់សាំង HPV", en="WHO on HPV vaccines"),
            )
        ],
        claim=ClaimItem(
            id="Q2xhaW06Mw==",
            summary=Text(km="ពាក្យចចាមអារ៉ាមអំពីវ៉ាក់សាំង", en="A rumour about the vaccine"),
            topic="health",
            first_seen_at=datetime(2026, 11, 19, 8, 0, tzinfo=UTC),
            appearances=[
                AppearanceItem(
                    url="https://social.example/p/1",
                    outlet="Social platform",
                    seen_at=datetime(2026, 11, 19, 8, 0, tzinfo=UTC),
                )
            ],
        ),
        institution=InstitutionItem(
            slug="health", name=Text(km="ក្រសួងសុខាភិបាល", en="Ministry of Health")
        ),
        url="https://coordhub.example/rebuttals/7",
        first_published_at=published,
        published_at=published.replace(day=20 + revision - 1),
        retracted_at=published.replace(day=25) if retracted else None,
        retraction_reason=Text(km="ការសិក្សាដែលបានយោងត្រូវបានអានខុស។", en="The cited study was misread.")
        if retracted
        else None,
    )


@pytest.fixture
def rebuttal_item() -> Callable[..., RebuttalItem]:
    """A factory of sample items: ``rebuttal_item(Action.RETRACT, revision=2)``."""
    return sample_item


def send_context(
    connector: Connector,
    settings: Mapping[str, Any],
    http: httpx.AsyncClient,
    *,
    idempotency_key: str = IDEMPOTENCY_KEY,
) -> SendContext:
    """The context of a first attempt, as the worker builds it: ``settings`` (a table of
    operator settings) validated by the connector's ``settings_model``, and ``http``."""
    return SendContext(
        idempotency_key=idempotency_key,
        attempt=1,
        delivery_id=1,
        settings=connector.settings_model.model_validate(dict(settings)),
        http=http,
    )


def simulator_settings(outlet: str, secrets: SimulatorSecrets | None = None) -> dict[str, Any]:
    """Settings pointing the built-in connector for ``outlet`` (``akp``, ``tvk``,
    ``ministry-app``, ``webhook``) at its simulator, with the credentials the simulator expects."""
    return dict(simulator_connectors(SIMULATOR_URL, secrets)[outlet])


@dataclass(frozen=True)
class RoundTrip:
    """What ``simulator_round_trip`` saw: the message, the outlet's receipt and its record."""

    #: What ``render`` gave for the item.
    message: OutletMessage
    #: What ``send`` returned (the same for the resend).
    receipt: Receipt
    #: The one delivery the outlet recorded: ``idempotency_key``, ``payload`` (the parsed
    #: body), ``headers`` (without secrets), ``attempts``, ``duplicates``, ...
    delivery: dict[str, Any]

    @property
    def payload(self) -> Any:
        """The body as the outlet parsed and recorded it."""
        return self.delivery["payload"]


async def simulator_round_trip(
    connector: Connector,
    outlet: str,
    item: RebuttalItem | None = None,
    *,
    settings: Mapping[str, Any] | None = None,
    app: ASGIApp | None = None,
) -> RoundTrip:
    """Render ``item`` (default ``sample_item()``) and send it to an outlet simulator, twice.

    The simulator is an ASGI app reached at ``SIMULATOR_URL`` through ``httpx.ASGITransport``:
    by default coordhub's (``coordhub.simulators.create_simulator_app``), whose ``outlet`` is
    one of ``akp``, ``tvk``, ``ministry-app`` and ``webhook``; or ``app``, any ASGI app that
    records what it accepts and lists it at ``GET /_control/{outlet}/received`` the same way.
    ``settings`` default to ``simulator_settings(outlet)``.

    The second send reuses the idempotency key, as a retry after a lost answer does. Asserts
    that both sends return a ``Receipt`` with the same ``external_id`` and that the outlet
    recorded exactly one delivery, under that key; returns what it saw for further checks.
    """
    item = item or sample_item()
    table = simulator_settings(outlet) if settings is None else settings
    key = f"coordhub.rebuttal-7.r{item.revision}.{item.action.value.lower()}.{connector.name}"
    message = connector.render(item)
    transport = httpx.ASGITransport(app=app or create_simulator_app(SimulatorSecrets()))
    async with httpx.AsyncClient(transport=transport, base_url=SIMULATOR_URL) as http:
        ctx = send_context(connector, table, http, idempotency_key=key)
        receipt = await connector.send(message, ctx)
        again = await connector.send(message, ctx.model_copy(update={"attempt": 2}))
        answer = await http.get(f"/_control/{outlet}/received")
    assert answer.status_code == 200, f"the simulator has no outlet {outlet!r}: {answer.text}"
    received = answer.json()
    assert isinstance(receipt, Receipt) and isinstance(again, Receipt), "send returns a Receipt"
    assert again.external_id == receipt.external_id, "a resend must get the first receipt"
    assert len(received) == 1, f"the outlet recorded {len(received)} deliveries, expected 1"
    assert received[0]["idempotency_key"] == key, "send the idempotency key the outlet dedupes on"
    return RoundTrip(message=message, receipt=receipt, delivery=received[0])


class ConnectorConformance:
    """Inherit from this in a ``Test...`` class and set the three attributes below."""

    #: The plugin object or module holding your ``@hookimpl`` functions.
    plugin: ClassVar[object]
    #: The name of the connector under test.
    connector_name: ClassVar[str]
    #: Example settings (a table of COORDHUB_CONNECTORS_FILE) for the connector.
    settings: ClassVar[dict[str, Any]]
    #: A 2xx answer your outlet gives, as (status, JSON body).
    success_answer: ClassVar[tuple[int, dict[str, Any]]] = (200, {"id": "outlet-1"})

    def connector(self) -> Connector:
        """The connector, obtained exactly as the core does: through the hook."""
        manager = pluggy.PluginManager("coordhub")
        manager.add_hookspecs(hookspecs)
        manager.register(self.plugin)  # validates hook names and signatures
        offered = [
            c for batch in manager.hook.coordhub_connectors(settings=Settings()) for c in batch
        ]
        matching = [c for c in offered if c.name == self.connector_name]
        assert matching, f"the plugin offers no connector named {self.connector_name!r}"
        return matching[0]

    def send(
        self, status: int, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[Receipt, list[httpx.Request]]:
        """Send a rendered publish through a fake outlet answering ``status``: the receipt
        and the requests the outlet got (or what ``send`` raised)."""
        requests: list[httpx.Request] = []

        def answer(request: httpx.Request) -> httpx.Response:
            requests.append(request)
            return httpx.Response(status, json=body, headers=headers)

        connector = self.connector()

        async def run() -> Receipt:
            async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
                ctx = send_context(connector, self.settings, http)
                return await connector.send(connector.render(sample_item()), ctx)

        return asyncio.run(run()), requests

    def test_offers_the_connector_through_the_hook(self) -> None:
        assert isinstance(self.connector(), Connector)

    def test_example_settings_are_valid(self) -> None:
        self.connector().settings_model.model_validate(self.settings)

    @pytest.mark.parametrize(
        ("action", "revision"),
        [(Action.PUBLISH, 1), (Action.UPDATE, 2), (Action.RETRACT, 2)],
        ids=["publish", "update", "retract"],
    )
    def test_renders_every_action_purely(self, action: Action, revision: int) -> None:
        connector = self.connector()
        item = sample_item(action, revision)
        message = connector.render(item)
        assert isinstance(message, OutletMessage)
        assert message.body and message.content_type
        assert connector.render(item) == message, "render must be deterministic"

    def test_publish_and_retract_render_differently(self) -> None:
        connector = self.connector()
        publish = connector.render(sample_item(Action.PUBLISH, 2))
        retract = connector.render(sample_item(Action.RETRACT, 2))
        assert publish != retract

    def test_rendered_payload_holds_no_secret(self) -> None:
        secrets = [
            str(value)
            for name, value in self.settings.items()
            if any(word in name.lower() for word in SECRET_WORDS)
        ]
        for action in Action:
            message = self.connector().render(sample_item(action, 2))
            stored = message.model_dump_json()
            for secret in secrets:
                assert secret not in stored, "secrets belong in send(), not in the payload"

    def test_success_returns_a_receipt_and_sends_the_idempotency_key(self) -> None:
        status, body = self.success_answer
        receipt, requests = self.send(status, body)
        assert isinstance(receipt, Receipt)
        assert len(requests) == 1
        assert IDEMPOTENCY_KEY in requests[0].headers.values(), (
            "send the idempotency key in a header"
        )

    @pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
    def test_server_errors_and_timeouts_are_retryable(self, status: int) -> None:
        with pytest.raises(RetryableError):
            self.send(status, {"error": "x"})

    def test_throttling_is_retried_after_retry_after(self) -> None:
        with pytest.raises(RetryableError) as raised:
            self.send(429, {"error": "slow down"}, {"Retry-After": "7"})
        assert raised.value.retry_after == 7

    @pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
    def test_other_client_errors_fail_at_once(self, status: int) -> None:
        with pytest.raises(PermanentError) as raised:
            self.send(status, {"error": "no"})
        assert not isinstance(raised.value, GoneError)

    def test_gone_disables_the_connector(self) -> None:
        with pytest.raises(GoneError):
            self.send(410, {"error": "gone"})
