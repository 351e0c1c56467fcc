"""No "Did you mean ...?" where introspection is off.

graphql-core suggests names close to a misspelt one (fields, arguments, types, input fields,
enum values, in validation and in coercing variables): with introspection off, that would hand
out the schema one guess at a time. Strawberry's switch (``StrawberryConfig.
disable_field_suggestions``) covers only unknown fields, and neither its validation nor its
executor passes graphql-core's ``hide_suggestions`` on, so ``HideSuggestions`` removes the
suggestion from every error of the operation, wherever graphql-core put it
(``graphql.pyutils.did_you_mean``: at the end, or before `` Found: <value>`` for an unknown input
field).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

#: graphql-core's suggestion: `` Did you mean 'a'?``, ``'a' or 'b'``, ``'a', 'b', or 'c'``, with
#: an optional sub-message (``the enum value``, ``to use an inline fragment on``), or the
#: scalar-leaf hint `` Did you mean 'field { ... }'?``.
SUGGESTION = re.compile(r" Did you mean (?:[a-z ]+ )?'[^']*'(?:(?:, '[^']*')*,? or '[^']*')?\?")


def without_suggestion(message: str) -> str:
    return SUGGESTION.sub("", message)


def strip_suggestions(errors: list[GraphQLError] | None) -> None:
    for error in errors or ():
        error.message = without_suggestion(error.message)


class HideSuggestions(SchemaExtension):
    """Strips the suggestion from the operation's errors: those of validation (also when the
    validation cache holds them) and those of execution."""

    def on_operation(self) -> Iterator[None]:
        yield
        context = self.execution_context
        strip_suggestions(context.pre_execution_errors)
        strip_suggestions(getattr(context.result, "errors", None))
