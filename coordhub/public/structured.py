"""ClaimReview JSON-LD for a rebuttal page: both languages, from the renderer connectors use.

The page's ``RebuttalView`` becomes the very ``RebuttalItem`` a connector would be handed for
the live revision, and ``render_claimreview_translations`` renders it, so the markup on the page
and the markup an outlet publishes cannot drift apart. A retracted rebuttal carries none:
ClaimReview has no retraction status, and search tools should not keep showing a rating the
institution withdrew (the page itself still shows everything, with the reason).
"""

from __future__ import annotations

from typing import Any

import orjson
from markupsafe import Markup
from strawberry.relay import to_base64

from coordhub.connectors.formats import render_claimreview_translations
from coordhub.connectors.types import (
    Action,
    AppearanceItem,
    ClaimItem,
    EvidenceItem,
    InstitutionItem,
    RebuttalItem,
    Text,
)
from coordhub.public import urls
from coordhub.public.languages import LANGUAGES, Language
from coordhub.public.records import Localized, RebuttalView


def rebuttal_item(view: RebuttalView, base_url: str) -> RebuttalItem:
    """The item for the live revision, as ``coordhub.connectors.items.build_item`` builds it."""
    live = view.live
    if view.retracted:
        action = Action.RETRACT
    else:
        action = Action.UPDATE if live.number > 1 else Action.PUBLISH
    claim = view.claim
    return RebuttalItem(
        id=to_base64("Rebuttal", view.id),
        revision=live.number,
        action=action,
        verdict=live.verdict,
        headline=_text(live.headline),
        body=_text(live.body),
        evidence=[
            EvidenceItem(url=e.url, title=_text(e.title), note=_text(e.note)) for e in live.evidence
        ],
        claim=ClaimItem(
            id=to_base64("Claim", claim.id),
            summary=_text(claim.summary),
            topic=claim.topic,
            first_seen_at=claim.first_seen_at,
            appearances=[
                AppearanceItem(url=a.url, outlet=a.outlet, seen_at=a.seen_at)
                for a in claim.appearances
            ],
        ),
        institution=InstitutionItem(slug=view.institution.slug, name=_text(view.institution.name)),
        url=urls.canonical_rebuttal(base_url, view.id),
        first_published_at=view.first_published_at,
        published_at=live.published_at,
        retracted_at=view.retracted_at,
        retraction_reason=_text(view.retraction_reason) if view.retraction_reason else None,
    )


def claim_reviews(view: RebuttalView, base_url: str) -> list[dict[str, Any]]:
    """The English and the Khmer ClaimReview of the page, linked as translations (none for a
    retracted rebuttal)."""
    if view.retracted:
        return []
    pages: dict[Language, str] = {
        language: urls.absolute(base_url, urls.rebuttal(language, view.id))
        for language in LANGUAGES
    }
    return render_claimreview_translations(rebuttal_item(view, base_url), pages)


def json_script(data: Any) -> Markup:
    """JSON to put inside ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` are
    escaped as JSON escapes, so no text (a headline with ``</script>``) can end the element."""
    text = orjson.dumps(data).decode()
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # safe: escaped above for a script data block


def _text(value: Localized) -> Text:
    return Text(km=value.km, en=value.en)
