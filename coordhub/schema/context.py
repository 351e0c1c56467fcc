"""The per-request GraphQL context: who is calling, settings, and the request's DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from strawberry.types import Info as StrawberryInfo

from coordhub.schema.loaders import Loaders
from coordhub.settings import Settings
from coordhub.workflow.actor import Actor

if TYPE_CHECKING:
    from starlette.requests import HTTPConnection

    from coordhub.connectors.manager import ConnectorRegistry


@dataclass
class Context:
    """Built once per HTTP request (and, for subscriptions, once per event)."""

    settings: Settings
    actor: Actor | None
    request: HTTPConnection | None = None
    registry: ConnectorRegistry | None = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.actor)


Info = StrawberryInfo[Context, None]
