"""What an operation costs, computed from its validated document before anything runs.

The model follows GitHub's and Shopify's: an object costs 1 and a scalar or enum 0 (and so does
``LocalizedText``, a pair of its parent's columns, not a record: ``VALUE_TYPES``); a
connection multiplies what one edge selects by ``first`` (the default page size when it is
absent, the cap when it is larger); a plain list multiplies what one item selects by the most
items it can hold (``LIST_CAPS``, each bound by the workflow's limits); each alias counts again;
a root mutation costs 10 (it writes) and a field that calls outside the database
(``ConnectorInfo.health``) 100. Fragments count where they are spread. Introspection costs a
flat 10 (it is bounded by the schema, and off in production).

An operation over ``Settings.max_query_cost`` is refused with TOO_COSTLY, naming its cost and
the budget; an operation under it is charged to the caller's cost budget per window
(``coordhub.ratelimits``), refused with RATE_LIMITED once that is spent. Either way the cost is
reported in the response's ``extensions.cost``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
    validate,
)
from graphql.utilities import get_operation_ast, value_from_ast_untyped
from strawberry.extensions import SchemaExtension

from coordhub.models import DismissalReason
from coordhub.ratelimits import Caller, RateLimits, Verdict
from coordhub.workflow.duplicates import MAX_SUGGESTIONS
from coordhub.workflow.errors import ErrorCode
from coordhub.workflow.inputs import (
    MAX_APPEARANCES,
    MAX_EVIDENCE,
    MAX_REBUTTALS_PER_CLAIM,
    MAX_REVISIONS,
    MAX_SUPPORTING,
)
from coordhub.workflow.statistics import MAX_MONTHS

#: The most items each unpaginated list of objects can hold, and why.
LIST_CAPS: Mapping[tuple[str, str], int] = {
    ("Claim", "supportingInstitutions"): MAX_SUPPORTING,  # triage refuses more
    ("Claim", "appearances"): MAX_APPEARANCES,  # a report holds at most this many
    ("Claim", "rebuttals"): MAX_REBUTTALS_PER_CLAIM,  # drafting refuses more
    ("Rebuttal", "revisions"): MAX_REVISIONS,  # revise refuses more corrections
    ("Rebuttal", "evidence"): MAX_EVIDENCE,
    ("Rebuttal", "reviews"): 2 * MAX_REVISIONS,  # an estimate: a round may loop
    ("RebuttalRevision", "evidence"): MAX_EVIDENCE,
    ("RebuttalDraft", "evidence"): MAX_EVIDENCE,
    ("Claim", "similarClaims"): MAX_SUGGESTIONS,  # duplicates.similar_claims returns no more
    ("ReportClaimPayload", "possibleDuplicates"): MAX_SUGGESTIONS,
    ("Statistics", "months"): MAX_MONTHS,  # statistics refuses a longer span
    ("StatisticsFigures", "dismissedByReason"): len(DismissalReason),
}
#: Lists bounded by what they hold, wherever they appear: a payload has at most one error.
ITEM_CAPS: Mapping[str, int] = {"UserError": 1}
#: What a list not named above is assumed to hold (the working group's institutions, the
#: installed connectors, a payload's errors).
DEFAULT_LIST_CAP = 50
#: Fields that cost more than the object they return: they reach outside the database.
FIELD_COSTS: Mapping[tuple[str, str], int] = {
    ("ConnectorInfo", "health"): 100,
    # A similarity search of its own, one statement per claim asked (not batched by a loader).
    ("Claim", "similarClaims"): 20,
    # Six grouped statements over every claim and rebuttal.
    ("Query", "statistics"): 50,
}
#: Objects that are values of their parent's row, read with it: they cost what a scalar does.
#: (A claim's full detail, every revision's evidence titles in both languages, fits the
#: default budget: tests/test_limits.py.)
VALUE_TYPES = frozenset({"LocalizedText"})
MUTATION_COST = 10
INTROSPECTION_COST = 10
INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


@dataclass
class _Walk:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    default_page: int
    max_page: int
    #: Literal defaults of the operation's variables (``$n: Int = 10``).
    defaults: dict[str, Any] = field(default_factory=dict)
    visiting: set[str] = field(default_factory=set)

    def selections(
        self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType, page: int | None
    ) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(selection.selection_set, target or parent, page)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in self.visiting:
                    continue  # validation refuses both; never loop
                self.visiting.add(name)
                target = self.schema.get_type(fragment.type_condition.name.value)
                total += self.selections(fragment.selection_set, target or parent, page)
                self.visiting.discard(name)
        return total

    def field(self, node: FieldNode, parent: GraphQLNamedType, page: int | None) -> int:
        name = node.name.value
        if name in INTROSPECTION_FIELDS:
            return INTROSPECTION_COST
        if name == "__typename":
            return 0
        fields = getattr(parent, "fields", {})
        definition = fields.get(name)
        if definition is None:
            return 0
        returns = definition.type
        named = get_named_type(returns)
        record = is_composite_type(named) and named.name not in VALUE_TYPES
        own = (1 if record else 0) + FIELD_COSTS.get((parent.name, name), 0)
        if named.name.endswith("Connection") and "edges" in getattr(named, "fields", {}):
            return own + self.selections(node.selection_set, named, self.first(node))
        inner = self.selections(node.selection_set, named, None)
        if is_list_type(get_nullable_type(returns)):
            if name == "edges" and page is not None:
                items = page
            else:
                items = LIST_CAPS.get(
                    (parent.name, name), ITEM_CAPS.get(named.name, DEFAULT_LIST_CAP)
                )
            return items * (own + inner)
        return own + inner

    def first(self, node: FieldNode) -> int:
        """The page size a connection field asks for, as execution will see it."""
        for argument in node.arguments or ():
            if argument.name.value != "first":
                continue
            value: Any = None
            if isinstance(argument.value, IntValueNode):
                value = int(argument.value.value)
            elif isinstance(argument.value, VariableNode):
                name = argument.value.name.value
                value = self.variables.get(name, self.defaults.get(name))
            if value is None:  # null or an absent variable: the default page
                return self.default_page
            if isinstance(value, int) and not isinstance(value, bool):
                return max(0, min(value, self.max_page))
            return self.max_page  # a value execution will refuse: assume the worst
        return self.default_page


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    *,
    default_page: int,
    max_page: int,
) -> int:
    """The cost of the operation ``operation_name`` of a valid document."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    defaults = {
        d.variable.name.value: value_from_ast_untyped(d.default_value)
        for d in operation.variable_definitions or ()
        if d.default_value is not None
    }
    walk = _Walk(schema, fragments, variables or {}, default_page, max_page, defaults)
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    total = walk.selections(operation.selection_set, root, None)
    if operation.operation is OperationType.MUTATION:
        total += MUTATION_COST * _root_fields(walk, operation)
    return total


