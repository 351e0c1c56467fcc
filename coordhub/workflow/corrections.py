"""Correction requests: a reader asks, the rebuttal's institution answers, the answer is public.

A request is sent without an account from a published rebuttal's page (the web layer rate-limits
it per address and refuses cross-site posts). Nothing about the sender is kept: the text is
refused if it holds a phone number or an e-mail address, because an answered request is
public and nobody is contacted. The institution that published the rebuttal (its editors and
approvers) or the coordinator answers it: ``CORRECTED`` once a correction was published after
the request, or ``UPHELD`` with the reason the rebuttal stands; an abusive request is set aside
(``REJECTED``, with a note that is never public). Each move follows the workflow's shape: one
transaction, the row locked, the actor and the state checked, an event recorded.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from coordhub.actor import Actor
from coordhub.events.log import append, committed
from coordhub.models import (
    CorrectionOutcome,
    CorrectionRequest,
    CorrectionStatus,
    EventType,
    Institution,
    Rebuttal,
    RebuttalStatus,
    Role,
)
from coordhub.workflow.errors import conflict, invalid, invalid_transition, not_found
from coordhub.workflow.inputs import MAX_NOTE, Localized, clean_text, clean_url
from coordhub.workflow.permissions import require_member
from coordhub.workflow.personal_data import emails, phone_numbers, strip_tracking
from coordhub.workflow.visibility import correction_requests_filter, public_rebuttals_filter

#: The longest request: what is wrong, and why, in a few paragraphs.
MAX_REQUEST = 2_000
#: The shortest: a request must say what is wrong.
MIN_REQUEST = 10
#: Requests awaiting an answer per rebuttal. Past it new ones are refused until some are
#: answered: a flood cannot grow the table without bound.
MAX_OPEN_PER_REBUTTAL = 50
LANGUAGES = ("km", "en")
ANSWERERS = (Role.EDITOR, Role.APPROVER, Role.COORDINATOR)
REJECTERS = (Role.APPROVER, Role.COORDINATOR)


def clean_request_text(text: str, path: str = "text") -> str:
    """What the reader says is wrong: within bounds, and without contact details."""
    cleaned = clean_text(text, path, limit=MAX_REQUEST)
    if len(cleaned) < MIN_REQUEST:
        raise invalid(f"Say what is wrong, in at least {MIN_REQUEST} characters.", path)
    if emails(cleaned) or phone_numbers(cleaned):
        raise invalid(
            "Leave out phone numbers and e-mail addresses: an answered request is public, "
            "and nobody will contact you.",
            path,
        )
    return cleaned


def clean_source(url: str | None, path: str = "sourceUrl") -> str | None:
    """The reader's source: an absolute http(s) address without tracking parameters, or none."""
    if url is None or not url.strip():
        return None
    cleaned = strip_tracking(clean_url(url, path))
    if emails(cleaned):
        raise invalid("Leave out e-mail addresses: give the address of a source.", path)
    return cleaned


async def request_correction(
    rebuttal_id: int, *, language: str, text: str, source_url: str | None = None
) -> CorrectionRequest:
    """Record a reader's request to correct a published rebuttal (no account, no actor)."""
    if language not in LANGUAGES:
        raise invalid("Language must be km or en.", "language")
    text = clean_request_text(text)
    source = clean_source(source_url)
    async with in_transaction():
        rebuttal = (
            await Rebuttal.filter(public_rebuttals_filter(), id=rebuttal_id)
            .select_for_update()
            .first()
        )
        if rebuttal is None or rebuttal.live_revision is None:
            raise not_found("rebuttal", "rebuttalId")
        if rebuttal.status == RebuttalStatus.RETRACTED:
            raise invalid_transition(
                "This rebuttal was retracted: it no longer stands, so there is nothing to correct."
            )
        waiting = CorrectionRequest.filter(rebuttal_id=rebuttal.id, status=CorrectionStatus.OPEN)
        if await waiting.count() >= MAX_OPEN_PER_REBUTTAL:
            raise conflict(
                "This rebuttal has many requests awaiting an answer: try again in a few days.",
                "rebuttalId",
            )
        request = await CorrectionRequest.create(
            rebuttal_id=rebuttal.id,
            revision=rebuttal.live_revision,
            language=language,
            text=text,
            source_url=source,
            status=CorrectionStatus.OPEN,
            requested_at=datetime.now(UTC),
        )
        await _record(EventType.CORRECTION_REQUESTED, None, request, rebuttal)
    await committed()
    return request


