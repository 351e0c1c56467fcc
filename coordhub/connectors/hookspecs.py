"""The whole plugin API of coordhub, as pluggy hook specifications.

A plugin is a module (or object) with functions marked ``@hookimpl`` named like the specs
below. Register it through the ``coordhub.connectors`` entry-point group, or name its module in
``COORDHUB_CONNECTOR_MODULES``. An implementation may declare fewer arguments than its spec (only
those it uses), never other names. ``coordhub_connectors`` returns its list directly (it is not
awaited); the six observing hooks may be plain functions or ``async def``: the core awaits what
they return. A hook that raises is logged and skipped; the other plugins still run.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from coordhub.connectors.types import ClaimNotice, Connector, FailedDelivery, RebuttalItem
    from coordhub.settings import Settings

hookspec = pluggy.HookspecMarker("coordhub")
hookimpl = pluggy.HookimplMarker("coordhub")


@hookspec
def coordhub_connectors(settings: Settings) -> list[Connector]:
    """Return the connectors this plugin offers (each with a unique ``name``).

    Called once at start-up with the application settings; not awaited, so return the list
    itself (an awaitable is reported as a problem and the plugin offers nothing). Return an
    empty list to offer none.
    """


@hookspec
def coordhub_rebuttal_published(item: RebuttalItem) -> Awaitable[None] | None:
    """Observe a published revision (first publication or correction). At least once.

    Called by a delivery worker, in publication order; awaited before the worker moves its place
    in the event log, so keep it short.
    """


@hookspec
def coordhub_claim_triaged(claim: ClaimNotice) -> Awaitable[None] | None:
    """Observe a claim triaged (or triaged again) to a lead and supporting institutions, e.g.
    to alert their desks. At least once, in the order of the event log.

    Called by a delivery worker after the triage is committed; awaited before the worker moves
    its place in the log, so keep it short (queue the e-mail, do not wait for the mail server).
    """


@hookspec
def coordhub_claim_overdue(claim: ClaimNotice) -> Awaitable[None] | None:
    """Observe a claim whose due-by passed with no rebuttal published. At least once, as for
    ``coordhub_claim_triaged``; the worker writes the CLAIM_OVERDUE event once per due-by."""


@hookspec
def coordhub_delivery_failed(failure: FailedDelivery) -> Awaitable[None] | None:
    """Observe a delivery that failed for good (e.g. to alert an operator).

    Called by the worker once the failure is committed; awaited within that delivery's send.
    """


@hookspec
def coordhub_startup(settings: Settings) -> Awaitable[None] | None:
    """Called when a process that runs connectors (API or worker) starts; awaited before it
    serves or delivers."""


@hookspec
def coordhub_shutdown() -> Awaitable[None] | None:
    """Called when that process stops, after its sends in flight finished; awaited."""
