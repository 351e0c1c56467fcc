"""coordhub connector plugin for the Ministry of Information app: push-notification requests."""

from __future__ import annotations

import orjson
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
from coordhub.connectors.http import push, receipt_from
from coordhub.settings import Settings

TITLE_LIMIT = 80
BODY_LIMIT = 240
TITLE_PREFIX = {
    Action.UPDATE: {"km": "កែតម្រូវ៖ ", "en": "Correction: "},
    Action.RETRACT: {"km": "ដកវិញ៖ ", "en": "Retracted: "},
}


class MinistryAppSettings(ConnectorSettings):
    """The app backend's push endpoint and its bearer token."""

    token: SecretStr


def clip(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def notification(item: RebuttalItem) -> dict[str, object]:
    """The push request for an item."""
    prefix = TITLE_PREFIX.get(item.action, {"km": "", "en": ""})
    body = {"km": item.body.km, "en": item.body.en}
    if item.action == Action.RETRACT and item.retraction_reason:
        body = {"km": item.retraction_reason, "en": item.retraction_reason}
    return {
        "title": {
            lang: clip(prefix[lang] + getattr(item.headline, lang), TITLE_LIMIT)
            for lang in ("km", "en")
        },
        "body": {lang: clip(body[lang], BODY_LIMIT) for lang in ("km", "en")},
        "deep_link": item.url,
        "collapse_key": item.id,
        "action": item.action.value,
    }


class MinistryAppConnector(Connector):
    """Asks the app backend to notify subscribers; corrections replace the earlier push."""

    name = "ministry-app"
    settings_model = MinistryAppSettings

    def render(self, item: RebuttalItem) -> OutletMessage:
        body = orjson.dumps(notification(item), option=orjson.OPT_SORT_KEYS).decode()
        return OutletMessage(content_type="application/json", body=body)

    async def send(self, message: OutletMessage, ctx: SendContext) -> Receipt:
        settings = ctx.settings
        assert isinstance(settings, MinistryAppSettings)
        bearer = {"Authorization": f"Bearer {settings.token.get_secret_value()}"}
        return receipt_from(await push(message, ctx, headers=bearer), "notification_id")


@hookimpl
def coordhub_connectors(settings: Settings) -> list[Connector]:
    return [MinistryAppConnector()]
