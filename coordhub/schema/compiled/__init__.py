"""The compiled read path: a query document answered without field-by-field execution.

Strawberry stays the schema, the parser, the validator and every extension (cost, rate
limits, deadline, masking); only execution changes. For a validated query whose every field
the compiled path knows, ``coordhub.schema.executor.Executor`` runs a plan
(``plans.compile_selection``, built once per document and kept) that fetches the rows it needs
in a constant number of statements under the same read rules (``reads``) and builds the
response directly, without model objects or a coroutine per field. Any other document, and
any document whose compiled run raises (a refused filter, say), is executed by strawberry,
whole, so errors are always strawberry's. ``coordhub_compiled_reads_total{path}`` counts both.

Compiled today: the ``claims`` and ``rebuttals`` connections (with their filters), and below
them claims' scalars, summary, dismissal, lead institution and rebuttals; rebuttals' scalars,
status and verdict as the caller sees them, headline and body (live revision, else the draft
for those who may read it), retraction and institution.
"""

from coordhub.schema.compiled.plans import Plan, Unsupported, compile_selection
from coordhub.schema.compiled.run import run_plan

__all__ = ["Plan", "Unsupported", "compile_selection", "run_plan"]
