"""Who is calling: the authenticated account behind a token, or nobody (public)."""

from __future__ import annotations

from dataclasses import dataclass

from coordhub.models import Account, Role


@dataclass(frozen=True, slots=True)
class Actor:
    """An authenticated caller. Public callers are represented by ``None``."""

    account_id: int
    name: str
    role: Role
    institution_id: int | None = None
    institution_slug: str | None = None
    token_id: int | None = None

    @property
    def reads_everything(self) -> bool:
        """Coordinators and observers read every record, public or not."""
        return self.role in (Role.COORDINATOR, Role.OBSERVER)

    @property
    def acts_for_institution(self) -> bool:
        """Editors and approvers act for exactly one institution."""
        return self.role in (Role.EDITOR, Role.APPROVER) and self.institution_id is not None


def actor_of(account: Account, token_id: int | None = None) -> Actor:
    """The actor an account (loaded with its institution) stands for."""
    institution = account.institution
    return Actor(
        account_id=account.id,
        name=account.name,
        role=Role(account.role),
        institution_id=institution.id if institution else None,
        institution_slug=institution.slug if institution else None,
        token_id=token_id,
    )


async def actor_for_account(account_id: int | None) -> Actor | None:
    """The actor an account stands for when the system acts on its behalf (a publication it
    scheduled, say), or ``None`` if it no longer exists."""
    if account_id is None:
        return None
    account = await Account.filter(id=account_id).select_related("institution").first()
    return actor_of(account) if account else None
