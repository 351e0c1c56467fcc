"""Helpers shared by the renderers: safe text, short lines, canonical times, identifiers,
editorial notes, JSON messages.

Everything here is pure and derives only from its arguments, so a renderer built on it gives
identical bytes for the same item.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import orjson

from coordhub.connectors.types import Action, OutletMessage, RebuttalItem

# Characters XML 1.0 forbids (C0 controls other than tab, LF and CR; lone surrogates; U+FFFE and
# U+FFFF). lxml refuses them, and a JSON consumer that converts to XML would choke later, so every
# format drops them.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# A blank line (possibly holding only spaces) separates paragraphs.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")

#: Prefix of the stable identifier of a rebuttal across revisions (NewsML-G2 ``guid``).
GUID_PREFIX = "urn:coordhub:rebuttal:"

_RETRACTED = "Retracted: this rebuttal has been withdrawn and must no longer be used."
_RETRACTED_KM = "ដកវិញ៖ ការឆ្លើយតបនេះត្រូវបានដកវិញ ហើយមិនត្រូវប្រើទៀតទេ។"
_REASON = {"en": "Reason: ", "km": "មូលហេតុ៖ "}
_CORRECTION_KM = "កែតម្រូវ៖ កំណែទី {revision} នៃការឆ្លើយតបនេះ កែតម្រូវ និងជំនួសកំណែទី {previous}។"


def clean_text(value: str) -> str:
    """Return ``value`` without the characters XML 1.0 forbids (NUL, other C0 controls, ...).

    Tab, line feed and carriage return are kept; Khmer and every other legal character are left
    untouched.
    """
    return _NOT_XML_CHAR.sub("", value)


def clip(text: str, limit: int) -> str:
    """``text`` on one line (runs of white space made one space), cut to at most ``limit``
    characters, the last of them an ellipsis when it had to be cut."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def json_message(payload: Any) -> OutletMessage:
    """``payload`` as an ``application/json`` message: UTF-8, keys sorted, so that the same
    payload always gives the same bytes (Khmer is left unescaped)."""
    body = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS).decode()
    return OutletMessage(content_type="application/json", body=body)


def iso_datetime(value: datetime) -> str:
    """Format a time as RFC 3339 in UTC with second precision (``2025-01-31T08:15:00Z``).

    A naive time is taken to be UTC already: ``RebuttalItem`` does not forbid naive times, and
    the output must carry an offset to be a valid ninjs ``date-time`` or ``xs:dateTime``.
    """
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def rebuttal_guid(item: RebuttalItem) -> str:
    """The item's stable URN, the same for every revision (``urn:coordhub:rebuttal:<id>``).

    The id is percent-encoded except for characters a URN may carry as they are; ``:`` and ``/``
    are encoded so that a suffix such as ``:km`` stays unambiguous.
    """
    return GUID_PREFIX + quote(clean_text(item.id), safe="-._~!$&'()*+,;=@")


def version_created(item: RebuttalItem) -> datetime:
    """When the version being delivered was created: the retraction time for a retraction."""
    if item.action == Action.RETRACT and item.retracted_at is not None:
        return item.retracted_at
    return item.published_at


def correction_note(item: RebuttalItem, language: str = "en") -> str | None:
    """The editorial note announcing a correction, in ``language`` (``en`` or ``km``), or
    ``None`` if the item is not one."""
    if not item.is_correction:
        return None
    if language == "km":
        return _CORRECTION_KM.format(revision=item.revision, previous=item.revision - 1)
    return (
        f"Correction: revision {item.revision} of this rebuttal corrects and replaces "
        f"revision {item.revision - 1}."
    )


def retraction_note(item: RebuttalItem, language: str = "en") -> str | None:
    """The editorial note announcing a retraction with its reason, in ``language`` (``en`` or
    ``km``), or ``None`` if not one."""
    if item.action != Action.RETRACT:
        return None
    reason = item.retraction_reason
    text = clean_text(getattr(reason, language) if reason is not None else "").strip()
    announcement = _RETRACTED_KM if language == "km" else _RETRACTED
    return f"{announcement} {_REASON[language]}{text}" if text else announcement


def editorial_note(item: RebuttalItem, language: str = "en") -> str | None:
    """The one editorial note an item carries, in ``language``: retraction first, else
    correction, else none."""
    return retraction_note(item, language) or correction_note(item, language)


def paragraphs(text: str) -> list[str]:
    """Split a plain-text body into its non-empty paragraphs (separated by blank lines)."""
    normalized = clean_text(text).replace("\r\n", "\n").replace("\r", "\n")
    return [part.strip() for part in _PARAGRAPH_BREAK.split(normalized) if part.strip()]
