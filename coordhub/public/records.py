"""The public records the pages and feeds show, read as the public sees them.

Every row comes through the read rules of ``coordhub.workflow.visibility`` with actor ``None``:
a rebuttal is shown only once a revision is published, and only if its claim is public; a claim
only if it is public. What is shown of a rebuttal is its *published revisions* and its
retraction, never the working copy on the rebuttal row (a correction under way stays invisible
until it is published). Lists load their rows in a fixed number of queries, whatever their
length.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_
from typing import Generic, TypeVar

from tortoise.expressions import Q
from tortoise.functions import Count, Max
from tortoise.queryset import QuerySet

from coordhub.models import (
    Appearance,
    Claim,
    ClaimStatus,
    CorrectionOutcome,
    CorrectionRequest,
    CorrectionStatus,
    Event,
    EventType,
    Evidence,
    Institution,
    InstitutionKind,
    Rebuttal,
    RebuttalRevision,
    RebuttalStatus,
)
from coordhub.public.languages import Language
from coordhub.workflow.visibility import (
    claims_filter,
    correction_requests_filter,
    public_rebuttals_filter,
)

#: The public events that change what a rebuttal's page shows: a publication (the first or a
#: correction) and a retraction.
REBUTTAL_CHANGES = (EventType.REBUTTAL_PUBLISHED, EventType.REBUTTAL_RETRACTED)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Localized:
    """A text in Khmer and English; ``text[language]`` picks one."""

    km: str
    en: str

    def __getitem__(self, language: Language) -> str:
        return self.km if language == "km" else self.en


@dataclass(frozen=True, slots=True)
class InstitutionView:
    id: int
    slug: str
    name: Localized
    kind: str


@dataclass(frozen=True, slots=True)
class EvidenceView:
    url: str
    title: Localized
    #: Either language may be empty.
    note: Localized


@dataclass(frozen=True, slots=True)
class RevisionView:
    """One published, immutable revision."""

    number: int
    verdict: str
    headline: Localized
    body: Localized
    evidence: tuple[EvidenceView, ...]
    published_at: datetime


@dataclass(frozen=True, slots=True)
class AppearanceView:
    """Where a claim was seen: an address, an outlet or platform, a time (never a person)."""

    url: str
    outlet: str
    seen_at: datetime


@dataclass(frozen=True, slots=True)
class ClaimView:
    id: int
    summary: Localized
    topic: str
    first_seen_at: datetime
    appearances: tuple[AppearanceView, ...]


@dataclass(frozen=True, slots=True)
class RebuttalView:
    """A public rebuttal: its revisions (oldest first; the last is live) and any retraction."""

    id: int
    institution: InstitutionView
    claim: ClaimView
    revisions: tuple[RevisionView, ...]
    first_published_at: datetime
    retracted_at: datetime | None
    retraction_reason: Localized | None

    @property
    def live(self) -> RevisionView:
        return self.revisions[-1]

    @property
    def retracted(self) -> bool:
        return self.retracted_at is not None

    @property
    def updated_at(self) -> datetime:
        """When what the public reads last changed: the retraction, else the live revision."""
        return self.retracted_at or self.live.published_at


@dataclass(frozen=True, slots=True)
class DismissalView:
    """A dismissed claim with its public reason."""

    claim: ClaimView
    reason: str
    note: Localized
    dismissed_at: datetime
    lead: InstitutionView | None


@dataclass(frozen=True, slots=True)
class AnsweredRequestView:
    """A reader's correction request and the institution's public answer."""

    id: int
    revision: int
    language: str
    text: str
    source_url: str | None
    outcome: str
    answer: Localized
    requested_at: datetime
    answered_at: datetime


@dataclass(frozen=True, slots=True)
class CorrectionsView:
    """What a rebuttal's page shows of its correction requests: the answered ones, oldest
    first, and how many await an answer (their text stays unpublished until answered)."""

    answered: tuple[AnsweredRequestView, ...]
    awaiting: int


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list, and whether another follows."""

    items: tuple[T, ...]
    number: int
    has_next: bool


def public_rebuttals() -> QuerySet[Rebuttal]:
    """Rebuttals the public may read, whose claim the public may read too."""
    return Rebuttal.filter(public_rebuttals_filter())


