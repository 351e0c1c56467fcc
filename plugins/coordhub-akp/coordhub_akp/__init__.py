"""coordhub connector plugin for the national news agency (AKP): IPTC ninjs over HTTPS push."""

from __future__ import annotations

from coordhub.connectors import Connector, OutletMessage, RebuttalItem, hookimpl
from coordhub.connectors.formats import json_message, render_ninjs
from coordhub.connectors.http import BearerPushConnector, BearerTokenSettings
from coordhub.settings import Settings


class AkpSettings(BearerTokenSettings):
    """Where AKP's wire intake is and the bearer token it issued to us."""


class AkpConnector(BearerPushConnector):
    """Pushes rebuttals as ninjs 2.1; a retraction is the same item with pubstatus canceled."""

    name = "akp"
    settings_model = AkpSettings
    receipt_keys = ("id",)

    def render(self, item: RebuttalItem) -> OutletMessage:
        return json_message(render_ninjs(item, version="2.1"))


@hookimpl
def coordhub_connectors(settings: Settings) -> list[Connector]:
    return [AkpConnector()]
