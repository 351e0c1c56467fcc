"""The public record written out (``coordhub rebuttals export``): every rebuttal the public may
read, as CSV, JSON Lines or ClaimReview.

Rows are those of the public pages (``coordhub.public.records``, through
``visibility.public_rebuttals_filter``): a rebuttal with a published revision whose claim is
public. A draft, a rebuttal in review or approved but not yet published, and a correction not
yet published never appear; what is written of a rebuttal is its live revision (a published
correction: revision 2 or later), and a retracted one is written with its status, time and
reason. Rebuttals are read by id in pages of ``PAGE`` and written as they come, so memory does
not grow with the record; each page is read as it stands when it is read.

Every format is built from the ``RebuttalItem`` the public pages build for their ClaimReview
(``public.structured.rebuttal_item``), and ClaimReview is ``render_claimreview`` itself, the
renderer of outlets and pages: the export cannot say something else than they do. Unlike the
pages, which drop the markup of a retracted rebuttal, the export keeps it, marked as outlets get
it (``creativeWorkStatus: "Retracted"``), so a consumer of the file learns to withdraw it.
"""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

import orjson

from coordhub.connectors.formats import render_claimreview, render_claimreview_translations
from coordhub.connectors.types import Action, RebuttalItem, Text
from coordhub.models import Institution
from coordhub.public import records, urls
from coordhub.public.languages import LANGUAGES, Language
from coordhub.public.structured import rebuttal_item
from coordhub.workflow.errors import ErrorCode, WorkflowError
from coordhub.workflow.inputs import MAX_SLUG, storable

ExportFormat = Literal["csv", "jsonl", "claimreview"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "jsonl", "claimreview")
#: Rebuttals read per page (five statements each, whatever their size).
PAGE = 200

_FEED_START = '{"@context":"https://schema.org","@type":"DataFeed","dataFeedElement":[\n'
_FEED_END = "\n]}\n"


async def institution_id(slug: str) -> int:
    """The id of the institution with ``slug``, or NOT_FOUND."""
    row = await Institution.get_or_none(slug=slug) if storable(slug, MAX_SLUG) else None
    if row is None:
        raise WorkflowError(
            ErrorCode.NOT_FOUND,
            "No institution has that slug (see `coordhub institutions list`).",
            "institution",
        )
    return row.id


async def public_items(
    base_url: str, *, institution_id: int | None = None, page: int | None = None
) -> AsyncIterator[tuple[int, RebuttalItem]]:
    """Every public rebuttal, by id (only ``institution_id``'s if given): its id and the item
    of its live revision."""
    query = records.public_rebuttals()
    if institution_id is not None:
        query = query.filter(institution_id=institution_id)
    size = page or PAGE
    after = 0
    while True:
        ids = list(
            await query.filter(id__gt=after).order_by("id").limit(size).values_list("id", flat=True)
        )
        if not ids:
            return
        views = await records.rebuttals_by_id(ids)
        for rebuttal_id in ids:
            if rebuttal_id in views:
                yield rebuttal_id, rebuttal_item(views[rebuttal_id], base_url)
        after = ids[-1]


async def export_rebuttals(
    out: TextIO,
    format: ExportFormat,
    *,
    base_url: str,
    institution: str | None = None,
    language: Language | None = None,
) -> int:
    """Write the public record to ``out`` in ``format`` (``language``: only that language's
    text, and for ClaimReview only that language's review); how many rebuttals were written."""
    languages: tuple[Language, ...] = (language,) if language else LANGUAGES
    only = await institution_id(institution) if institution is not None else None
    count = 0
    if format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(csv_header(languages))
    elif format == "claimreview":
        out.write(_FEED_START)
    async for rebuttal_id, item in public_items(base_url, institution_id=only):
        if format == "csv":
            writer.writerow(csv_row(item, languages))
        elif format == "jsonl":
            out.write(orjson.dumps(json_record(item, languages)).decode() + "\n")
        else:
            for review in claim_reviews(rebuttal_id, item, base_url, language):
                out.write((",\n" if count else "") + orjson.dumps(review).decode())
                count += 1
            continue
        count += 1
    if format == "claimreview":
        out.write(_FEED_END)
    return count


