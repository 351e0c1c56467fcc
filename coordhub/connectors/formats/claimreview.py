"""schema.org ClaimReview JSON-LD for a rebuttal item (the markup fact-check search tools read)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from coordhub.connectors.formats._common import clean_text, iso_datetime, version_created
from coordhub.connectors.types import Action, AppearanceItem, RebuttalItem

BEST_RATING = 5
WORST_RATING = 1


class VerdictRating(NamedTuple):
    """How a verdict appears in a ClaimReview ``reviewRating``."""

    #: ``ratingValue`` on the scale from ``WORST_RATING`` (1) to ``BEST_RATING`` (5).
    value: int
    #: ``alternateName``: the human-readable verdict.
    label: str


#: Verdict (``RebuttalItem.verdict``) to its rating; read-only.
VERDICT_RATINGS: Mapping[str, VerdictRating] = MappingProxyType(
    {
        "FALSE": VerdictRating(1, "False"),
        "MISLEADING": VerdictRating(2, "Misleading"),
        "MISSING_CONTEXT": VerdictRating(3, "Missing context"),
        "UNSUPPORTED": VerdictRating(3, "Unsupported"),
        "ACCURATE": VerdictRating(5, "Accurate"),
    }
)


def render_claimreview(item: RebuttalItem) -> dict[str, Any]:
    """Render ``item`` as a ClaimReview JSON-LD object (English; ``inLanguage: "en"``).

    ``datePublished`` is the first publication; a later revision adds ``dateModified`` and, for
    a correction, a ``correction`` comment. ClaimReview has no retraction status: a retraction
    is rendered with ``creativeWorkStatus: "Retracted"``, and an outlet that can should rather
    remove the markup. Characters XML 1.0 forbids are dropped from all text.

    Raises ``ValueError`` for a verdict missing from ``VERDICT_RATINGS``. Pure: the same item
    always gives an equal object.
    """
    rating = VERDICT_RATINGS.get(item.verdict)
    if rating is None:
        raise ValueError(
            f"verdict {item.verdict!r} has no ClaimReview rating; expected one of "
            f"{sorted(VERDICT_RATINGS)}"
        )
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": clean_text(item.url),
        "headline": clean_text(item.headline.en),
        "claimReviewed": clean_text(item.claim.summary.en),
        "datePublished": iso_datetime(item.first_published_at),
        "inLanguage": "en",
        "author": {
            "@type": "Organization",
            "name": clean_text(item.institution.name.en),
            "alternateName": clean_text(item.institution.name.km),
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating.value,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": rating.label,
        },
        "itemReviewed": _claim(item),
    }
    if item.revision > 1 or item.action == Action.RETRACT:
        review["dateModified"] = iso_datetime(version_created(item))
    if item.is_correction:
        review["correction"] = {
            "@type": "CorrectionComment",
            "text": f"Revision {item.revision} corrects revision {item.revision - 1}.",
            "datePublished": iso_datetime(item.published_at),
        }
    if item.action == Action.RETRACT:
        review["creativeWorkStatus"] = "Retracted"
    return review


def _claim(item: RebuttalItem) -> dict[str, Any]:
    """The reviewed ``Claim`` with where it appeared, earliest sighting as ``firstAppearance``."""
    claim: dict[str, Any] = {"@type": "Claim"}
    appearances = item.claim.appearances
    if appearances:
        claim["appearance"] = [_creative_work(appearance) for appearance in appearances]
        # Compare normalized UTC strings: naive and aware times may be mixed. min() keeps the
        # first of equal times, so ties resolve by list order.
        first = min(appearances, key=lambda appearance: iso_datetime(appearance.seen_at))
        claim["firstAppearance"] = _creative_work(first)
    return claim


def _creative_work(appearance: AppearanceItem) -> dict[str, Any]:
    """One appearance of the claim: its address and the outlet or platform carrying it."""
    return {
        "@type": "CreativeWork",
        "url": clean_text(appearance.url),
        "publisher": {"@type": "Organization", "name": clean_text(appearance.outlet)},
    }
