"""coordhub connector plugin for the Ministry of Information app: push-notification requests."""

from __future__ import annotations

from coordhub.connectors import Action, Connector, OutletMessage, RebuttalItem, hookimpl
from coordhub.connectors.formats import clip, json_message
from coordhub.connectors.http import BearerPushConnector, BearerTokenSettings
from coordhub.settings import Settings

TITLE_LIMIT = 80
BODY_LIMIT = 240
TITLE_PREFIX = {
    Action.UPDATE: {"km": "កែតម្រូវ៖ ", "en": "Correction: "},
    Action.RETRACT: {"km": "ដកវិញ៖ ", "en": "Retracted: "},
}


class MinistryAppSettings(BearerTokenSettings):
    """The app backend's push endpoint and its bearer token."""


def notification(item: RebuttalItem) -> dict[str, object]:
    """The push request for an item."""
    prefix = TITLE_PREFIX.get(item.action, {"km": "", "en": ""})
    body = {"km": item.body.km, "en": item.body.en}
    if item.action == Action.RETRACT and item.retraction_reason:
        body = {"km": item.retraction_reason.km, "en": item.retraction_reason.en}
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


class MinistryAppConnector(BearerPushConnector):
    """Asks the app backend to notify subscribers; corrections replace the earlier push."""

    name = "ministry-app"
    settings_model = MinistryAppSettings
    receipt_keys = ("notification_id",)

    def render(self, item: RebuttalItem) -> OutletMessage:
        return json_message(notification(item))


@hookimpl
def coordhub_connectors(settings: Settings) -> list[Connector]:
    return [MinistryAppConnector()]
