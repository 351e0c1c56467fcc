"""Accounts (people or systems) and their bearer tokens."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from coordhub.models.institutions import Institution


class Role(StrEnum):
    """What an account may do - see docs/concepts.md for the full table."""

    COORDINATOR = "COORDINATOR"
    EDITOR = "EDITOR"
    APPROVER = "APPROVER"
    REPORTER = "REPORTER"
    OBSERVER = "OBSERVER"
    SERVICE = "SERVICE"


#: Roles that act for one institution and must name it.
INSTITUTION_ROLES = frozenset({Role.EDITOR, Role.APPROVER})


class Account(Model):
    """A person's desk or a system that holds tokens."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    role = fields.CharEnumField(Role, max_length=16)
    institution: fields.ForeignKeyNullableRelation[Institution] = fields.ForeignKeyField(
        "models.Institution", related_name="accounts", null=True, on_delete=fields.RESTRICT
    )
    institution_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "account"


class Token(Model):
    """A bearer token - only its SHA-256 digest is stored, the secret is shown once."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="tokens", on_delete=fields.CASCADE
    )
    account_id: int
    digest = fields.CharField(max_length=64, unique=True)
    prefix = fields.CharField(max_length=16)
    created_at = fields.DatetimeField(auto_now_add=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "token"