async def institutions() -> dict[int, InstitutionView]:
    """Every institution (all are public), the coordinator first, then by English name."""
    rows = await Institution.all()
    rows.sort(key=lambda row: (row.kind != InstitutionKind.COORDINATOR, row.name_en, row.id))
    return {row.id: _institution(row) for row in rows}


async def institution_by_slug(slug: str) -> InstitutionView | None:
    row = await Institution.get_or_none(slug=slug)
    return _institution(row) if row else None


async def rebuttal(rebuttal_id: int) -> RebuttalView | None:
    """One public rebuttal, or ``None`` when the public may not read it (or it does not exist)."""
    found = await rebuttals_by_id([rebuttal_id])
    return found.get(rebuttal_id)


async def correction_requests(rebuttal_id: int) -> CorrectionsView:
    """A public rebuttal's answered correction requests and the count of open ones."""
    requests = CorrectionRequest.filter(rebuttal_id=rebuttal_id)
    answered = await requests.filter(correction_requests_filter(None)).order_by("answered_at", "id")
    awaiting = await requests.filter(status=CorrectionStatus.OPEN).count()
    return CorrectionsView(
        tuple(
            AnsweredRequestView(
                id=row.id,
                revision=row.revision,
                language=row.language,
                text=row.text,
                source_url=row.source_url,
                outcome=(row.outcome or CorrectionOutcome.UPHELD).value,
                answer=Localized(row.answer_km or "", row.answer_en or ""),
                requested_at=row.requested_at,
                answered_at=row.answered_at or row.requested_at,
            )
            for row in answered
        ),
        awaiting,
    )


async def latest_rebuttals(
    page: int, size: int, *, institution_id: int | None = None
) -> Page[RebuttalView]:
    """Public rebuttals, newest first publication first."""
    query = public_rebuttals()
    if institution_id is not None:
        query = query.filter(institution_id=institution_id)
    rows = await query.order_by("-published_at", "-id").offset((page - 1) * size).limit(size + 1)
    ids = [row.id for row in rows[:size]]
    found = await _views(rows[:size])
    return Page(tuple(found[i] for i in ids if i in found), page, len(rows) > size)


async def recently_changed(
    limit: int, *, institution_slug: str | None = None
) -> list[RebuttalView]:
    """Public rebuttals by their latest publication or retraction, newest first: the order of
    the public event log, so a correction or a retraction brings a rebuttal back to the top."""
    events = Event.filter(public=True, type__in=REBUTTAL_CHANGES, rebuttal_id__isnull=False)
    if institution_slug is not None:
        events = events.filter(scope__contains=f"|{institution_slug}|")
    latest = (
        await events.annotate(last=Max("seq"))
        .group_by("rebuttal_id")
        .order_by("-last")
        .limit(limit)
        .values_list("rebuttal_id", flat=True)
    )
    ids = [int(rebuttal_id) for rebuttal_id in latest]
    found = await rebuttals_by_id(ids)
    return [found[i] for i in ids if i in found]


async def rebuttals_by_id(ids: Iterable[int]) -> dict[int, RebuttalView]:
    """The public rebuttals among ``ids``, with everything their pages show."""
    wanted = list(ids)
    if not wanted:
        return {}
    return await _views(await public_rebuttals().filter(id__in=wanted))


async def sitemap_rebuttals(limit: int) -> list[tuple[int, datetime]]:
    """Public rebuttals (newest first publication first) with when each last changed."""
    rows = (
        await public_rebuttals()
        .order_by("-published_at", "-id")
        .limit(limit)
        .values_list("id", "retracted_at")
    )
    ids = [int(row[0]) for row in rows]
    last = dict(
        await RebuttalRevision.filter(rebuttal_id__in=ids)
        .annotate(last=Max("published_at"))
        .group_by("rebuttal_id")
        .values_list("rebuttal_id", "last")
    )
    return [(int(i), retracted or last[i]) for i, retracted in rows if i in last]


