"""Who is calling: the authenticated account behind a token, or nobody (public)."""

from __future__ import annotations

from dataclasses import dataclass

from coordhub.models import Role


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
