"""Who ``bench.reads --as ROLE`` reads as: a bearer token of a seeded (or benchmark) account.

``public`` sends no token: the public caller, whose repeated reads the response cache may
answer. Any other role signs every request in, so the cache (public callers only) is bypassed
and each request runs the query with that role's read rules (``coordhub.workflow.visibility``):

- ``coordinator``, ``observer``: everything, unpublished claims and working copies included;
- ``editor``, ``approver``: public records and what concerns their institution (``--institution``,
  default ``health``): the claims it leads, supports or answers, its rebuttals' working copies;
  the seeded account of that role and institution;
- ``reporter``: public records and the claims it reported (the first seeded reporter, who
  reported about a third of the claims);
- ``service``: public records only, but signed in (no cache).

Accounts the seed has no row for (coordinator, observer, service) are created as
``bench <role>``. The token's secret is derived from the account, so that reruns on a cached
database reuse one token row per account instead of adding one each run.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from coordhub.auth import TOKEN_PREFIX, digest
from coordhub.db import database
from coordhub.models import Account, Role, Token
from coordhub.settings import Settings

ROLES = ("public", "coordinator", "observer", "editor", "approver", "reporter", "service")
INSTITUTION_ROLES = ("editor", "approver")
DEFAULT_INSTITUTION = "health"


@dataclass(frozen=True)
class Caller:
    """The role a run reads as, and the ``Authorization`` header that says so (none: public)."""

    role: str
    institution: str | None = None
    secret: str | None = None

    @property
    def public(self) -> bool:
        return self.secret is None

    @property
    def headers(self) -> dict[str, str]:
        return {} if self.secret is None else {"Authorization": f"Bearer {self.secret}"}

    @property
    def label(self) -> str:
        return f"{self.role} of {self.institution}" if self.institution else self.role


def secret_for(account_id: int) -> str:
    return TOKEN_PREFIX + "bench" + hashlib.sha256(f"bench:{account_id}".encode()).hexdigest()


async def bench_account(role: str, institution: str | None) -> Account:
    """The account to read as: the seeded one of that role (and institution), else one made."""
    if role in INSTITUTION_ROLES:
        account = await Account.filter(
            role=Role(role.upper()), institution__slug=institution
        ).first()
        if account is None:
            raise SystemExit(f"no seeded {role} of the institution {institution!r}")
        return account
    if role == "reporter":
        account = await Account.filter(role=Role.REPORTER).order_by("id").first()
        if account is None:
            raise SystemExit("the seeded database has no reporter")
        return account
    account, _ = await Account.get_or_create(name=f"bench {role}", defaults={"role": role.upper()})
    return account


async def sign_in(database_url: str, role: str, institution: str | None) -> Caller:
    """The caller ``--as role`` stands for, its token stored in the database if need be."""
    if role == "public":
        return Caller("public")
    if role not in ROLES:
        raise SystemExit(f"unknown role {role!r} (of {', '.join(ROLES)})")
    slug = (institution or DEFAULT_INSTITUTION) if role in INSTITUTION_ROLES else None
    async with database(Settings(database_url=database_url), global_fallback=False):
        account = await bench_account(role, slug)
        secret = secret_for(account.id)
        token, _ = await Token.get_or_create(
            digest=digest(secret), defaults={"account_id": account.id, "prefix": secret[:12]}
        )
        if token.revoked_at is not None:
            token.revoked_at = None
            await token.save(update_fields=["revoked_at"])
    return Caller(role, slug, secret)
