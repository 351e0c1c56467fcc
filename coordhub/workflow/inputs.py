"""Validated inputs of the workflow, independent of GraphQL.

Every limit a caller can hit is checked here, with the input path in the error's ``field``,
so the CLI, the demo loader and the API refuse the same things the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from coordhub.models import Verdict
from coordhub.workflow.errors import invalid
from coordhub.workflow.personal_data import check_outlet, clean_appearance_url

MAX_SUMMARY = 4_000
MAX_HEADLINE = 300
MAX_BODY = 20_000
MAX_NOTE = 4_000
MAX_TITLE = 500
MAX_URL = 2_048
MAX_OUTLET = 200
MAX_TOPIC = 64
MAX_APPEARANCES = 50
#: Appearances one claim keeps (a report's, those added later and those a merge brings): enough
#: to show how far it spread, and the bound a query's cost counts on.
MAX_APPEARANCES_PER_CLAIM = MAX_APPEARANCES
MAX_EVIDENCE = 20
MAX_CHANNELS = 10
MAX_SUPPORTING = 10
#: Longest institution slug and connector name (``Institution.slug``, ``Delivery.connector``).
MAX_SLUG = 64
MAX_CONNECTOR = 64
#: Published revisions of one rebuttal: the first and its corrections. Past it, retract the
#: rebuttal and draft a new one. Bounds what a rebuttal's page (and a query) can hold.
MAX_REVISIONS = 10
#: Rebuttals of one claim, retracted ones included: one live per institution answering it
#: (the lead and at most MAX_SUPPORTING supporters), and a retracted one or so redrafted.
MAX_REBUTTALS_PER_CLAIM = 12

_TOPIC = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CHANNEL = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


#: Characters no text input may hold: control characters other than tab, line feed and
#: carriage return (C0, DEL and C1: PostgreSQL text cannot hold NUL, XML none of C0), and lone
#: surrogates, which are not characters (JSON's ``"\\ud800"`` decodes to one, and no database
#: driver nor UTF-8 encoder takes it).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def check_characters(value: str, path: str) -> str:
    """``value`` unchanged, or INVALID naming the first character text may not hold."""
    found = _FORBIDDEN.search(value)
    if found is not None:
        char = found.group()
        what = "a lone surrogate, not a character" if char >= "\ud800" else "a control character"
        raise invalid(f"Must not contain U+{ord(char):04X} ({what}).", path)
    return value


def printable(value: str) -> str:
    """``value`` without the characters no text input may hold (to show back what was sent)."""
    return _FORBIDDEN.sub("", value)


def clean_text(value: str, path: str, *, limit: int, required: bool = True) -> str:
    """NFC-normalised, stripped text within ``limit`` characters, without control characters
    (tab and line breaks aside) or lone surrogates."""
    text = unicodedata.normalize("NFC", check_characters(value, path)).strip()
    if required and not text:
        raise invalid("Must not be empty.", path)
    if len(text) > limit:
        raise invalid(f"At most {limit} characters (got {len(text)}).", path)
    return text


def storable(value: str, limit: int) -> bool:
    """Whether ``value`` could be stored in a column of ``limit`` characters (so a lookup by it
    may find a row; one that could not is not sent to the database, which would refuse it)."""
    return len(value) <= limit and _FORBIDDEN.search(value) is None


def clean_term(value: str, path: str, *, limit: int) -> str:
    """A filter's exact-match value (a slug, a topic, a connector name), as given: checked
    only for what could not be sent to the database, and for length."""
    check_characters(value, path)
    if len(value) > limit:
        raise invalid(f"At most {limit} characters (got {len(value)}).", path)
    return value


def clean_needle(value: str, path: str, *, limit: int) -> str:
    """A substring to search for, normalised as ``search_text`` is (stripped, NFC, case-folded)
    and at most ``limit`` characters in that form: the cost of a search grows with its needle."""
    needle = search_text(check_characters(value, path).strip())
    if len(needle) > limit:
        raise invalid(
            f"At most {limit} characters to search for (got {len(needle)} once normalised).",
            path,
        )
    return needle


def clean_url(value: str, path: str) -> str:
    """An absolute http(s) URL."""
    url = clean_text(value, path, limit=MAX_URL)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise invalid("Must be an absolute http:// or https:// URL.", path)
    return url


def aware(value: datetime, path: str) -> datetime:
    """A timezone-aware datetime in UTC (one that exists in UTC: not 0001-01-01T00:00+05:00)."""
    if value.tzinfo is None:
        raise invalid("Give a timezone, e.g. 2026-11-25T08:00:00+07:00.", path)
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:
        raise invalid("Out of range: between years 1 and 9999 in UTC.", path) from exc


@dataclass(frozen=True, slots=True)
class Localized:
    """Text in Khmer and English."""

    km: str
    en: str

    def cleaned(self, path: str, *, limit: int, required: bool = True) -> Localized:
        return Localized(
            km=clean_text(self.km, f"{path}.km", limit=limit, required=required),
            en=clean_text(self.en, f"{path}.en", limit=limit, required=required),
        )


@dataclass(frozen=True, slots=True)
class AppearanceInput:
    """Where a claim was seen. ``outlet`` is a platform or outlet, never a person."""

    url: str
    outlet: str
    seen_at: datetime

    def cleaned(self, path: str = "") -> AppearanceInput:
        """Checked for personal data (``workflow/personal_data.py``), the URL without its
        tracking parameters; ``path`` is the input path, e.g. ``appearances.0`` (empty when the
        appearance is the whole input, as in ``addAppearance``)."""
        prefix = f"{path}." if path else ""
        url = clean_appearance_url(clean_url(self.url, f"{prefix}url"), f"{prefix}url")
        outlet = clean_text(self.outlet, f"{prefix}outlet", limit=MAX_OUTLET)
        return AppearanceInput(
            url=url,
            outlet=check_outlet(outlet, f"{prefix}outlet"),
            seen_at=aware(self.seen_at, f"{prefix}seenAt"),
        )


@dataclass(frozen=True, slots=True)
class ClaimReport:
    """What a reporter knows about a circulating claim."""

    summary: Localized
    topic: str
    appearances: list[AppearanceInput] = field(default_factory=list)
    first_seen_at: datetime | None = None

    def cleaned(self) -> ClaimReport:
        topic = clean_text(self.topic, "topic", limit=MAX_TOPIC).lower()
        if not _TOPIC.match(topic):
            raise invalid("Lowercase letters, digits and hyphens, e.g. 'public-health'.", "topic")
        if len(self.appearances) > MAX_APPEARANCES:
            raise invalid(f"At most {MAX_APPEARANCES} appearances.", "appearances")
        appearances = [a.cleaned(f"appearances.{i}") for i, a in enumerate(self.appearances)]
        first_seen = aware(self.first_seen_at, "firstSeenAt") if self.first_seen_at else None
        return ClaimReport(
            summary=self.summary.cleaned("summary", limit=MAX_SUMMARY),
            topic=topic,
            appearances=appearances,
            first_seen_at=first_seen,
        )


@dataclass(frozen=True, slots=True)
class EvidenceInput:
    """A source that supports a rebuttal: its title in both languages, and an optional note."""

    url: str
    title: Localized
    note: Localized | None = None

    def as_json(self, index: int) -> dict[str, str]:
        """The item as a working copy stores it: the columns of ``Evidence``."""
        path = f"evidence.{index}"
        title = self.title.cleaned(f"{path}.title", limit=MAX_TITLE)
        note = (self.note or Localized(km="", en="")).cleaned(
            f"{path}.note", limit=MAX_NOTE, required=False
        )
        return {
            "url": clean_url(self.url, f"{path}.url"),
            "title_km": title.km,
            "title_en": title.en,
            "note_km": note.km,
            "note_en": note.en,
        }


def clean_evidence(items: list[EvidenceInput]) -> list[dict[str, str]]:
    """Validated evidence, as stored on a working copy."""
    if len(items) > MAX_EVIDENCE:
        raise invalid(f"At most {MAX_EVIDENCE} evidence items.", "evidence")
    return [item.as_json(i) for i, item in enumerate(items)]


def clean_channels(channels: list[str], known: Collection[str] | None = None) -> list[str]:
    """Connector names, deduplicated in their given order; each installed, if ``known``."""
    if len(channels) > MAX_CHANNELS:
        raise invalid(f"At most {MAX_CHANNELS} channels.", "channels")
    seen: list[str] = []
    for i, name in enumerate(channels):
        if not _CHANNEL.fullmatch(name):  # match() would let 'akp\n' through
            raise invalid("A connector name, e.g. 'akp'.", f"channels.{i}")
        if known is not None and name not in known:
            installed = ", ".join(sorted(known)) or "none"
            raise invalid(
                f"No connector named '{name}' is installed ({installed}).", f"channels.{i}"
            )
        if name not in seen:
            seen.append(name)
    return seen


@dataclass(frozen=True, slots=True)
class RebuttalContent:
    """The editable content of a rebuttal. ``None`` fields are left as they are on update."""

    verdict: Verdict | None = None
    headline: Localized | None = None
    body: Localized | None = None
    evidence: list[EvidenceInput] | None = None
    channels: list[str] | None = None
    #: The installed connectors, to check ``channels`` against (None: not checked).
    known_channels: frozenset[str] | None = None

    def changes(self) -> dict[str, object]:
        """The validated model fields this content sets."""
        out: dict[str, object] = {}
        if self.verdict is not None:
            out["verdict"] = self.verdict
        if self.headline is not None:
            headline = self.headline.cleaned("headline", limit=MAX_HEADLINE)
            out["headline_km"], out["headline_en"] = headline.km, headline.en
        if self.body is not None:
            body = self.body.cleaned("body", limit=MAX_BODY)
            out["body_km"], out["body_en"] = body.km, body.en
        if self.evidence is not None:
            out["evidence"] = clean_evidence(self.evidence)
        if self.channels is not None:
            out["channels"] = clean_channels(self.channels, self.known_channels)
        return out


def search_text(*parts: str) -> str:
    """The text substring search runs over: NFC-normalised and case-folded."""
    return "\n".join(unicodedata.normalize("NFC", p).casefold() for p in parts if p)
