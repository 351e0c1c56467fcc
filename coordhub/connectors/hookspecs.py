"""The whole plugin API of coordhub, as pluggy hook specifications.

A plugin is a module (or object) with functions marked ``@hookimpl`` named like the specs
below. Register it through the ``coordhub.connectors`` entry-point group, or name its module in
``COORDHUB_CONNECTOR_MODULES``. Hooks may return a value or an awaitable; the core awaits.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from coordhub.connectors.types import Connector, FailedDelivery, RebuttalItem
    from coordhub.settings import Settings

hookspec = pluggy.HookspecMarker("coordhub")
hookimpl = pluggy.HookimplMarker("coordhub")


@hookspec
def coordhub_connectors(settings: Settings) -> list[Connector]:
    """Return the connectors this plugin offers (each with a unique ``name``).

    Called once at start-up with the application settings. Return an empty list to offer none.
    """


@hookspec
def coordhub_rebuttal_published(item: RebuttalItem) -> Awaitable[None] | None:
    """Observe a published revision (first publication or correction). At least once."""


@hookspec
def coordhub_delivery_failed(failure: FailedDelivery) -> Awaitable[None] | None:
    """Observe a delivery that failed for good (e.g. to alert an operator)."""


@hookspec
def coordhub_startup(settings: Settings) -> Awaitable[None] | None:
    """Called when a process that runs connectors (API or worker) starts."""


@hookspec
def coordhub_shutdown() -> Awaitable[None] | None:
    """Called when that process stops."""
