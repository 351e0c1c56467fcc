"""Registering the institutions of the working group (an operator's task, from the CLI)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tortoise.transactions import in_transaction

from coordhub.events.log import append, committed
from coordhub.models import EventType, Institution, InstitutionKind
from coordhub.workflow.errors import conflict, invalid
from coordhub.workflow.inputs import clean_text

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


async def add_institution(
    slug: str, name_km: str, name_en: str, kind: InstitutionKind
) -> Institution:
    """Register one institution; slugs are unique and never change."""
    if not _SLUG.match(slug):
        raise invalid("Lowercase letters, digits and hyphens, e.g. 'health'.", "slug")
    km = clean_text(name_km, "name.km", limit=255)
    en = clean_text(name_en, "name.en", limit=255)
    if kind == InstitutionKind.COORDINATOR and await Institution.filter(kind=kind).exists():
        raise conflict("There is already a coordinating institution.", "kind")
    if await Institution.filter(slug=slug).exists():
        raise conflict(f"An institution with slug '{slug}' exists.", "slug")
    async with in_transaction():
        institution = await Institution.create(slug=slug, name_km=km, name_en=en, kind=kind)
        # Public and logged like every other change: readers' caches key on the log's sequence.
        await append(
            EventType.INSTITUTION_ADDED,
            actor=None,
            institutions=[slug],
            public=True,
            payload={"slug": slug, "kind": kind.value},
        )
    await committed()
    return institution


async def import_institutions(seeds: Iterable[tuple[str, str, str, InstitutionKind]]) -> int:
    """Register the institutions not yet present (by slug); returns how many were added."""
    added = 0
    async with in_transaction():
        existing = set(await Institution.all().values_list("slug", flat=True))
        for slug, km, en, kind in seeds:
            if slug not in existing:
                await add_institution(slug, km, en, kind)
                added += 1
    await committed()
    return added
