"""Institutions: the type, and loading one through the request's loader."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Self

import strawberry
from strawberry import relay

from coordhub.models import Institution as InstitutionRow
from coordhub.models import InstitutionKind
from coordhub.schema.common import LocalizedText
from coordhub.schema.context import Info
from coordhub.schema.nodes import load_nodes

InstitutionKindEnum = strawberry.enum(
    InstitutionKind, description="COORDINATOR (the Ministry of Information), MINISTRY, or other."
)


@strawberry.type(description="A ministry or state institution of the working group.")
class Institution(relay.Node):
    pk: relay.NodeID[int]
    slug: str = strawberry.field(description="Short stable name, e.g. `health`.")
    name: LocalizedText = strawberry.field(description="Official name in Khmer and English.")
    kind: InstitutionKindEnum = strawberry.field(description="What kind of body it is.")

    @classmethod
    def from_row(cls, row: InstitutionRow) -> Self:
        return cls(
            pk=row.id,
            slug=row.slug,
            name=LocalizedText(km=row.name_km, en=row.name_en),
            kind=row.kind,
        )

    @classmethod
    async def resolve_nodes(
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        return await load_nodes(info.context.loaders.institution, node_ids, cls.from_row)


async def load_institution(info: Info, institution_id: int | None) -> Institution | None:
    """An institution by primary key through the request's loader."""
    if institution_id is None:
        return None
    row = await info.context.loaders.institution.load(institution_id)
    return Institution.from_row(row) if row else None
