"""The typed connector API: what a plugin receives, returns and raises.

Everything a plugin author needs is importable from ``coordhub.connectors``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, model_validator

#: Version of ``RebuttalItem``; bumped on any incompatible change. 2: evidence titles and notes
#: and the retraction reason are ``Text`` (Khmer and English), no longer one string.
ITEM_VERSION = 2


class Action(StrEnum):
    """What a delivery asks the outlet to do."""

    PUBLISH = "PUBLISH"
    UPDATE = "UPDATE"
    RETRACT = "RETRACT"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Frozen):
    """Text in Khmer (``km``) and English (``en``)."""

    km: str
    en: str


class EvidenceItem(_Frozen):
    """A source supporting the rebuttal: its title and an optional note, in both languages."""

    url: str
    title: Text
    #: Either language may be ``""``; both are when the source has no note.
    note: Text = Text(km="", en="")


class AppearanceItem(_Frozen):
    """Where the claim was seen: an address, an outlet or platform, a time. Never a person."""

    url: str
    outlet: str
    seen_at: datetime


class InstitutionItem(_Frozen):
    """The answering institution."""

    slug: str
    name: Text


class ClaimItem(_Frozen):
    """The claim being answered."""

    id: str
    summary: Text
    topic: str
    first_seen_at: datetime
    appearances: list[AppearanceItem] = Field(default_factory=list)


class RebuttalItem(_Frozen):
    """The one payload every connector renders: a published revision and what to do with it.

    ``id`` is the rebuttal's global id (stable across revisions); ``revision`` counts from 1.
    For ``RETRACT``, the content is that of the last live revision and ``retraction_reason``
    says why it was withdrawn, in both languages.
    """

    version: int = ITEM_VERSION
    id: str
    revision: int
    action: Action
    verdict: str
    headline: Text
    body: Text
    evidence: list[EvidenceItem] = Field(default_factory=list)
    claim: ClaimItem
    institution: InstitutionItem
    url: str
    first_published_at: datetime
    published_at: datetime
    retracted_at: datetime | None = None
    retraction_reason: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _upgrade(cls, data: Any) -> Any:
        """Read an item of version 1 (stored with a delivery queued before the upgrade) as one
        of this version: its one-language texts become the same text in both languages, as the
        database migration did with the rebuttal's own."""
        if not isinstance(data, dict) or data.get("version") != 1:
            return data

        def both(text: Any) -> Any:
            return {"km": text, "en": text} if isinstance(text, str) else text

        evidence = [
            {**e, "title": both(e.get("title")), "note": both(e.get("note", ""))}
            if isinstance(e, dict)
            else e
            for e in data.get("evidence", [])
        ]
        return {
            **data,
            "version": ITEM_VERSION,
            "evidence": evidence,
            "retraction_reason": both(data.get("retraction_reason")),
        }

    @property
    def is_correction(self) -> bool:
        """Whether this revision corrects an earlier one."""
        return self.revision > 1 and self.action != Action.RETRACT


class ClaimNotice(_Frozen):
    """A claim institutions must answer, as ``coordhub_claim_triaged`` and
    ``coordhub_claim_overdue`` see it: who leads, who supports, by when.

    Not public: send it on (an e-mail to a desk, a message to a group) only to the lead and
    supporting institutions. ``id`` is the claim's global id; ``seq`` is the event's sequence
    number, the same on every call for that event, to recognise one heard twice (at least once).
    """

    version: int = ITEM_VERSION
    seq: int
    id: str
    summary: Text
    topic: str
    priority: str
    status: str
    lead: InstitutionItem | None
    supporting: list[InstitutionItem] = Field(default_factory=list)
    due_at: datetime | None
    triaged_at: datetime | None


class OutletMessage(_Frozen):
    """What ``render`` returns and the core stores: a retry or a replay sends identical bytes.

    Put no secrets here (it is stored and shown to coordinators): add credentials in ``send``.
    """

    content_type: str
    body: str
    headers: dict[str, str] = Field(default_factory=dict)


class Receipt(_Frozen):
    """The outlet's acknowledgement."""

    external_id: str | None = None
    detail: str = ""


class Health(_Frozen):
    """Whether a connector's outlet is reachable."""

    ok: bool
    detail: str = ""


class ConnectorSettings(BaseModel):
    """Base of a connector's settings; subclass to add fields (``secret``, ...).

    Values come from operator settings (environment or TOML), never from requests, and are read
    afresh for every send.
    """

    model_config = ConfigDict(extra="forbid")

    endpoint: str
    timeout: float = 10.0
    #: Optional address whose 2xx answer means the outlet is up (used by the default health).
    health_url: str | None = None


class SendContext(_Frozen):
    """What the core passes to ``send`` besides the message."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    idempotency_key: str
    attempt: int
    delivery_id: int
    settings: ConnectorSettings
    http: httpx.AsyncClient


class FailedDelivery(_Frozen):
    """A delivery that failed for good, as ``coordhub_delivery_failed`` sees it."""

    delivery_id: int
    connector: str
    rebuttal_id: str
    revision: int
    action: Action
    attempts: int
    error: str


class DeliveryError(Exception):
    """Base of the errors ``send`` raises to say how a failed attempt should be treated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RetryableError(DeliveryError):
    """Try again later (5xx, timeouts, 408, 429). ``retry_after`` seconds, if the outlet said."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentError(DeliveryError):
    """Retrying will not help (other 4xx, a rejected payload). The delivery fails at once."""


class GoneError(PermanentError):
    """The outlet endpoint is gone for good (410): the core disables the connector."""


class Connector(ABC):
    """An outlet a plugin offers. The core owns retries, state, ordering and the schedule."""

    #: Unique name, used in rebuttal ``channels`` (e.g. ``akp``).
    name: ClassVar[str]
    #: The settings model; values come from operator settings, never from requests.
    settings_model: ClassVar[type[ConnectorSettings]] = ConnectorSettings

    @abstractmethod
    def render(self, item: RebuttalItem) -> OutletMessage:
        """Turn an item into the exact message to send. Pure: no I/O, no clock, no secrets."""

    @abstractmethod
    async def send(self, message: OutletMessage, ctx: SendContext) -> Receipt:
        """Send a rendered message. Raise ``RetryableError`` or ``PermanentError`` on failure."""

    async def health(self, settings: ConnectorSettings, http: httpx.AsyncClient) -> Health:
        """Whether the outlet is reachable. The default GETs ``settings.health_url`` if set."""
        if settings.health_url is None:
            return Health(ok=True, detail="no health_url configured")
        try:
            response = await http.get(settings.health_url, timeout=settings.timeout)
        except httpx.HTTPError as exc:
            return Health(ok=False, detail=f"unreachable: {type(exc).__name__}")
        return Health(ok=response.is_success, detail=f"HTTP {response.status_code}")
