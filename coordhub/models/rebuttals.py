"""Rebuttals, their immutable published revisions with evidence, and review decisions."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from coordhub.models.accounts import Account
    from coordhub.models.claims import Claim
    from coordhub.models.institutions import Institution


class RebuttalStatus(StrEnum):
    """Where a rebuttal's working copy stands - a published revision stays live meanwhile."""

    DRAFT = "DRAFT"
    IN_REVIEW = "IN_REVIEW"
    CHANGES_REQUESTED = "CHANGES_REQUESTED"
    APPROVED = "APPROVED"
    #: Approved and to be published by the worker at ``publish_at``.
    SCHEDULED = "SCHEDULED"
    PUBLISHED = "PUBLISHED"
    RETRACTED = "RETRACTED"


class Verdict(StrEnum):
    """The rating of the claim - maps to a ClaimReview rating."""

    FALSE = "FALSE"
    MISLEADING = "MISLEADING"
    MISSING_CONTEXT = "MISSING_CONTEXT"
    UNSUPPORTED = "UNSUPPORTED"
    ACCURATE = "ACCURATE"


class ReviewDecision(StrEnum):
    """An approver's decision on a submitted rebuttal."""

    APPROVE = "APPROVE"
    REQUEST_CHANGES = "REQUEST_CHANGES"


class Rebuttal(Model):
    """An institution's answer to a claim - the draft fields are the working copy."""

    id = fields.IntField(primary_key=True)
    claim: fields.ForeignKeyRelation[Claim] = fields.ForeignKeyField(
        "models.Claim", related_name="rebuttals", on_delete=fields.RESTRICT
    )
    claim_id: int
    institution: fields.ForeignKeyRelation[Institution] = fields.ForeignKeyField(
        "models.Institution", related_name="rebuttals", on_delete=fields.RESTRICT
    )
    institution_id: int
    status = fields.CharEnumField(RebuttalStatus, max_length=24, db_index=True)
    verdict = fields.CharEnumField(Verdict, max_length=24)
    headline_km = fields.TextField()
    headline_en = fields.TextField()
    body_km = fields.TextField()
    body_en = fields.TextField()
    # The working copy's evidence: ``{url, title_km, title_en, note_km, note_en}`` each, the
    # columns of ``Evidence``.
    evidence: Any = fields.JSONField(default=list)
    channels: Any = fields.JSONField(default=list)
    #: Accounts that edited the working copy since the last publication - none may approve it.
    draft_authors: Any = fields.JSONField(default=list)
    created_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    live_revision = fields.IntField(null=True)
    #: The live revision's verdict, so that filters never reveal the working copy's.
    live_verdict = fields.CharEnumField(Verdict, max_length=24, null=True)
    published_at = fields.DatetimeField(null=True, db_index=True)
    #: While SCHEDULED: when the worker publishes the working copy, and who asked for it.
    publish_at = fields.DatetimeField(null=True, db_index=True)
    scheduled_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    scheduled_by_id: int | None
    retracted_at = fields.DatetimeField(null=True)
    # The public reason for a retraction, in Khmer and English (null until retracted).
    retraction_reason_km = fields.TextField(null=True)
    retraction_reason_en = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "rebuttal"
        indexes = (("claim_id", "id"), ("institution_id", "id"))

    @property
    def next_revision(self) -> int:
        """The number the working copy will get when it is published."""
        return (self.live_revision or 0) + 1


class RebuttalRevision(Model):
    """A published, immutable version of a rebuttal."""

    id = fields.IntField(primary_key=True)
    rebuttal: fields.ForeignKeyRelation[Rebuttal] = fields.ForeignKeyField(
        "models.Rebuttal", related_name="revisions", on_delete=fields.RESTRICT
    )
    rebuttal_id: int
    number = fields.IntField()
    verdict = fields.CharEnumField(Verdict, max_length=24)
    headline_km = fields.TextField()
    headline_en = fields.TextField()
    body_km = fields.TextField()
    body_en = fields.TextField()
    channels: Any = fields.JSONField(default=list)
    approved_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    approved_by_id: int | None
    published_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    published_by_id: int | None
    published_at = fields.DatetimeField()

    class Meta:
        table = "rebuttal_revision"
        unique_together = (("rebuttal", "number"),)


class Evidence(Model):
    """A source supporting a published revision."""

    id = fields.IntField(primary_key=True)
    revision: fields.ForeignKeyRelation[RebuttalRevision] = fields.ForeignKeyField(
        "models.RebuttalRevision", related_name="evidence", on_delete=fields.RESTRICT
    )
    revision_id: int
    position = fields.IntField()
    url = fields.CharField(max_length=2048)
    title_km = fields.CharField(max_length=500)
    title_en = fields.CharField(max_length=500)
    note_km = fields.TextField(default="")
    note_en = fields.TextField(default="")

    class Meta:
        table = "evidence"
        indexes = (("revision_id", "position"),)


class Review(Model):
    """An approver's decision on the working copy that would become revision ``round``."""

    id = fields.IntField(primary_key=True)
    rebuttal: fields.ForeignKeyRelation[Rebuttal] = fields.ForeignKeyField(
        "models.Rebuttal", related_name="reviews", on_delete=fields.CASCADE
    )
    rebuttal_id: int
    round = fields.IntField()
    reviewer: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    reviewer_id: int | None
    decision = fields.CharEnumField(ReviewDecision, max_length=24)
    comment = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "review"
        indexes = (("rebuttal_id", "id"),)