async def dismissed_claims(
    page: int, size: int, *, institution_id: int | None = None
) -> Page[DismissalView]:
    """Public dismissed claims, the latest dismissal first."""
    query = Claim.filter(claims_filter(None), status=ClaimStatus.DISMISSED)
    if institution_id is not None:
        query = query.filter(lead_institution_id=institution_id)
    rows = await query.order_by("-dismissed_at", "-id").offset((page - 1) * size).limit(size + 1)
    shown = rows[:size]
    claims = await _claims(shown)
    everyone = await institutions() if shown else {}
    items = tuple(
        DismissalView(
            claim=claims[row.id],
            reason=row.dismissal_reason.value if row.dismissal_reason else "",
            note=Localized(row.dismissal_note_km or "", row.dismissal_note_en or ""),
            dismissed_at=row.dismissed_at or row.updated_at,
            lead=everyone.get(row.lead_institution_id) if row.lead_institution_id else None,
        )
        for row in shown
    )
    return Page(items, page, len(rows) > size)


async def rebuttal_counts() -> dict[int, int]:
    """How many public rebuttals (retracted ones included) each institution has, by its id."""
    rows = (
        await public_rebuttals()
        .annotate(count=Count("id"))
        .group_by("institution_id")
        .values_list("institution_id", "count")
    )
    return {int(institution_id): int(count) for institution_id, count in rows}


async def _views(rows: list[Rebuttal]) -> dict[int, RebuttalView]:
    """Views of rebuttal rows already read through the rules: five queries for any number."""
    if not rows:
        return {}
    revisions = await RebuttalRevision.filter(
        reduce(or_, (Q(rebuttal_id=row.id, number__lte=row.live_revision) for row in rows))
    ).order_by("rebuttal_id", "number")
    evidence: dict[int, list[EvidenceView]] = defaultdict(list)
    for item in await Evidence.filter(revision_id__in=[r.id for r in revisions]).order_by(
        "revision_id", "position"
    ):
        evidence[item.revision_id].append(
            EvidenceView(
                item.url,
                Localized(item.title_km, item.title_en),
                Localized(item.note_km, item.note_en),
            )
        )
    by_rebuttal: dict[int, list[RevisionView]] = defaultdict(list)
    for revision in revisions:
        by_rebuttal[revision.rebuttal_id].append(
            RevisionView(
                number=revision.number,
                verdict=revision.verdict.value,
                headline=Localized(revision.headline_km, revision.headline_en),
                body=Localized(revision.body_km, revision.body_en),
                evidence=tuple(evidence[revision.id]),
                published_at=revision.published_at,
            )
        )
    claims = await _claims(
        await Claim.filter(claims_filter(None), id__in=[r.claim_id for r in rows])
    )
    everyone = await institutions()
    views = {}
    for row in rows:
        if row.claim_id not in claims or not by_rebuttal[row.id] or row.published_at is None:
            continue
        views[row.id] = RebuttalView(
            id=row.id,
            institution=everyone[row.institution_id],
            claim=claims[row.claim_id],
            revisions=tuple(by_rebuttal[row.id]),
            first_published_at=row.published_at,
            retracted_at=row.retracted_at if row.status == RebuttalStatus.RETRACTED else None,
            retraction_reason=_retraction_reason(row),
        )
    return views


def _retraction_reason(row: Rebuttal) -> Localized | None:
    """A retracted rebuttal's public reason (missing halves empty); None unless retracted."""
    if row.status != RebuttalStatus.RETRACTED:
        return None
    return Localized(row.retraction_reason_km or "", row.retraction_reason_en or "")


async def _claims(rows: list[Claim]) -> dict[int, ClaimView]:
    """Views of claim rows already read through the rules, with their appearances."""
    if not rows:
        return {}
    appearances: dict[int, list[AppearanceView]] = defaultdict(list)
    for item in await Appearance.filter(claim_id__in=[row.id for row in rows]).order_by(
        "claim_id", "seen_at", "id"
    ):
        appearances[item.claim_id].append(AppearanceView(item.url, item.outlet, item.seen_at))
    return {
        row.id: ClaimView(
            id=row.id,
            summary=Localized(row.summary_km, row.summary_en),
            topic=row.topic,
            first_seen_at=row.first_seen_at,
            appearances=tuple(appearances[row.id]),
        )
        for row in rows
    }


def _institution(row: Institution) -> InstitutionView:
    return InstitutionView(row.id, row.slug, Localized(row.name_km, row.name_en), row.kind.value)
