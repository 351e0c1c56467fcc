"""The shapes of the demo's seed data: plain typed dictionaries, no imports beyond ``typing``,
so that the seeding code, the tests and the documentation can all read the same constants."""

from typing import Literal, NotRequired, TypedDict

InstitutionKind = Literal["COORDINATOR", "MINISTRY", "STATE_INSTITUTION"]
Priority = Literal["LOW", "NORMAL", "HIGH", "CRITICAL"]
TargetState = Literal[
    "REPORTED",
    "TRIAGED",
    "IN_PROGRESS",
    "REBUTTED",
    "DISMISSED",
    "MERGED",
    "CORRECTED",
    "RETRACTED",
]
DismissalReason = Literal[
    "ACCURATE",
    "NOT_NEWS",
    "OPINION",
    "SATIRE",
    "NOT_VERIFIABLE",
    "OUT_OF_SCOPE",
    "INSUFFICIENT_REACH",
]
Verdict = Literal["FALSE", "MISLEADING", "MISSING_CONTEXT", "UNSUPPORTED", "ACCURATE"]
Channel = Literal["akp", "tvk", "ministry-app"]
Role = Literal["COORDINATOR", "EDITOR", "APPROVER", "REPORTER", "OBSERVER", "SERVICE"]


class InstitutionSeed(TypedDict):
    """A ministry or state institution."""

    slug: str
    name_km: str
    name_en: str
    kind: InstitutionKind


class AppearanceSeed(TypedDict):
    """Where a claim was seen: an address, a platform or site, and how long ago."""

    url: str
    outlet: str
    hours_ago: int


class EvidenceSeed(TypedDict):
    """A source cited by a rebuttal."""

    url: str
    title_km: str
    title_en: str
    note_km: str
    note_en: str


class RebuttalSeed(TypedDict):
    """The text of a rebuttal, in Khmer and English, with its evidence and channels."""

    verdict: Verdict
    headline_km: str
    headline_en: str
    body_km: str
    body_en: str
    evidence: list[EvidenceSeed]
    channels: list[Channel]


class ClaimSeed(TypedDict):
    """A fictional claim and the state the demo drives it to.

    ``first_seen_hours_ago`` is never less than the ``hours_ago`` of any appearance.
    The optional fields are set according to ``target_state``:

    * DISMISSED - ``dismissal_reason``, ``dismissal_note_km``, ``dismissal_note_en``;
    * MERGED - ``merge_into`` (the key of another claim);
    * IN_PROGRESS, REBUTTED, CORRECTED, RETRACTED - ``rebuttal`` (a draft for IN_PROGRESS);
    * CORRECTED - also ``correction``, the text of revision 2 once revision 1 is published;
    * RETRACTED - also ``retraction_reason_km`` and ``retraction_reason_en`` once the rebuttal
      is published.
    """

    key: str
    summary_km: str
    summary_en: str
    topic: str
    priority: Priority
    lead: str
    supporting: list[str]
    appearances: list[AppearanceSeed]
    first_seen_hours_ago: int
    target_state: TargetState
    dismissal_reason: NotRequired[DismissalReason]
    dismissal_note_km: NotRequired[str]
    dismissal_note_en: NotRequired[str]
    merge_into: NotRequired[str]
    rebuttal: NotRequired[RebuttalSeed]
    correction: NotRequired[RebuttalSeed]
    retraction_reason_km: NotRequired[str]
    retraction_reason_en: NotRequired[str]


class AccountSeed(TypedDict):
    """A demo account: a desk or a system, with its role and institution slug."""

    name: str
    role: Role
    institution: str | None
