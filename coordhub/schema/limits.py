"""Protection of the GraphQL endpoint: depth, alias and token limits, caches, cost and rate
(``cost``), the query deadline (``deadline``), masking."""

from __future__ import annotations

from collections.abc import Callable

from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from coordhub.metrics import GraphQLMetrics
from coordhub.ratelimits import RateLimits
from coordhub.schema.cost import QueryCost
from coordhub.schema.deadline import Deadline
from coordhub.schema.errors import should_mask
from coordhub.schema.suggestions import HideSuggestions
from coordhub.settings import Settings


class MaskUnexplained(MaskErrors):
    """Strawberry's masking, skipping answers without errors before its protocol check (an
    ``isinstance`` against a runtime protocol, paid for every subscription event otherwise)."""

    def _process_result(self, result: object) -> None:
        if getattr(result, "errors", None):
            super()._process_result(result)


def extensions(
    settings: Settings, rate_limits: RateLimits | None = None
) -> list[Callable[[], SchemaExtension]]:
    """Factories of the schema extensions for these settings, cheapest checks first.

    Strawberry builds each extension afresh per request; the parser and validation caches
    keep their entries in process-wide LRU caches keyed by size, so they persist. The depth
    and alias rules are built once: the validation cache keys on the rule classes, and
    limiters built per request would make every key new (no hit, ever).
    """
    rules = [
        *QueryDepthLimiter(max_depth=settings.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules,
    ]
    active: list[Callable[[], SchemaExtension]] = [
        GraphQLMetrics,
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: ParserCache(maxsize=1024),
        lambda: AddValidationRules(rules),
        lambda: ValidationCache(maxsize=1024),
        lambda: QueryCost(
            budget=settings.max_query_cost,
            default_page=settings.default_page_size,
            max_page=settings.max_page_size,
            limits=rate_limits,
        ),
        lambda: Deadline(settings.operation_timeout_seconds),
        lambda: MaskUnexplained(should_mask_error=should_mask, error_message="Unexpected error."),
    ]
    if not settings.introspection_enabled:
        # No schema through the back door either: no "Did you mean ...?" in errors.
        active += [DisableIntrospection, HideSuggestions]
    return active
