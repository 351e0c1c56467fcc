"""coordhub connector plugin for the national broadcaster (TVK): NewsML-G2 plus a ticker line."""

from __future__ import annotations

import hashlib
import hmac

from pydantic import SecretStr

from coordhub.connectors import (
    Action,
    Connector,
    ConnectorSettings,
    OutletMessage,
    RebuttalItem,
    Receipt,
    SendContext,
    hookimpl,
)
from coordhub.connectors.formats import clip, json_message, render_newsml_g2
from coordhub.connectors.http import push, receipt_from
from coordhub.settings import Settings

TICKER_LIMIT = 140
PREFIXES = {
    Action.UPDATE: {"km": "កែតម្រូវ៖ ", "en": "Correction: "},
    Action.RETRACT: {"km": "ដកវិញ៖ ", "en": "Retracted: "},
}


class TvkSettings(ConnectorSettings):
    """TVK's ingest address and the shared secret that signs each push."""

    secret: SecretStr


def ticker_line(item: RebuttalItem, language: str) -> str:
    """A crawl line of at most 140 characters: an optional prefix and the headline.

    A correction is marked as one even when it reaches TVK first (as a ``PUBLISH``).
    """
    prefix = ""
    if item.action == Action.RETRACT:
        prefix = PREFIXES[Action.RETRACT][language]
    elif item.is_correction:
        prefix = PREFIXES[Action.UPDATE][language]
    return clip(prefix + getattr(item.headline, language), TICKER_LIMIT)


class TvkConnector(Connector):
    """Pushes a NewsML-G2 newsItem and the bilingual ticker line, signed with HMAC-SHA256."""

    name = "tvk"
    settings_model = TvkSettings

    def render(self, item: RebuttalItem) -> OutletMessage:
        return json_message(
            {
                "newsml": render_newsml_g2(item, provider="coordhub"),
                "ticker": {"km": ticker_line(item, "km"), "en": ticker_line(item, "en")},
            }
        )

    async def send(self, message: OutletMessage, ctx: SendContext) -> Receipt:
        settings = ctx.settings
        assert isinstance(settings, TvkSettings)
        body = message.body.encode()
        key = settings.secret.get_secret_value().encode()
        signature = hmac.new(key, body, hashlib.sha256).hexdigest()
        signed = {"X-TVK-Signature": f"sha256={signature}"}
        return receipt_from(await push(message, ctx, headers=signed), "guid")


@hookimpl
def coordhub_connectors(settings: Settings) -> list[Connector]:
    return [TvkConnector()]
