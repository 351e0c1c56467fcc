"""schema.org ClaimReview JSON-LD for a rebuttal item (the markup fact-check search tools read),
in English or Khmer, and the pair of both linked as translations of each other."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from coordhub.connectors.formats._common import clean_text, iso_datetime, version_created
from coordhub.connectors.types import Action, AppearanceItem, RebuttalItem

BEST_RATING = 5
WORST_RATING = 1

#: The languages a review can be rendered in.
Language = Literal["en", "km"]


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

#: The verdict labels (``reviewRating.alternateName``) of the Khmer review; read-only.
VERDICT_LABELS_KM: Mapping[str, str] = MappingProxyType(
    {
        "FALSE": "មិនពិត",
        "MISLEADING": "បំភាន់",
        "MISSING_CONTEXT": "ខ្វះបរិបទ",
        "UNSUPPORTED": "គ្មានភស្តុតាងគាំទ្រ",
        "ACCURATE": "ត្រឹមត្រូវ",
    }
)


def render_claimreview(
    item: RebuttalItem, language: Language = "en", *, url: str | None = None
) -> dict[str, Any]:
    """Render ``item`` as a ClaimReview JSON-LD object in ``language`` (``inLanguage``).

    Headline, claim, rating label and the institution's name are those of ``language``; the
    institution's name in the other language is its ``alternateName``. ``url`` is the address of
    the page in that language (by default the item's canonical ``url``).

    ``datePublished`` is the first publication; a later revision adds ``dateModified`` and, for
    a correction, a ``correction`` comment. ClaimReview has no retraction status: a retraction
    is rendered with ``creativeWorkStatus: "Retracted"``, and an outlet that can should rather
    remove the markup. Characters XML 1.0 forbids are dropped from all text.

    Raises ``ValueError`` for a verdict missing from ``VERDICT_RATINGS`` or an unknown
    language. Pure: the same item always gives an equal object.
    """
    if language not in ("en", "km"):
        raise ValueError(f"unsupported language {language!r}; expected 'en' or 'km'")
    rating = VERDICT_RATINGS.get(item.verdict)
    if rating is None:
        raise ValueError(
            f"verdict {item.verdict!r} has no ClaimReview rating; expected one of "
            f"{sorted(VERDICT_RATINGS)}"
        )
    other: Language = "km" if language == "en" else "en"
    label = rating.label if language == "en" else VERDICT_LABELS_KM[item.verdict]
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": clean_text(url or item.url),
        "headline": clean_text(getattr(item.headline, language)),
        "claimReviewed": clean_text(getattr(item.claim.summary, language)),
        "datePublished": iso_datetime(item.first_published_at),
        "inLanguage": language,
        "author": {
            "@type": "Organization",
            "name": clean_text(getattr(item.institution.name, language)),
            "alternateName": clean_text(getattr(item.institution.name, other)),
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating.value,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": label,
        },
        "itemReviewed": _claim(item),
    }
    if item.revision > 1 or item.action == Action.RETRACT:
        review["dateModified"] = iso_datetime(version_created(item))
    if item.is_correction:
        review["correction"] = {
            "@type": "CorrectionComment",
            "text": _correction_text(item.revision, language),
            "datePublished": iso_datetime(item.published_at),
        }
    if item.action == Action.RETRACT:
        review["creativeWorkStatus"] = "Retracted"
    return review


def render_claimreview_translations(
    item: RebuttalItem, urls: Mapping[Language, str]
) -> list[dict[str, Any]]:
    """Both languages' ClaimReviews of ``item``, each at its page address in ``urls``, linked
    as translations: every object gets ``@id`` (its address); the English one names the Khmer
    one in ``workTranslation`` and the Khmer one names the English one in ``translationOfWork``
    (English is the item's main language, as in the ninjs and NewsML-G2 renderers).

    Returned English first. Raises ``ValueError`` as ``render_claimreview`` does, or when
    ``urls`` lacks a language. Pure.
    """
    missing = {"en", "km"} - set(urls)
    if missing:
        raise ValueError(f"urls lacks the page address of {sorted(missing)}")
    reviews: list[dict[str, Any]] = []
    for language in ("en", "km"):
        review = {"@id": clean_text(urls[language])}
        review.update(render_claimreview(item, language, url=urls[language]))
        reviews.append(review)
    english, khmer = reviews
    english["workTranslation"] = [{"@id": khmer["@id"]}]
    khmer["translationOfWork"] = {"@id": english["@id"]}
    return reviews


def _correction_text(revision: int, language: Language) -> str:
    if language == "km":
        return f"កំណែទី {revision} កែតម្រូវកំណែទី {revision - 1}។"
    return f"Revision {revision} corrects revision {revision - 1}."


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
