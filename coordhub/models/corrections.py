"""Correction requests: a reader's report that a published rebuttal is wrong, and its answer.

Anyone may send one from a rebuttal's page, without an account. Nothing about the sender is
stored: no name, no address, no account (the form asks for none and the text is refused if it
holds a phone number or an e-mail address). A request is public once the rebuttal's
institution (or the coordinator) has answered it; one set aside as abuse never is.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from coordhub.models.accounts import Account
    from coordhub.models.rebuttals import Rebuttal


class CorrectionStatus(StrEnum):
    """Where a correction request stands."""

    OPEN = "OPEN"
    ANSWERED = "ANSWERED"
    REJECTED = "REJECTED"


class CorrectionOutcome(StrEnum):
    """What the answer to a correction request concluded."""

    CORRECTED = "CORRECTED"
    UPHELD = "UPHELD"


class CorrectionRequest(Model):
    """One reader's request to correct a published rebuttal."""

    id = fields.IntField(primary_key=True)
    rebuttal: fields.ForeignKeyRelation[Rebuttal] = fields.ForeignKeyField(
        "models.Rebuttal", related_name="correction_requests", on_delete=fields.RESTRICT
    )
    rebuttal_id: int
    #: The live revision when the request was sent (what the reader read).
    revision = fields.IntField()
    #: The language the reader wrote in (``km`` or ``en``): the page they sent it from.
    language = fields.CharField(max_length=2)
    text = fields.TextField()
    source_url = fields.CharField(max_length=2048, null=True)
    status = fields.CharEnumField(CorrectionStatus, max_length=16, db_index=True)
    outcome = fields.CharEnumField(CorrectionOutcome, max_length=16, null=True)
    answer_km = fields.TextField(null=True)
    answer_en = fields.TextField(null=True)
    #: Why a request was set aside (abuse, spam, personal data): recorded, never public.
    rejection_note = fields.TextField(null=True)
    answered_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    requested_at = fields.DatetimeField()
    answered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "correction_request"
        indexes = (("rebuttal_id", "status"),)
