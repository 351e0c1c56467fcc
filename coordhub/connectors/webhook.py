"""The generic Standard Webhooks connector, for any other subscribing system.

Installed with coordhub and registered through the same entry-point group as any plugin.
Every table in the connector settings whose name starts with ``webhook`` (``webhook``,
``webhook-finance``, ...) becomes one connector of that name:

    [webhook-finance]
    endpoint = "https://finance.example/hooks/coordhub"
    secret = "whsec_..."      # the subscriber's Standard Webhooks secret

Each delivery is a signed POST (``webhook-id`` = the idempotency key, ``webhook-timestamp``,
``webhook-signature``) of ``{"type": "rebuttal.published" | "rebuttal.updated" |
"rebuttal.retracted", "timestamp": ..., "data": <RebuttalItem>}``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import SecretStr
from standardwebhooks.webhooks import Webhook

from coordhub.connectors.config import raw_settings
from coordhub.connectors.formats import json_message
from coordhub.connectors.hookspecs import hookimpl
from coordhub.connectors.http import push, receipt_from
from coordhub.connectors.types import (
    Action,
    Connector,
    ConnectorSettings,
    OutletMessage,
    RebuttalItem,
    Receipt,
    SendContext,
)
from coordhub.settings import Settings

EVENT_TYPES = {
    Action.PUBLISH: "rebuttal.published",
    Action.UPDATE: "rebuttal.updated",
    Action.RETRACT: "rebuttal.retracted",
}


class WebhookSettings(ConnectorSettings):
    """The subscriber's address and its Standard Webhooks signing secret."""

    secret: SecretStr


class WebhookConnector(Connector):
    """Signed JSON events for one subscriber."""

    settings_model = WebhookSettings

    def __init__(self, name: str = "webhook") -> None:
        self.name = name  # type: ignore[misc]

    def render(self, item: RebuttalItem) -> OutletMessage:
        when = item.retracted_at if item.action == Action.RETRACT else item.published_at
        event = {
            "type": EVENT_TYPES[item.action],
            "timestamp": (when or item.published_at).isoformat(),
            "data": item.model_dump(mode="json"),
        }
        return json_message(event)

    async def send(self, message: OutletMessage, ctx: SendContext) -> Receipt:
        settings = ctx.settings
        assert isinstance(settings, WebhookSettings)
        signer = Webhook(settings.secret.get_secret_value())
        now = datetime.now(UTC)
        signature = signer.sign(ctx.idempotency_key, now, message.body)
        headers = {
            "webhook-id": ctx.idempotency_key,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signature,
        }
        response = await push(message, ctx, headers=headers, idempotency_header=None)
        return receipt_from(response, "id")


@hookimpl
def coordhub_connectors(settings: Settings) -> list[Connector]:
    names = set(settings.connectors)
    if settings.connectors_file is not None and settings.connectors_file.exists():
        import tomllib

        names |= set(tomllib.loads(settings.connectors_file.read_text(encoding="utf-8")))
    return [
        WebhookConnector(name)
        for name in sorted(names)
        if name.startswith("webhook") and raw_settings(settings, name) is not None
    ] or [WebhookConnector()]
