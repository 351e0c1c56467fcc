"""The append-only event log: audit trail, subscription stream and reconciliation feed."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model


class EventType(StrEnum):
    """Every state change the system records."""

    CLAIM_REPORTED = "CLAIM_REPORTED"
    CLAIM_TRIAGED = "CLAIM_TRIAGED"
    CLAIM_DISMISSED = "CLAIM_DISMISSED"
    CLAIM_MERGED = "CLAIM_MERGED"
    CLAIM_REBUTTED = "CLAIM_REBUTTED"
    CLAIM_REOPENED = "CLAIM_REOPENED"
    CLAIM_APPEARANCE_ADDED = "CLAIM_APPEARANCE_ADDED"
    CLAIM_LINKED = "CLAIM_LINKED"
    CLAIM_UNLINKED = "CLAIM_UNLINKED"
    CLAIM_DUE_SOON = "CLAIM_DUE_SOON"
    CLAIM_OVERDUE = "CLAIM_OVERDUE"
    REBUTTAL_DRAFTED = "REBUTTAL_DRAFTED"
    REBUTTAL_UPDATED = "REBUTTAL_UPDATED"
    REBUTTAL_SUBMITTED = "REBUTTAL_SUBMITTED"
    REBUTTAL_APPROVED = "REBUTTAL_APPROVED"
    REBUTTAL_CHANGES_REQUESTED = "REBUTTAL_CHANGES_REQUESTED"
    REBUTTAL_SCHEDULED = "REBUTTAL_SCHEDULED"
    REBUTTAL_UNSCHEDULED = "REBUTTAL_UNSCHEDULED"
    REBUTTAL_PUBLISHED = "REBUTTAL_PUBLISHED"
    REBUTTAL_REVISION_OPENED = "REBUTTAL_REVISION_OPENED"
    REBUTTAL_RETRACTED = "REBUTTAL_RETRACTED"
    DELIVERY_DELIVERED = "DELIVERY_DELIVERED"
    DELIVERY_RETRYING = "DELIVERY_RETRYING"
    DELIVERY_FAILED = "DELIVERY_FAILED"
    DELIVERY_REQUEUED = "DELIVERY_REQUEUED"
    CONNECTOR_DISABLED = "CONNECTOR_DISABLED"
    CONNECTOR_ENABLED = "CONNECTOR_ENABLED"
    TOKEN_REVOKED = "TOKEN_REVOKED"
    INSTITUTION_ADDED = "INSTITUTION_ADDED"
    CORRECTION_REQUESTED = "CORRECTION_REQUESTED"
    CORRECTION_ANSWERED = "CORRECTION_ANSWERED"
    CORRECTION_REJECTED = "CORRECTION_REJECTED"


class Event(Model):
    """One recorded state change. ``seq`` is commit-ordered (see ``coordhub.events.log``)."""

    seq = fields.BigIntField(primary_key=True, generated=False)
    type = fields.CharEnumField(EventType, max_length=40)
    claim_id = fields.IntField(null=True, db_index=True)
    rebuttal_id = fields.IntField(null=True, db_index=True)
    delivery_id = fields.BigIntField(null=True)
    #: Slugs of the institutions the event concerns, as "|moi|health|" (portable LIKE filter).
    scope = fields.CharField(max_length=1024, default="|")
    actor_id = fields.IntField(null=True)
    actor_role = fields.CharField(max_length=16, null=True)
    actor_institution = fields.CharField(max_length=64, null=True)
    #: Whether anyone, without a token, may read this event.
    public = fields.BooleanField(default=False)
    at = fields.DatetimeField()
    payload: Any = fields.JSONField(default=dict)

    class Meta:
        table = "event"

    @property
    def institutions(self) -> list[str]:
        """The slugs of the institutions the event concerns."""
        return [slug for slug in self.scope.split("|") if slug]


class PendingEvent(Model):
    """An event written on PostgreSQL, committed but not yet numbered.

    ``coordhub.events.log`` moves it into ``event``, with its ``seq``, right after its commit.
    """

    id = fields.BigIntField(primary_key=True)
    type = fields.CharEnumField(EventType, max_length=40)
    claim_id = fields.IntField(null=True)
    rebuttal_id = fields.IntField(null=True)
    delivery_id = fields.BigIntField(null=True)
    scope = fields.CharField(max_length=1024, default="|")
    actor_id = fields.IntField(null=True)
    actor_role = fields.CharField(max_length=16, null=True)
    actor_institution = fields.CharField(max_length=64, null=True)
    public = fields.BooleanField(default=False)
    at = fields.DatetimeField()
    payload: Any = fields.JSONField(default=dict)

    class Meta:
        table = "pending_event"


class Counter(Model):
    """A named counter row - incrementing it inside a transaction serialises writers."""

    name = fields.CharField(max_length=32, primary_key=True)
    value = fields.BigIntField(default=0)

    class Meta:
        table = "counter"


class LogEpoch(Model):
    """The log's epoch: one row, holding a random token.

    The token is drawn when the database is created (migration 0013) and drawn again by
    ``coordhub log new-epoch`` after a restore from a backup.

    Every cursor and every idempotency key carries it (see ``coordhub.events.epoch``), so a
    restored database, whose sequences hand out numbers again, refuses the cursors taken after
    its backup and never issues a key an outlet has already seen.
    """

    id = fields.IntField(primary_key=True, generated=False)
    token = fields.CharField(max_length=16)

    class Meta:
        table = "log_epoch"
