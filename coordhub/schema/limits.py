"""Protection of the GraphQL endpoint: depth, alias and token limits, caches, masking."""

from __future__ import annotations

from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from coordhub.schema.errors import should_mask
from coordhub.settings import Settings


def extensions(settings: Settings) -> list[SchemaExtension]:
    """The schema extensions for these settings, cheapest checks first."""
    active: list[SchemaExtension] = [
        MaxTokensLimiter(max_token_count=settings.max_tokens),
        ParserCache(maxsize=1024),
        QueryDepthLimiter(max_depth=settings.max_depth),
        MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        ValidationCache(maxsize=1024),
        MaskErrors(should_mask_error=should_mask, error_message="Unexpected error."),
    ]
    if not settings.introspection:
        active.append(DisableIntrospection())
    return active
