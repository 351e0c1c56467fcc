"""Typed user errors for mutation payloads, and masking of everything unexpected."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.relay import GlobalID, GlobalIDValueError

from coordhub.workflow.errors import ErrorCode, WorkflowError, invalid

log = logging.getLogger("coordhub.graphql")

#: Primary keys are database integers (BIGINT at most): a larger one names no row.
MAX_KEY = 2**63 - 1

T = TypeVar("T")
P = TypeVar("P")

ErrorCodeEnum = strawberry.enum(
    ErrorCode,
    description=(
        "What went wrong: UNAUTHENTICATED (no or bad token), FORBIDDEN (role or institution "
        "may not), NOT_FOUND (no such object, or not visible to you), INVALID (bad input), "
        "INVALID_TRANSITION (not allowed in the object's current state), CONFLICT (collides "
        "with existing data), CURSOR_EXPIRED (a cursor older than the log, or of "
        "the database's life before a restore from a backup), "
        "TOO_COSTLY (the operation costs more than one request may), RATE_LIMITED (your "
        "budget for this window is spent: retry after `extensions.retryAfter` seconds), "
        "TIMEOUT (a query ran past its deadline; nothing was kept)."
    ),
)


@strawberry.type(description="A refused mutation. Nothing was changed.")
class UserError:
    code: ErrorCodeEnum = strawberry.field(description="What went wrong, for programs.")
    field: str | None = strawberry.field(
        description="The input path at fault, e.g. `summary.km` or `evidence.0.url`."
    )
    message: str = strawberry.field(description="What went wrong, for people, with the fix.")

    @classmethod
    def from_error(cls, error: WorkflowError) -> UserError:
        return cls(code=error.code, field=error.field, message=error.message)


async def attempt(
    payload: Callable[[T | None, list[UserError]], P], call: Callable[[], Awaitable[T]]
) -> P:
    """The payload of a workflow call: its result, or the ``WorkflowError`` as ``errors``.

    ``call`` is a function (usually a lambda) so that refusals raised while building its
    arguments, such as a malformed id from ``decode_id``, become ``errors`` too::

        return await attempt(ClaimPayload.of, lambda: flow.merge_claim(actor, decode_id(...)))
    """
    try:
        result = await call()
    except WorkflowError as error:
        return payload(None, [UserError.from_error(error)])
    return payload(result, [])


def decode_id(value: strawberry.ID | str, type_name: str, field: str) -> int:
    """The primary key inside a global id of the given type, or an INVALID error."""
    try:
        global_id = GlobalID.from_id(value)
        if global_id.type_name != type_name:
            raise ValueError(type_name)
        key = int(global_id.node_id)
        if not 0 <= key <= MAX_KEY:
            raise ValueError(key)
        return key
    except (GlobalIDValueError, ValueError) as exc:
        raise invalid(f"Not a {type_name} id.", field) from exc


EXPLAINED = (GraphQLError, WorkflowError, GlobalIDValueError)


def should_mask(error: GraphQLError) -> bool:
    """Mask (and log) exceptions raised while resolving fields, unless they are explained ones.

    Errors without a path come from parsing, validation or variable coercion: they describe
    the caller's document and stay visible.
    """
    original = error.original_error
    if error.path is None or original is None or isinstance(original, EXPLAINED):
        return False
    log.error("unexpected error at %s", error.path, exc_info=original)
    return True
