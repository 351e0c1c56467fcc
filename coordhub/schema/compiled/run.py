"""Running a plan: the root fields' rows, then their relations, then the response."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql.execution.values import get_argument_values
from strawberry import relay

from coordhub.schema.compiled.plans import Plan, Root, Row
from coordhub.schema.compiled.reads import Page, claims_page, node, rebuttals_page, related
from coordhub.schema.context import Context
from coordhub.schema.nodes import node_key

PAGES = {"claims": claims_page, "rebuttals": rebuttals_page}
#: The types ``node(id:)`` returns (``coordhub.schema.NODE_TYPES``, a test keeps them equal);
#: the compiled path answers claims and rebuttals, and null for an id of any other type.
NODE_TYPES = frozenset({"Claim", "Rebuttal", "Institution", "Delivery", "CorrectionRequest"})


class LeftToStrawberry(Exception):
    """This request asks for what the plan does not answer (a node of another type)."""


@dataclass
class Answer:
    root: Root
    rows: list[Row]
    more: bool = False
    node_type: str | None = None


async def _node(root: Root, context: Context, args: dict[str, Any]) -> Answer:
    """``Query.node``'s answer: null for an id of no node, the row if the caller may read it."""
    try:
        global_id = relay.GlobalID.from_id(args["id"])
    except relay.GlobalIDValueError:
        return Answer(root, [])
    if global_id.type_name not in NODE_TYPES:
        return Answer(root, [])
    if root.nodes.get(global_id.type_name) is None:
        raise LeftToStrawberry(global_id.type_name)
    row = await node(context.actor, global_id.type_name, node_key(global_id.node_id))
    return Answer(root, [row] if row is not None else [], node_type=global_id.type_name)


async def run_plan(plan: Plan, context: Context, variable_values: Any) -> dict[str, Any]:
    """The ``data`` of the plan's operation for the caller of ``context``."""
    actor, settings = context.actor, context.settings
    answers: list[Answer] = []
    for root in plan.roots:
        args = get_argument_values(root.field_def, root.details[0].node, variable_values)
        if root.page is None:
            answers.append(await _node(root, context, args))
        else:
            page: Page = await PAGES[root.name](actor, settings, args)
            answers.append(Answer(root, page.rows, page.more))
    claims = [
        row for a in answers if a.root.name == "claims" or a.node_type == "Claim" for row in a.rows
    ]
    rebuttals = [
        row
        for a in answers
        if a.root.name == "rebuttals" or a.node_type == "Rebuttal"
        for row in a.rows
    ]
    rows = await related(plan, actor, claims, rebuttals)
    data: dict[str, Any] = {}
    for answer in answers:
        root = answer.root
        if root.page is not None:
            data[root.key] = root.page(rows, answer.rows, answer.more)
        elif not answer.rows or answer.node_type is None:
            data[root.key] = None
        else:
            build = root.nodes[answer.node_type]
            assert build is not None
            data[root.key] = build(rows, answer.rows[0])
    return data
