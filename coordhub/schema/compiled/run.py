"""Running a plan: the root pages, then their relations, then the response."""

from __future__ import annotations

from typing import Any

from graphql.execution.values import get_argument_values

from coordhub.schema.compiled.plans import Plan
from coordhub.schema.compiled.reads import Page, claims_page, rebuttals_page, related
from coordhub.schema.context import Context

PAGES = {"claims": claims_page, "rebuttals": rebuttals_page}


async def run_plan(plan: Plan, context: Context, variable_values: Any) -> dict[str, Any]:
    """The ``data`` of the plan's operation for the caller of ``context``."""
    actor, settings = context.actor, context.settings
    pages: list[Page] = []
    for root in plan.roots:
        args = get_argument_values(root.field_def, root.details[0].node, variable_values)
        pages.append(await PAGES[root.name](actor, settings, args))
    answered = list(zip(plan.roots, pages, strict=True))
    claims = [row for root, page in answered if root.name == "claims" for row in page.rows]
    rebuttals = [row for root, page in answered if root.name == "rebuttals" for row in page.rows]
    rows = await related(plan, actor, claims, rebuttals)
    return {root.key: root.page(rows, page.rows, page.more) for root, page in answered}
