"""What changed between two published revisions of a rebuttal, for its page.

Texts are compared word by word; Khmer is written without spaces between words, so a Khmer
text is compared by the runs between spaces and sentence marks (``។``, ``៕``), which are its
phrases. Evidence is compared by address: a source whose address is new was added, one whose
address is gone was removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from coordhub.public.languages import Language
from coordhub.public.records import EvidenceView, RevisionView

Operation = Literal["same", "deleted", "inserted"]

_TOKENS = re.compile(r"\s+|[^\s។៕]+[។៕]?|[។៕]")


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text that is in both versions (``same``), only in the older (``deleted``) or
    only in the newer (``inserted``)."""

    operation: Operation
    text: str


@dataclass(frozen=True, slots=True)
class Changes:
    """What a revision changed from the one before it, in one language."""

    previous: int
    verdict: tuple[str, str] | None
    headline: tuple[Segment, ...] | None
    body: tuple[Segment, ...] | None
    added: tuple[EvidenceView, ...]
    removed: tuple[EvidenceView, ...]

    @property
    def empty(self) -> bool:
        return not (self.verdict or self.headline or self.body or self.added or self.removed)


def changes(older: RevisionView, newer: RevisionView, language: Language) -> Changes:
    """What ``newer`` changed from ``older``, as read in ``language``."""
    old_urls = {item.url for item in older.evidence}
    new_urls = {item.url for item in newer.evidence}
    return Changes(
        previous=older.number,
        verdict=(older.verdict, newer.verdict) if older.verdict != newer.verdict else None,
        headline=text_changes(older.headline[language], newer.headline[language]),
        body=text_changes(older.body[language], newer.body[language]),
        added=tuple(item for item in newer.evidence if item.url not in old_urls),
        removed=tuple(item for item in older.evidence if item.url not in new_urls),
    )


def text_changes(old: str, new: str) -> tuple[Segment, ...] | None:
    """The segments turning ``old`` into ``new``, or ``None`` if they are the same."""
    if old == new:
        return None
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    segments: list[Segment] = []
    matcher = SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(segments, "same", "".join(before[i1:i2]))
            continue
        if tag in ("replace", "delete"):
            _append(segments, "deleted", "".join(before[i1:i2]))
        if tag in ("replace", "insert"):
            _append(segments, "inserted", "".join(after[j1:j2]))
    return tuple(segments)


def _append(segments: list[Segment], operation: Operation, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].operation == operation:
        segments[-1] = Segment(operation, segments[-1].text + text)
    else:
        segments.append(Segment(operation, text))
