"""coordhub connector plugin for the national news agency (AKP): IPTC ninjs over HTTPS push."""

from __future__ import annotations

import orjson
from pydantic import SecretStr

from coordhub.connectors import (
    Connector,
    ConnectorSettings,
    OutletMessage,
    RebuttalItem,
    Receipt,
    SendContext,
    hookimpl,
)
from coordhub.connectors.formats import render_ninjs
from coordhub.connectors.http import push, receipt_from
from coordhub.settings import Settings


class AkpSettings(ConnectorSettings):
    """Where AKP's wire intake is and the bearer token it issued to us."""

    token: SecretStr


class AkpConnector(Connector):
    """Pushes rebuttals as ninjs 2.1; a retraction is the same item with pubstatus canceled."""

    name = "akp"
    settings_model = AkpSettings

    def render(self, item: RebuttalItem) -> OutletMessage:
        body = orjson.dumps(render_ninjs(item, version="2.1"), option=orjson.OPT_SORT_KEYS)
        return OutletMessage(content_type="application/json", body=body.decode())

    async def send(self, message: OutletMessage, ctx: SendContext) -> Receipt:
        settings = ctx.settings
        assert isinstance(settings, AkpSettings)
        bearer = {"Authorization": f"Bearer {settings.token.get_secret_value()}"}
        return receipt_from(await push(message, ctx, headers=bearer), "id")


@hookimpl
def coordhub_connectors(settings: Settings) -> list[Connector]:
    return [AkpConnector()]
