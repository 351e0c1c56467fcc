"""Fan-out: one execution per event for every subscriber who would get the same answer.

Each subscription's source stream (``subscriptions._follow``) decides which events a subscriber
gets; then graphql-core executes the subscription's selection against each event, once per
subscriber. Subscribers of the same document with the same variables below the root field, of
the same answer class (what they may read, and their role, on which some fields depend) get the
same answer to the same event, so ``SharedEventExecutor`` executes it once and hands the same
``ExecutionResult`` to all of them; ``coordhub.web.encoding.SharedJSON`` then encodes its
``data`` once for all their ``next`` frames.

The root field's own arguments (``institutions``, ``after``, ``connector``) are not part of the
key: they filter the stream, not the answer to an event. Documents are parsed once per text
(strawberry's ``ParserCache``), so subscribers of the same text share one operation node.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import Awaitable
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    visit,
)
from graphql.execution.collect_fields import FragmentDetails
from graphql.language import Visitor
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from coordhub.actor import Actor
from coordhub.metrics import SUBSCRIPTION_ANSWERS
from coordhub.schema.events.types import Event
from coordhub.schema.loaders import visibility_key

#: Answers kept for the subscribers still to get them (per event loop): at most this many,
EVENTS_KEPT = 256
#: for at most this long after they were started. A live fan-out takes well under a second;
#: a subscriber replaying the event later gets it executed afresh, with the state as it is then.
FRESH_SECONDS = 2.0


def answer_class(actor: Actor | None) -> tuple[object, ...]:
    """Callers with the same class get the same answer to the same document and event."""
    return (*visibility_key(actor), actor.role.value if actor is not None else None)


class _Reads(Visitor):
    """The variables a subtree reads, and the fragments it spreads."""

    def __init__(self) -> None:
        super().__init__()
        self.variables: set[str] = set()
        self.spreads: set[str] = set()

    def enter_variable(self, node: VariableNode, *_: object) -> None:
        self.variables.add(node.name.value)

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> None:
        self.spreads.add(node.name.value)


def selection_variables(
    operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]
) -> frozenset[str]:
    """Names of the variables that can change the answer to an event: those read by the root
    fields' directives and below the root fields (through fragments), not by the root fields'
    arguments."""
    reads = _Reads()
    root_level: list[SelectionSetNode] = [operation.selection_set]
    root_fragments: set[str] = set()
    while root_level:
        for selection in root_level.pop().selections:
            for directive in selection.directives or ():
                visit(directive, reads)
            if isinstance(selection, FieldNode):
                if selection.selection_set is not None:
                    visit(selection.selection_set, reads)
            elif isinstance(selection, InlineFragmentNode):
                root_level.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in root_fragments and name in fragments:
                    root_fragments.add(name)
                    root_level.append(fragments[name].selection_set)
    followed: set[str] = set()
    while pending := reads.spreads - followed:
        name = pending.pop()
        followed.add(name)
        if name in fragments:
            visit(fragments[name], reads)
    return frozenset(reads.variables)


class SharedResults:
    """The executions of recent events by key, for the subscribers still asking for them."""

    def __init__(self, kept: int = EVENTS_KEPT, fresh_seconds: float = FRESH_SECONDS) -> None:
        self.kept = kept
        self.fresh_seconds = fresh_seconds
        self._results: OrderedDict[
            tuple[object, ...], tuple[float, asyncio.Future[ExecutionResult]]
        ] = OrderedDict()
        # Keeps each keyed operation alive while its key (holding its id) is in use.
        self._operations: dict[int, OperationDefinitionNode] = {}
        self._variables: dict[int, frozenset[str]] = {}

    def variables(
        self, operation: OperationDefinitionNode, fragments: dict[str, FragmentDetails]
    ) -> frozenset[str]:
        key = id(operation)
        names = self._variables.get(key)
        if names is None or self._operations.get(key) is not operation:
            definitions = {name: details.definition for name, details in fragments.items()}
            names = self._variables[key] = selection_variables(operation, definitions)
            self._operations[key] = operation
        return names

    def get(self, key: tuple[object, ...]) -> asyncio.Future[ExecutionResult] | None:
        """The execution of ``key`` under way or fresh, if any."""
        entry = self._results.get(key)
        if entry is None:
            return None
        started, shared = entry
        stale = asyncio.get_running_loop().time() - started > self.fresh_seconds
        if stale or (shared.done() and shared.cancelled()):
            return None
        return shared

    def start(
        self, key: tuple[object, ...], execute: Awaitable[ExecutionResult]
    ) -> asyncio.Future[ExecutionResult]:
        """Run ``execute`` as the execution of ``key``."""
        shared = asyncio.ensure_future(execute)
        self._results[key] = (asyncio.get_running_loop().time(), shared)
        self._results.move_to_end(key)
        while len(self._results) > self.kept:
            self._results.popitem(last=False)
        if len(self._operations) > 4 * self.kept:  # documents no key names any more
            live = {k[1] for k in self._results}
            for stale in [k for k in self._operations if k not in live]:
                self._operations.pop(stale, None)
                self._variables.pop(stale, None)
        return shared


_shared: dict[asyncio.AbstractEventLoop, SharedResults] = {}


def shared_results() -> SharedResults:
    """This event loop's shared executions (asyncio objects belong to one loop)."""
    loop = asyncio.get_running_loop()
    results = _shared.get(loop)
    if results is None:
        for closed in [other for other in _shared if other.is_closed()]:
            del _shared[closed]
        results = _shared[loop] = SharedResults()
    return results


class SharedEventExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, executing a subscription event once per answer key."""

    def execute_operation(self, serially: bool | None = None) -> Any:
        event = self.root_value
        if self.operation.operation is not OperationType.SUBSCRIPTION or not isinstance(
            event, Event
        ):
            return super().execute_operation(serially)
        results = shared_results()
        names = results.variables(self.operation, self.fragments)
        variables = _values(names, self.variable_values.coerced) if names else ""
        key = (event.seq, id(self.operation), variables, *answer_class(self.context_value.actor))
        shared = results.get(key)
        if shared is not None:
            SUBSCRIPTION_ANSWERS.labels("shared").inc()
            return _await(shared)
        SUBSCRIPTION_ANSWERS.labels("executed").inc()
        started = super().execute_operation(serially)
        if not self.is_awaitable(started):
            return started
        return _await(results.start(key, started))


def _values(names: frozenset[str], coerced: dict[str, Any]) -> str:
    """The values of ``names`` as one comparable text."""
    return json.dumps({name: coerced.get(name) for name in sorted(names)}, default=str)


async def _await(shared: asyncio.Future[ExecutionResult]) -> ExecutionResult:
    # A subscriber that goes away does not cancel the others' answer.
    return shared.result() if shared.done() else await asyncio.shield(shared)
