"""Tortoise models, one module per domain. Re-exported here for the ORM's discovery."""

from coordhub.models.accounts import INSTITUTION_ROLES, Account, Role, Token
from coordhub.models.claims import (
    Appearance,
    Claim,
    ClaimCluster,
    ClaimStatus,
    ClaimSupport,
    DismissalReason,
    Priority,
)
from coordhub.models.corrections import (
    CorrectionOutcome,
    CorrectionRequest,
    CorrectionStatus,
)
from coordhub.models.deliveries import (
    OPEN_DELIVERY_STATES,
    ConnectorState,
    Delivery,
    DeliveryAction,
    DeliveryStatus,
)
from coordhub.models.events import Counter, Event, EventType, LogEpoch, PendingEvent
from coordhub.models.institutions import Institution, InstitutionKind
from coordhub.models.rebuttals import (
    Evidence,
    Rebuttal,
    RebuttalRevision,
    RebuttalStatus,
    Review,
    ReviewDecision,
    Verdict,
)

__all__ = [
    "INSTITUTION_ROLES",
    "OPEN_DELIVERY_STATES",
    "Account",
    "Appearance",
    "Claim",
    "ClaimCluster",
    "ClaimStatus",
    "ClaimSupport",
    "ConnectorState",
    "CorrectionOutcome",
    "CorrectionRequest",
    "CorrectionStatus",
    "Counter",
    "Delivery",
    "DeliveryAction",
    "DeliveryStatus",
    "DismissalReason",
    "Event",
    "EventType",
    "Evidence",
    "Institution",
    "InstitutionKind",
    "LogEpoch",
    "PendingEvent",
    "Priority",
    "Rebuttal",
    "RebuttalRevision",
    "RebuttalStatus",
    "Review",
    "ReviewDecision",
    "Role",
    "Token",
    "Verdict",
]