def status(item: RebuttalItem) -> str:
    """PUBLISHED or RETRACTED: the status the public sees."""
    return "RETRACTED" if item.action == Action.RETRACT else "PUBLISHED"


def json_record(item: RebuttalItem, languages: tuple[Language, ...]) -> dict[str, Any]:
    """One JSON Lines record: the live revision, its claim and any retraction."""
    return {
        "id": item.id,
        "url": item.url,
        "status": status(item),
        "revision": item.revision,
        "verdict": item.verdict,
        "headline": _text(item.headline, languages),
        "body": _text(item.body, languages),
        "evidence": [
            {
                "url": e.url,
                "title": _text(e.title, languages),
                "note": _text(e.note, languages),
            }
            for e in item.evidence
        ],
        "institution": {
            "slug": item.institution.slug,
            "name": _text(item.institution.name, languages),
        },
        "claim": {
            "id": item.claim.id,
            "summary": _text(item.claim.summary, languages),
            "topic": item.claim.topic,
            "firstSeenAt": _time(item.claim.first_seen_at),
            "appearances": [
                {"url": a.url, "outlet": a.outlet, "seenAt": _time(a.seen_at)}
                for a in item.claim.appearances
            ],
        },
        "firstPublishedAt": _time(item.first_published_at),
        "publishedAt": _time(item.published_at),
        "retractedAt": _time(item.retracted_at),
        "retractionReason": (
            _text(item.retraction_reason, languages) if item.retraction_reason else None
        ),
    }


def csv_header(languages: tuple[Language, ...]) -> list[str]:
    """The CSV columns: one per field, one per language for texts."""

    def each(name: str) -> list[str]:
        return [f"{name}_{language}" for language in languages]

    return [
        "id",
        "url",
        "status",
        "revision",
        "verdict",
        "institution",
        *each("headline"),
        *each("body"),
        "evidence_urls",
        "claim_id",
        *each("claim_summary"),
        "topic",
        "first_published_at",
        "published_at",
        "retracted_at",
        *each("retraction_reason"),
    ]


def csv_row(item: RebuttalItem, languages: tuple[Language, ...]) -> list[str]:
    """One CSV row, in the order of ``csv_header``."""

    def each(text: Text) -> list[str]:
        return [getattr(text, language) for language in languages]

    return [
        item.id,
        item.url,
        status(item),
        str(item.revision),
        item.verdict,
        item.institution.slug,
        *each(item.headline),
        *each(item.body),
        " ".join(e.url for e in item.evidence),
        item.claim.id,
        *each(item.claim.summary),
        item.claim.topic,
        _time(item.first_published_at) or "",
        _time(item.published_at) or "",
        _time(item.retracted_at) or "",
        *(each(item.retraction_reason) if item.retraction_reason else ["" for _ in languages]),
    ]


def claim_reviews(
    rebuttal_id: int, item: RebuttalItem, base_url: str, language: Language | None
) -> list[dict[str, Any]]:
    """The item's ClaimReview in ``language`` at its page, or both linked as translations (as
    on the public pages)."""
    pages = {lang: urls.absolute(base_url, urls.rebuttal(lang, rebuttal_id)) for lang in LANGUAGES}
    if language is not None:
        return [render_claimreview(item, language, url=pages[language])]
    return render_claimreview_translations(item, pages)


def _text(text: Text, languages: tuple[Language, ...]) -> dict[str, str]:
    return {language: getattr(text, language) for language in languages}


def _time(value: datetime | None) -> str | None:
    if value is None:
        return None
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.isoformat().replace("+00:00", "Z")
