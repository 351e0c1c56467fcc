"""Claims: circulating items of false or misleading news, and where they appeared."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from coordhub.models.accounts import Account
    from coordhub.models.institutions import Institution


class ClaimStatus(StrEnum):
    """Where a claim stands."""

    REPORTED = "REPORTED"
    TRIAGED = "TRIAGED"
    IN_PROGRESS = "IN_PROGRESS"
    REBUTTED = "REBUTTED"
    DISMISSED = "DISMISSED"
    MERGED = "MERGED"


class Priority(StrEnum):
    """How urgent a claim is - sets its due-by."""

    LOW = "LOW"
    NORMAL = "NORMAL"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"


class DismissalReason(StrEnum):
    """The public reason a claim needs no rebuttal (defined publicly in the GraphQL enum and on
    the about page)."""

    ACCURATE = "ACCURATE"
    NOT_NEWS = "NOT_NEWS"
    OPINION = "OPINION"
    SATIRE = "SATIRE"
    NOT_VERIFIABLE = "NOT_VERIFIABLE"
    OUT_OF_SCOPE = "OUT_OF_SCOPE"
    INSUFFICIENT_REACH = "INSUFFICIENT_REACH"


class Claim(Model):
    """A circulating item of news reported to the working group."""

    id = fields.IntField(primary_key=True)
    summary_km = fields.TextField()
    summary_en = fields.TextField()
    topic = fields.CharField(max_length=64, db_index=True)
    status = fields.CharEnumField(ClaimStatus, max_length=16, db_index=True)
    priority = fields.CharEnumField(Priority, max_length=16, default=Priority.NORMAL)
    first_seen_at = fields.DatetimeField()
    reported_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="reported_claims", null=True, on_delete=fields.SET_NULL
    )
    reported_by_id: int | None
    lead_institution: fields.ForeignKeyNullableRelation[Institution] = fields.ForeignKeyField(
        "models.Institution", related_name="led_claims", null=True, on_delete=fields.RESTRICT
    )
    lead_institution_id: int | None
    due_at = fields.DatetimeField(null=True, db_index=True)
    #: When the worker next tells the institutions about the due-by: CLAIM_DUE_SOON if before
    #: ``due_at``, else CLAIM_OVERDUE; null once overdue was told or the claim is closed.
    next_alert_at = fields.DatetimeField(null=True, db_index=True)
    triaged_at = fields.DatetimeField(null=True)
    rebutted_at = fields.DatetimeField(null=True)
    dismissal_reason = fields.CharEnumField(DismissalReason, max_length=32, null=True)
    dismissal_note_km = fields.TextField(null=True)
    dismissal_note_en = fields.TextField(null=True)
    dismissed_at = fields.DatetimeField(null=True)
    merged_into: fields.ForeignKeyNullableRelation[Claim] = fields.ForeignKeyField(
        "models.Claim", related_name="merged_claims", null=True, on_delete=fields.RESTRICT
    )
    merged_into_id: int | None
    #: Related claims (the same rumour told differently, answered by several institutions),
    #: linked without merging them; triage may apply to the whole cluster.
    cluster: fields.ForeignKeyNullableRelation[ClaimCluster] = fields.ForeignKeyField(
        "models.ClaimCluster", related_name="claims", null=True, on_delete=fields.SET_NULL
    )
    cluster_id: int | None
    #: Set once a rebuttal is published or the claim is dismissed, and never unset.
    public = fields.BooleanField(default=False, db_index=True)
    #: NFC-normalised, case-folded text that substring search runs over (Khmer has no spaces).
    search_text = fields.TextField()
    # The summaries in the form near-duplicates are compared in
    # (``coordhub.similarity.normalise``), trigram-indexed on PostgreSQL (0017).
    similar_km = fields.TextField(default="")
    similar_en = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "claim"
        indexes = (("lead_institution_id", "id"), ("priority", "id"))


class ClaimCluster(Model):
    """Claims linked as related (``coordhub.workflow.clusters``)."""

    id = fields.IntField(primary_key=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "claim_cluster"


class ClaimSupport(Model):
    """A supporting institution of a claim (the lead one is on the claim itself)."""

    id = fields.IntField(primary_key=True)
    claim: fields.ForeignKeyRelation[Claim] = fields.ForeignKeyField(
        "models.Claim", related_name="supports", on_delete=fields.CASCADE
    )
    claim_id: int
    institution: fields.ForeignKeyRelation[Institution] = fields.ForeignKeyField(
        "models.Institution", related_name="supported_claims", on_delete=fields.RESTRICT
    )
    institution_id: int

    class Meta:
        table = "claim_support"
        unique_together = (("claim", "institution"),)
        indexes = (("institution_id", "claim_id"),)


class Appearance(Model):
    """Where a claim was seen: an address, an outlet or platform and a time - never a person."""

    id = fields.IntField(primary_key=True)
    claim: fields.ForeignKeyRelation[Claim] = fields.ForeignKeyField(
        "models.Claim", related_name="appearances", on_delete=fields.CASCADE
    )
    claim_id: int
    url = fields.CharField(max_length=2048)
    outlet = fields.CharField(max_length=200)
    seen_at = fields.DatetimeField()

    class Meta:
        table = "appearance"
        indexes = (("claim_id", "seen_at", "id"),)
