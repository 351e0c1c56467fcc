"""Deliveries: one row per (rebuttal revision, connector, action), the outbox the worker drains."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from coordhub.models.rebuttals import Rebuttal


class DeliveryAction(StrEnum):
    """What the outlet is asked to do."""

    PUBLISH = "PUBLISH"
    UPDATE = "UPDATE"
    RETRACT = "RETRACT"


class DeliveryStatus(StrEnum):
    """Where a delivery stands."""

    PENDING = "PENDING"
    DELIVERING = "DELIVERING"
    DELIVERED = "DELIVERED"
    RETRYING = "RETRYING"
    FAILED = "FAILED"
    SUPERSEDED = "SUPERSEDED"


#: States a delivery can still leave by itself.
OPEN_DELIVERY_STATES = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING, DeliveryStatus.DELIVERING)


class Delivery(Model):
    """A message to one outlet, written in the same transaction as the publish it announces."""

    id = fields.BigIntField(primary_key=True)
    rebuttal: fields.ForeignKeyRelation[Rebuttal] = fields.ForeignKeyField(
        "models.Rebuttal", related_name="deliveries", on_delete=fields.RESTRICT
    )
    rebuttal_id: int
    revision = fields.IntField()
    connector = fields.CharField(max_length=64)
    action = fields.CharEnumField(DeliveryAction, max_length=16)
    #: Stable across retries and replays: outlets deduplicate on it.
    idempotency_key = fields.CharField(max_length=128, unique=True)
    status = fields.CharEnumField(DeliveryStatus, max_length=16)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    last_error = fields.TextField(null=True)
    external_id = fields.CharField(max_length=255, null=True)
    lease_owner = fields.CharField(max_length=64, null=True)
    lease_expires_at = fields.DatetimeField(null=True)
    #: The RebuttalItem this delivery announces (JSON).
    item: Any = fields.JSONField()
    #: The rendered OutletMessage, frozen before the first send: retries send identical bytes.
    payload: Any = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    delivered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "delivery"
        indexes = (
            ("status", "next_attempt_at"),
            ("rebuttal_id", "connector", "id"),
            ("connector", "id"),
        )


class ConnectorState(Model):
    """Operational state of a connector kept by the core (e.g. disabled after a 410)."""

    name = fields.CharField(max_length=64, primary_key=True)
    disabled_at = fields.DatetimeField(null=True)
    disabled_reason = fields.TextField(null=True)

    class Meta:
        table = "connector_state"
