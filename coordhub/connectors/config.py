"""Connector settings from operator configuration, read afresh at send time.

Sources, later ones winning per key: the TOML file named by ``COORDHUB_CONNECTORS_FILE``
(one table per connector) and the JSON in ``COORDHUB_CONNECTORS``. Values never come from
requests, and are never logged or shown through GraphQL.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from coordhub.connectors.types import Connector, ConnectorSettings
from coordhub.settings import Settings

_file_cache: dict[Path, tuple[float, dict[str, Any]]] = {}


class ConnectorNotConfigured(Exception):
    """The connector has no (valid) settings: its deliveries wait until it has."""


def _read_file(path: Path) -> dict[str, Any]:
    """The parsed TOML file, re-read whenever it changes."""
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return {}
    cached = _file_cache.get(path)
    if cached is None or cached[0] != mtime:
        with path.open("rb") as handle:
            cached = (mtime, tomllib.load(handle))
        _file_cache[path] = cached
    return cached[1]


def raw_settings(settings: Settings, name: str) -> dict[str, Any] | None:
    """The operator's table for one connector, or ``None`` if there is none."""
    if settings.connectors_file is not None:
        from_file = _read_file(settings.connectors_file).get(name)
        if from_file is not None:
            return dict(from_file) | settings.connectors.get(name, {})
    return settings.connectors.get(name)


def settings_for(settings: Settings, connector: Connector) -> ConnectorSettings:
    """The connector's validated settings; ``ConnectorNotConfigured`` explains what is wrong."""
    table = raw_settings(settings, connector.name)
    if table is None:
        raise ConnectorNotConfigured(
            f"connector '{connector.name}' has no settings: add a [{connector.name}] table to "
            "COORDHUB_CONNECTORS_FILE"
        )
    try:
        return connector.settings_model.model_validate(table)
    except ValidationError as exc:
        fields = ", ".join(".".join(map(str, e["loc"])) + f": {e['msg']}" for e in exc.errors())
        raise ConnectorNotConfigured(
            f"connector '{connector.name}' settings are invalid ({fields})"
        ) from None
