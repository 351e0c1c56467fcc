"""The executor behind strawberry: compiled reads for queries, fan-out for subscription events.

Strawberry parses, validates and runs its extensions as ever, then hands execution to this
graphql-core executor (``execution_context_class``). A query whose plan compiles is answered by
``coordhub.schema.compiled``; every other operation, and a compiled one whose run raises, is
executed field by field; subscription events are shared by ``events.fanout``.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from graphql import OperationDefinitionNode, OperationType
from graphql.execution.collect_fields import collect_fields
from graphql.language import DirectiveNode, Visitor, visit

from coordhub.metrics import COMPILED_READS
from coordhub.schema.compiled import Plan, Unsupported, compile_selection, run_plan
from coordhub.schema.context import Context
from coordhub.schema.events.fanout import SharedEventExecutor

log = logging.getLogger(__name__)
#: Plans kept, by operation (documents are parsed once per text, so one operation per text).
PLANS_KEPT = 1024


class _Directives(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_directive(self, node: DirectiveNode, *_: object) -> Any:
        self.found = True
        return self.BREAK


class Plans:
    """Compiled plans (or None: not compilable) by operation; a document with directives is
    compiled for every request, since its variables may change what is selected."""

    def __init__(self, kept: int = PLANS_KEPT) -> None:
        self.kept = kept
        self._plans: OrderedDict[int, tuple[OperationDefinitionNode, Plan | None]] = OrderedDict()

    def get(self, executor: Executor) -> Plan | None:
        operation = executor.operation
        entry = self._plans.get(id(operation))
        if entry is not None and entry[0] is operation:
            return entry[1]
        plan = _compile(executor)
        if not _has_directives(executor):
            self._plans[id(operation)] = (operation, plan)
            while len(self._plans) > self.kept:
                self._plans.popitem(last=False)
        return plan


def _has_directives(executor: Executor) -> bool:
    found = _Directives()
    visit(executor.operation, found)
    for fragment in executor.fragments.values():
        if not found.found:
            visit(fragment.definition, found)
    return found.found


def _compile(executor: Executor) -> Plan | None:
    query_type = executor.schema.query_type
    assert query_type is not None
    collected = collect_fields(
        executor.schema,
        executor.fragments,
        executor.variable_values,
        query_type,
        executor.operation,
        executor.hide_suggestions,
    )
    try:
        return compile_selection(
            executor.collect_subfields,
            executor.schema.get_type,
            query_type,
            collected.grouped_field_set,
        )
    except Unsupported:
        return None
    except Exception:  # a bug here must not fail the request: strawberry answers it
        log.exception("could not compile a query; executing it field by field")
        return None


plans = Plans()


class Executor(SharedEventExecutor):
    def execute_operation(self, serially: bool | None = None) -> Any:
        context = self.context_value
        if (
            self.operation.operation is OperationType.QUERY
            and isinstance(context, Context)
            and context.settings.compiled_reads
        ):
            plan = plans.get(self)
            if plan is not None:
                return self._compiled(plan, context, serially)
            COMPILED_READS.labels("fallback").inc()
        return super().execute_operation(serially)

    async def _compiled(self, plan: Plan, context: Context, serially: bool | None) -> Any:
        try:
            data = await run_plan(plan, context, self.variable_values)
        except Exception:  # strawberry executes it and explains the error
            COMPILED_READS.labels("fallback").inc()
            result = super().execute_operation(serially)
            return await result if self.is_awaitable(result) else result
        COMPILED_READS.labels("compiled").inc()
        return self.finish(self.build_response(data))


__all__ = ["Executor"]
