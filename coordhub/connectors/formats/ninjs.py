"""IPTC ninjs (News in JSON) 2.1 and 3.1 for a rebuttal item.

English is the item's main language; the Khmer version travels as an association of its own with
``language: "km"``, because neither ninjs version can tag one headline or body with a language.
ninjs 2.x spells every property in lower case (``pubstatus``, ``versioncreated``, ``altids``);
3.x uses camelCase (``pubStatus``, ``versionCreated``, ``altIds``) and adds ``rel`` to
associations. Neither has ``links`` or ``signals``: evidence becomes associations, and a
correction or retraction is announced in the editorial note.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, Literal

from coordhub.connectors.formats._common import (
    clean_text,
    editorial_note,
    iso_datetime,
    rebuttal_guid,
    version_created,
)
from coordhub.connectors.formats.claimreview import VERDICT_RATINGS
from coordhub.connectors.types import Action, RebuttalItem

NinjsVersion = Literal["2.1", "3.1"]


@dataclass(frozen=True)
class _Keys:
    """Property names that differ between ninjs 2.x (lower case) and 3.x (camelCase)."""

    representation_type: str
    first_created: str
    version_created: str
    pub_status: str
    ed_note: str
    content_type: str
    alt_ids: str
    info_sources: str
    #: Whether associations may carry ``rel`` (3.x only).
    association_rel: bool

    def lower_case(self) -> _Keys:
        """The same names as ninjs 2.x spells them, without association ``rel``."""
        names = {f.name: getattr(self, f.name) for f in fields(self)}
        lowered = {name: value.lower() for name, value in names.items() if isinstance(value, str)}
        return replace(self, **lowered, association_rel=False)


_KEYS_3 = _Keys(
    representation_type="representationType",
    first_created="firstCreated",
    version_created="versionCreated",
    pub_status="pubStatus",
    ed_note="edNote",
    content_type="contentType",
    alt_ids="altIds",
    info_sources="infoSources",
    association_rel=True,
)
_KEYS: dict[str, _Keys] = {"2.1": _KEYS_3.lower_case(), "3.1": _KEYS_3}

_PLAIN_TEXT = "text/plain"


def render_ninjs(item: RebuttalItem, *, version: NinjsVersion = "2.1") -> dict[str, Any]:
    """Render ``item`` as a ninjs object valid against the IPTC schema of ``version``.

    - ``uri`` is the canonical public URL (stable across revisions), ``version`` the revision,
      ``pubstatus`` ``usable`` or, for a retraction, ``canceled``;
    - English headline, body and claim summary (``descriptions`` with role ``claim``) are the
      main content; the Khmer ones form the association named ``translation-km``;
    - each evidence source is an association named ``evidence-<n>`` (``rel: evidence`` in 3.x)
      with its English title and note; the Khmer version holds the same with the Khmer ones;
    - the institution is ``by`` and an info source; topic and verdict are subjects;
    - a correction or retraction (with its reason) is stated in the editorial note, in English
      on the item and in Khmer on the Khmer version.

    Characters XML 1.0 forbids are dropped from all text. Pure: the same item always gives an
    equal object. Raises ``ValueError`` for an unknown ``version``.
    """
    keys = _KEYS.get(version)
    if keys is None:
        raise ValueError(f"unsupported ninjs version {version!r}; expected one of {list(_KEYS)}")
    pub_status = "canceled" if item.action == Action.RETRACT else "usable"
    ninjs: dict[str, Any] = {
        "uri": clean_text(item.url),
        "standard": {
            "name": "ninjs",
            "version": version,
            "schema": f"http://www.iptc.org/std/ninjs/ninjs-schema_{version}.json#",
        },
        "type": "text",
        keys.representation_type: "full",
        "version": str(item.revision),
        keys.first_created: iso_datetime(item.first_published_at),
        keys.version_created: iso_datetime(version_created(item)),
        keys.pub_status: pub_status,
        "language": "en",
        **_content(item, "en", keys),
        keys.info_sources: [
            {
                "name": clean_text(item.institution.name.en),
                "literal": clean_text(item.institution.slug),
            }
        ],
        "subjects": _subjects(item),
        keys.alt_ids: [
            {"role": "guid", "value": rebuttal_guid(item)},
            {"role": "coordhub-rebuttal-id", "value": clean_text(item.id)},
            {"role": "coordhub-claim-id", "value": clean_text(item.claim.id)},
        ],
        "associations": [_khmer_version(item, keys, pub_status), *_evidence(item, "en", keys)],
    }
    note = editorial_note(item)
    if note is not None:
        ninjs[keys.ed_note] = note
    return ninjs


def _content(item: RebuttalItem, language: Literal["en", "km"], keys: _Keys) -> dict[str, Any]:
    """Headline, body, claim summary and byline of ``item`` in one language."""
    return {
        "headlines": [
            {
                "role": "main",
                keys.content_type: _PLAIN_TEXT,
                "value": clean_text(getattr(item.headline, language)),
            }
        ],
        "bodies": [
            {
                "role": "main",
                keys.content_type: _PLAIN_TEXT,
                "value": clean_text(getattr(item.body, language)),
            }
        ],
        "descriptions": [
            {
                "role": "claim",
                keys.content_type: _PLAIN_TEXT,
                "value": clean_text(getattr(item.claim.summary, language)),
            }
        ],
        "by": clean_text(getattr(item.institution.name, language)),
    }


def _khmer_version(item: RebuttalItem, keys: _Keys, pub_status: str) -> dict[str, Any]:
    """The Khmer version as an association: a ninjs object of its own in ``km``."""
    association: dict[str, Any] = {
        "name": "translation-km",
        "uri": f"{rebuttal_guid(item)}:km",
        "type": "text",
        keys.representation_type: "full",
        "version": str(item.revision),
        keys.pub_status: pub_status,
        "language": "km",
        **_content(item, "km", keys),
    }
    evidence = _evidence(item, "km", keys)
    if evidence:
        association["associations"] = evidence
    note = editorial_note(item, "km")
    if note is not None:
        association[keys.ed_note] = note
    if keys.association_rel:
        association["rel"] = "translation"
    return association


def _evidence(
    item: RebuttalItem, language: Literal["en", "km"], keys: _Keys
) -> list[dict[str, Any]]:
    """Each evidence source as a partial association pointing at the source, with its title
    and note in ``language``."""
    associations = []
    for number, evidence in enumerate(item.evidence, start=1):
        association: dict[str, Any] = {
            "name": f"evidence-{number}",
            "uri": clean_text(evidence.url),
            keys.representation_type: "partial",
            "title": clean_text(getattr(evidence.title, language)),
        }
        note = clean_text(getattr(evidence.note, language))
        if note:
            association["descriptions"] = [
                {"role": "note", keys.content_type: _PLAIN_TEXT, "value": note}
            ]
        if keys.association_rel:
            association["rel"] = "evidence"
        associations.append(association)
    return associations


def _subjects(item: RebuttalItem) -> list[dict[str, Any]]:
    """The claim's topic and the verdict, as subjects qualified by ``rel``."""
    verdict = clean_text(item.verdict)
    rating = VERDICT_RATINGS.get(item.verdict)
    topic = clean_text(item.claim.topic)
    return [
        {"name": topic, "literal": topic, "rel": "topic"},
        {"name": rating.label if rating else verdict, "literal": verdict, "rel": "verdict"},
    ]
