"""Who may act: role and institution checks shared by the claim and rebuttal rules."""

from __future__ import annotations

from collections.abc import Collection

from coordhub.actor import Actor
from coordhub.models import Role
from coordhub.workflow.errors import forbidden, unauthenticated


def require_role(actor: Actor | None, roles: Collection[Role], doing: str) -> Actor:
    """The actor, if signed in with one of ``roles``."""
    if actor is None:
        raise unauthenticated()
    if actor.role not in roles:
        allowed = ", ".join(sorted(r.value for r in roles))
        raise forbidden(f"Only {allowed} may {doing}; you are {actor.role.value}.")
    return actor


def require_member(
    actor: Actor | None, roles: Collection[Role], institution_ids: Collection[int], doing: str
) -> Actor:
    """The actor, if one of ``roles`` and acting for one of ``institution_ids``."""
    actor = require_role(actor, roles, doing)
    if actor.role in (Role.EDITOR, Role.APPROVER) and actor.institution_id not in institution_ids:
        raise forbidden(f"Only the institutions concerned may {doing}.")
    return actor