async def answer_correction(
    actor: Actor | None, request_id: int, outcome: CorrectionOutcome, answer: Localized
) -> CorrectionRequest:
    """Answer an open request, publicly, in Khmer and English (the rebuttal's institution's
    editors and approvers, or the coordinator). ``CORRECTED`` needs a correction of the
    rebuttal published after the request."""
    answer = answer.cleaned("answer", limit=MAX_NOTE)
    async with in_transaction():
        request, rebuttal = await _locked(actor, request_id)
        actor = require_member(
            actor, ANSWERERS, [rebuttal.institution_id], "answer this correction request"
        )
        _require_open(request)
        corrected = (rebuttal.live_revision or 0) > request.revision
        if outcome == CorrectionOutcome.CORRECTED and not corrected:
            raise invalid_transition(
                f"No correction was published since revision {request.revision}, which the "
                "request is about: publish the correction first (reviseRebuttal, then review "
                "and publishRebuttal), or answer UPHELD with why the rebuttal stands."
            )
        request.status = CorrectionStatus.ANSWERED
        request.outcome = outcome
        request.answer_km, request.answer_en = answer.km, answer.en
        request.answered_by_id = actor.account_id
        request.answered_at = datetime.now(UTC)
        await request.save()
        await _record(EventType.CORRECTION_ANSWERED, actor, request, rebuttal, public=True)
    await committed()
    return request


async def reject_correction(actor: Actor | None, request_id: int, note: str) -> CorrectionRequest:
    """Set aside an abusive open request (spam, insults, personal data) with a note that stays
    internal (the rebuttal's institution's approvers, or the coordinator). It is never public."""
    note = clean_text(note, "note", limit=MAX_NOTE)
    async with in_transaction():
        request, rebuttal = await _locked(actor, request_id)
        actor = require_member(
            actor, REJECTERS, [rebuttal.institution_id], "set aside this correction request"
        )
        _require_open(request)
        request.status = CorrectionStatus.REJECTED
        request.rejection_note = note
        request.answered_by_id = actor.account_id
        request.answered_at = datetime.now(UTC)
        await request.save()
        await _record(EventType.CORRECTION_REJECTED, actor, request, rebuttal)
    await committed()
    return request


async def _locked(actor: Actor | None, request_id: int) -> tuple[CorrectionRequest, Rebuttal]:
    request = (
        await CorrectionRequest.filter(correction_requests_filter(actor), id=request_id)
        .select_for_update()
        .first()
    )
    if request is None:
        raise not_found("correction request", "id")
    return request, await Rebuttal.get(id=request.rebuttal_id)


def _require_open(request: CorrectionRequest) -> None:
    if request.status != CorrectionStatus.OPEN:
        raise invalid_transition(
            f"This request is {request.status.value}: only an OPEN one can be answered or set "
            "aside."
        )


async def _record(
    event_type: EventType,
    actor: Actor | None,
    request: CorrectionRequest,
    rebuttal: Rebuttal,
    *,
    public: bool = False,
) -> None:
    slug = (await Institution.get(id=rebuttal.institution_id)).slug
    payload: dict[str, object] = {"correctionRequest": request.id, "revision": request.revision}
    if request.outcome is not None:
        payload["outcome"] = request.outcome.value
    await append(
        event_type,
        actor=actor,
        claim_id=rebuttal.claim_id,
        rebuttal_id=rebuttal.id,
        institutions=[slug],
        public=public,
        payload=payload,
    )
