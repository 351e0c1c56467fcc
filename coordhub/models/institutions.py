"""Ministries and state institutions of the working group."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class InstitutionKind(StrEnum):
    """What kind of body an institution is."""

    COORDINATOR = "COORDINATOR"
    MINISTRY = "MINISTRY"
    STATE_INSTITUTION = "STATE_INSTITUTION"


class Institution(Model):
    """A ministry or state institution - the Ministry of Information has kind COORDINATOR."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=64, unique=True)
    name_km = fields.CharField(max_length=255)
    name_en = fields.CharField(max_length=255)
    kind = fields.CharEnumField(InstitutionKind, max_length=32)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "institution"
