"""Who calls ``bench.reference``, and the read rules of ``coordhub.workflow.visibility`` as the
SQL conditions a hand-written endpoint would add for them.

No ``Authorization`` header: the public. A bearer token is looked up by its SHA-256 digest in
one statement (as coordhub does, no cache), and the caller falls into one of coordhub's
visibility classes (``coordhub.schema.loaders.visibility_key``):

- ``public`` (no token, and services): public claims; rebuttals with a live revision, shown
  with their public status;
- ``everything`` (coordinators, observers): every claim and rebuttal, with its real status and,
  before publication, its working copy's headline and verdict;
- ``institution`` (editors, approvers): public records, plus the claims the institution leads,
  supports or answers and those the account reported, plus the institution's own rebuttals,
  whose working copy (real status, draft headline and verdict) it reads;
- ``account`` (reporters): public records plus the claims the account reported.

The conditions hold only integers read from the database (account and institution ids), so
they are written into the statement text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Protocol

PUBLISHED_OR_RETRACTED = ("PUBLISHED", "RETRACTED")

TOKEN = """
SELECT a.id, a.role, a.institution_id FROM token t JOIN account a ON a.id = t.account_id
WHERE t.digest = $1 AND t.revoked_at IS NULL
"""


class Fetches(Protocol):
    async def fetch(self, sql: str, *args: Any) -> Any: ...


@dataclass(frozen=True)
class Viewer:
    """A caller's visibility class, with the account and institution it depends on."""

    kind: str = "public"
    account: int = 0
    institution: int = 0

    def claims(self, alias: str) -> str:
        """The claims (``alias``) this caller may read."""
        a = alias
        if self.kind == "everything":
            return "TRUE"
        if self.kind == "account":
            return f"({a}.public OR {a}.reported_by_id = {self.account})"
        if self.kind == "institution":
            i = self.institution
            return (
                f"({a}.public OR {a}.reported_by_id = {self.account} "
                f"OR {a}.lead_institution_id = {i} "
                f"OR EXISTS (SELECT 1 FROM claim_support vs "
                f"WHERE vs.claim_id = {a}.id AND vs.institution_id = {i}) "
                f"OR EXISTS (SELECT 1 FROM rebuttal vr "
                f"WHERE vr.claim_id = {a}.id AND vr.institution_id = {i}))"
            )
        return f"{a}.public"

    def rebuttals(self, alias: str) -> str:
        """The rebuttals (``alias``) this caller may read."""
        if self.kind == "everything":
            return "TRUE"
        if self.kind == "institution":
            own = f"{alias}.institution_id = {self.institution}"
            return f"({alias}.live_revision IS NOT NULL OR {own})"
        return f"{alias}.live_revision IS NOT NULL"

    def reads_working_copy(self, institution_id: int | None) -> bool:
        """``coordhub.workflow.visibility.can_read_working_copy``."""
        if self.kind == "everything":
            return True
        return self.kind == "institution" and institution_id == self.institution

    def status(self, status: str, live: int | None, institution_id: int | None) -> str:
        """A rebuttal's status as this caller sees it: real, or public."""
        if self.reads_working_copy(institution_id) or status == "RETRACTED" or live is None:
            return status
        return "PUBLISHED"

    def draft(self, status: str, institution_id: int | None) -> bool:
        """Whether the caller sees a working copy (``Rebuttal.draft`` is not null)."""
        return status not in PUBLISHED_OR_RETRACTED and self.reads_working_copy(institution_id)


PUBLIC = Viewer()


class Unauthorized(Exception):
    """An ``Authorization`` header that names no valid token."""


async def viewer_of(db: Fetches, authorization: str | None) -> Viewer:
    """The caller an ``Authorization`` header names (one statement), ``PUBLIC`` without one."""
    if not authorization:
        return PUBLIC
    scheme, _, secret = authorization.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized
    rows = await db.fetch(TOKEN, hashlib.sha256(secret.strip().encode()).hexdigest())
    if not rows:
        raise Unauthorized
    account, role, institution = rows[0]
    if role in ("COORDINATOR", "OBSERVER"):
        return Viewer("everything", account)
    if role in ("EDITOR", "APPROVER") and institution is not None:
        return Viewer("institution", account, institution)
    if role == "SERVICE":
        return PUBLIC
    return Viewer("account", account)  # reporters (and staff of no institution)
