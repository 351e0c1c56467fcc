"""Who may read what: the object-level read rules, as query filters.

Every read path (lists, ``node(id:)``, nested fields, loaders) applies these, so a record a
caller may not see is indistinguishable from one that does not exist.

- public callers, reporters and services read public records only (reporters also read the
  claims they reported);
- coordinators and observers read everything;
- editors and approvers read public records plus what concerns their institution.
"""

from __future__ import annotations

from tortoise.expressions import Q, Subquery

from coordhub.actor import Actor
from coordhub.models import (
    Claim,
    ClaimSupport,
    CorrectionStatus,
    Event,
    Rebuttal,
    RebuttalStatus,
    Role,
)

EVERYTHING = Q()


def claims_filter(actor: Actor | None) -> Q:
    """Claims the actor may read."""
    if actor is not None and actor.reads_everything:
        return EVERYTHING
    own = claims_own(actor)
    return Q(public=True) if own is None else Q(public=True) | own


def claims_own(actor: Actor | None) -> Q | None:
    """Claims the actor may read besides the public ones, because they concern it: those it
    reported, and for an institution's staff those the institution leads, supports or answers.
    ``None`` for the public and services (public claims only); not for those who read
    everything (``claims_filter`` is no condition for them)."""
    if actor is None or actor.role == Role.SERVICE or actor.reads_everything:
        return None
    own = Q(reported_by_id=actor.account_id)
    if actor.acts_for_institution:
        supported = ClaimSupport.filter(institution_id=actor.institution_id).values("claim_id")
        own |= Q(lead_institution_id=actor.institution_id) | Q(id__in=Subquery(supported))
        own |= Q(
            id__in=Subquery(Rebuttal.filter(institution_id=actor.institution_id).values("claim_id"))
        )
    return own


def readers_class(actor: Actor | None) -> tuple[object, ...]:
    """Who ``claims_filter`` and ``rebuttals_filter`` see the actor as: two actors of the same
    class get the same filters (for those who keep a statement built for one, such as
    ``schema/compiled/reads.py``). Everyone who reads everything is one class, the public and
    services another; anyone else reads what concerns their own account or institution."""
    if actor is None or actor.role == Role.SERVICE:
        return ("public",)
    if actor.reads_everything:
        return ("everything",)
    institution = actor.institution_id if actor.acts_for_institution else None
    return ("own", actor.account_id, institution)


def rebuttals_filter(actor: Actor | None) -> Q:
    """Rebuttals the actor may read (a rebuttal is public once a revision was published)."""
    if actor is None or not (actor.reads_everything or actor.acts_for_institution):
        return Q(live_revision__isnull=False)
    if actor.reads_everything:
        return EVERYTHING
    return Q(live_revision__isnull=False) | Q(institution_id=actor.institution_id)


NOTHING = Q(id__in=[])


def public_rebuttals_filter() -> Q:
    """Rebuttals the public may read whose claim the public may read too: what the public
    record (pages, feeds, statistics) shows."""
    public_claims = Claim.filter(claims_filter(None)).values("id")
    return rebuttals_filter(None) & Q(claim_id__in=Subquery(public_claims))


def correction_requests_filter(actor: Actor | None) -> Q:
    """Correction requests the actor may read: answered ones are public; coordinators and
    observers read all; an institution's staff also those of its own rebuttals."""
    answered = Q(status=CorrectionStatus.ANSWERED)
    if actor is not None and actor.reads_everything:
        return EVERYTHING
    if actor is not None and actor.acts_for_institution:
        own = Rebuttal.filter(institution_id=actor.institution_id).values("id")
        return answered | Q(rebuttal_id__in=Subquery(own))
    return answered


def can_read_working_copy(actor: Actor | None, institution_id: int) -> bool:
    """Whether the actor may read a rebuttal's unpublished working copy and its reviews."""
    if actor is None:
        return False
    if actor.reads_everything:
        return True
    return actor.acts_for_institution and actor.institution_id == institution_id


def public_status(row: Rebuttal) -> RebuttalStatus:
    """A rebuttal's status as shown to those who may not read its working copy.

    Once a revision is live, a correction under way stays invisible: they see PUBLISHED.
    """
    if row.status == RebuttalStatus.RETRACTED or row.live_revision is None:
        return row.status
    return RebuttalStatus.PUBLISHED


def status_as_seen_by(actor: Actor | None, row: Rebuttal) -> RebuttalStatus:
    """A rebuttal's status as the actor sees it: real or public."""
    if can_read_working_copy(actor, row.institution_id):
        return row.status
    return public_status(row)


def _public_status_in(statuses: list[RebuttalStatus]) -> Q:
    """Rebuttals whose public status is one of ``statuses``."""
    q = NOTHING
    if RebuttalStatus.PUBLISHED in statuses:
        q |= Q(live_revision__isnull=False) & ~Q(status=RebuttalStatus.RETRACTED)
    if RebuttalStatus.RETRACTED in statuses:
        q |= Q(status=RebuttalStatus.RETRACTED)
    return q


def rebuttals_in_status(actor: Actor | None, statuses: list[RebuttalStatus]) -> Q:
    """Rebuttals whose status, as the actor sees it (``status_as_seen_by``), is in ``statuses``."""
    real = Q(status__in=statuses)
    if actor is not None and actor.reads_everything:
        return real
    public = _public_status_in(statuses)
    if actor is None or not actor.acts_for_institution:
        return public
    # Q() and its negation both mean "no condition" to Tortoise: spell both sides out.
    own = Q(institution_id=actor.institution_id)
    return (own & real) | (~own & public)


def can_read_event(actor: Actor | None, event: Event) -> bool:
    """``events_filter`` for one event already in memory (live subscriptions)."""
    if event.public or (actor is not None and actor.reads_everything):
        return True
    return (
        actor is not None
        and actor.acts_for_institution
        and f"|{actor.institution_slug}|" in event.scope
    )


def events_filter(actor: Actor | None) -> Q:
    """Events the actor may read."""
    if actor is None or not (actor.reads_everything or actor.acts_for_institution):
        return Q(public=True)
    if actor.reads_everything:
        return EVERYTHING
    return Q(public=True) | Q(scope__contains=f"|{actor.institution_slug}|")


def deliveries_filter(actor: Actor | None) -> Q:
    """Deliveries the actor may read: operators all, an institution its own rebuttals'."""
    if actor is None:
        return NOTHING
    if actor.reads_everything:
        return Q()
    if actor.acts_for_institution:
        return Q(rebuttal__institution_id=actor.institution_id)
    return NOTHING