def _root_fields(walk: _Walk, operation: OperationDefinitionNode) -> int:
    """How many root fields (mutations) the operation runs, fragments included."""
    count = 0
    pending = [operation.selection_set]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                count += selection.name.value != "__typename"
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = walk.fragments.get(selection.name.value)
                if fragment is not None:
                    pending.append(fragment.selection_set)
    return count


def too_costly(cost: int, budget: int) -> GraphQLError:
    return GraphQLError(
        f"This operation costs {cost}, more than the {budget} one request may: ask for "
        "smaller pages (`first`), fewer nested lists or fewer aliases.",
        extensions={"code": ErrorCode.TOO_COSTLY.value, "cost": cost, "budget": budget},
    )


def rate_limited(verdict: Verdict) -> GraphQLError:
    what = "query cost" if verdict.name == "cost" else "requests"
    return GraphQLError(
        f"Your {what} budget for this window ({verdict.limit}) is spent: retry in "
        f"{verdict.retry_after} s.",
        extensions={
            "code": ErrorCode.RATE_LIMITED.value,
            "limit": verdict.name,
            "retryAfter": verdict.retry_after,
        },
    )


def caller_of(context: Any) -> Caller:
    """The budget an operation is charged to: its token, or its client address."""
    actor = getattr(context, "actor", None)
    request = getattr(context, "request", None)
    client = getattr(request, "client", None)
    return Caller.of(
        getattr(actor, "token_id", None) if actor is not None else None,
        client.host if client is not None else None,
    )


class QueryCost(SchemaExtension):
    """Computes each operation's cost once it is valid, refuses it or charges it.

    Runs after strawberry's validation cache in the extension list, so the document is
    already validated (cached) when its cost is computed.
    """

    def __init__(self, *, budget: int, default_page: int, max_page: int, limits: RateLimits | None):
        super().__init__()
        self.budget = budget
        self.default_page = default_page
        self.max_page = max_page
        self.limits = limits
        self.cost: int | None = None

    async def on_validate(self) -> AsyncIterator[None]:
        context = self.execution_context
        document = context.graphql_document
        errors = context.pre_execution_errors
        if errors is None and document is not None:
            errors = validate(context.schema._schema, document, context.validation_rules)
            context.pre_execution_errors = errors
        if not errors and document is not None:
            self.cost = operation_cost(
                context.schema._schema,
                document,
                context.operation_name,
                context.variables,
                default_page=self.default_page,
                max_page=self.max_page,
            )
            refusal = await self._refusal(self.cost)
            if refusal is not None:
                context.pre_execution_errors = [refusal]  # never mutate the cached list
        yield

    async def _refusal(self, cost: int) -> GraphQLError | None:
        if cost > self.budget:
            return too_costly(cost, self.budget)
        if self.limits is None or cost == 0:
            return None
        request_context = self.execution_context.context
        verdict = await self.limits.cost(caller_of(request_context), cost)
        if verdict.allowed:
            return None
        request = getattr(request_context, "request", None)
        if request is not None:
            request.state.rate_limit_refusal = verdict  # the HTTP status and headers
        return rate_limited(verdict)

    def get_results(self) -> dict[str, Any]:
        if self.cost is None:
            return {}
        return {"cost": {"requested": self.cost, "budget": self.budget}}
