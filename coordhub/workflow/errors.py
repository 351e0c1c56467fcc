"""Errors a caller can cause: typed, explained, and raised before anything is written."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """What went wrong, for a program to act on."""

    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    INVALID = "INVALID"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    CONFLICT = "CONFLICT"
    CURSOR_EXPIRED = "CURSOR_EXPIRED"
    TOO_COSTLY = "TOO_COSTLY"
    RATE_LIMITED = "RATE_LIMITED"
    TIMEOUT = "TIMEOUT"


class WorkflowError(Exception):
    """A refused call. Raised inside a transaction, it rolls everything back."""

    def __init__(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        #: Picked up by GraphQL when the error surfaces outside a mutation payload.
        self.extensions = {"code": code.value, "field": field}


def unauthenticated(
    message: str = "Sign in: send 'Authorization: Bearer <token>'.",
) -> WorkflowError:
    """The call needs a token and none was sent."""
    return WorkflowError(ErrorCode.UNAUTHENTICATED, message)


def forbidden(message: str) -> WorkflowError:
    """The caller's role or institution does not allow this."""
    return WorkflowError(ErrorCode.FORBIDDEN, message)


def not_found(what: str, field: str | None = None) -> WorkflowError:
    """The object does not exist, or the caller may not see it (indistinguishable on purpose)."""
    return WorkflowError(ErrorCode.NOT_FOUND, f"No {what} with that id.", field)


def invalid(message: str, field: str | None = None) -> WorkflowError:
    """The input is malformed or out of bounds."""
    return WorkflowError(ErrorCode.INVALID, message, field)


def invalid_transition(message: str) -> WorkflowError:
    """The object is in a state that does not allow this move."""
    return WorkflowError(ErrorCode.INVALID_TRANSITION, message)


def conflict(message: str, field: str | None = None) -> WorkflowError:
    """The call collides with existing data."""
    return WorkflowError(ErrorCode.CONFLICT, message, field)
