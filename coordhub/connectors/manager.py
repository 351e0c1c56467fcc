"""The plugin manager: finds plugins, collects their connectors, and isolates their failures.

Built-in outlets are ordinary plugins found through the same entry-point group as anyone's.
A plugin that fails to import, or offers a connector whose name is taken, is reported and
skipped; the others load.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

import pluggy

from coordhub.connectors import hookspecs
from coordhub.connectors.types import Connector
from coordhub.settings import Settings

log = logging.getLogger("coordhub.connectors")
ENTRY_POINT_GROUP = "coordhub.connectors"


@dataclass(frozen=True, slots=True)
class PluginInfo:
    """Where a connector comes from."""

    name: str
    version: str | None
    module: str


@dataclass
class ConnectorRegistry:
    """The loaded connectors and the hook caller for broadcast hooks."""

    manager: pluggy.PluginManager
    connectors: dict[str, Connector] = field(default_factory=dict)
    #: Plugin name -> where it comes from.
    plugins: dict[str, PluginInfo] = field(default_factory=dict)
    #: Connector name -> the plugin that offers it.
    origins: dict[str, PluginInfo] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def get(self, name: str) -> Connector | None:
        """The connector with this name, if installed."""
        return self.connectors.get(name)

    async def broadcast(self, hook_name: str, **kwargs: Any) -> None:
        """Call an observing hook on every plugin; one plugin's failure does not stop others."""
        caller = getattr(self.manager.hook, hook_name)
        for impl in caller.get_hookimpls():
            try:
                result = call_impl(impl, kwargs)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                log.exception("plugin %s failed in %s", impl.plugin_name, hook_name)


def call_impl(impl: pluggy.HookImpl, kwargs: dict[str, Any]) -> Any:
    """Call one hook implementation with the arguments it declares (pluggy lets plugins
    declare fewer arguments than the spec)."""
    return impl.function(**{name: kwargs[name] for name in impl.argnames if name in kwargs})


def _problem(registry: ConnectorRegistry, message: str) -> None:
    log.warning(message)
    registry.problems.append(message)


def _register_entry_points(registry: ConnectorRegistry) -> None:
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        dist = entry_point.dist
        label = f"{entry_point.name} ({dist.name if dist else '?'} {dist.version if dist else ''})"
        try:
            plugin = entry_point.load()
            registry.manager.register(plugin, name=entry_point.name)
        except Exception as exc:
            _problem(registry, f"plugin {label.strip()} failed to load: {exc!r}")
            continue
        registry.plugins[entry_point.name] = PluginInfo(
            name=dist.name if dist else entry_point.name,
            version=dist.version if dist else None,
            module=entry_point.value,
        )


def _register_modules(registry: ConnectorRegistry, modules: Iterable[str]) -> None:
    for module_name in modules:
        try:
            module = importlib.import_module(module_name)
            registry.manager.register(module, name=module_name)
        except Exception as exc:
            _problem(registry, f"plugin module {module_name} failed to load: {exc!r}")
            continue
        registry.plugins[module_name] = PluginInfo(
            name=module_name, version=None, module=module_name
        )


def _collect_connectors(registry: ConnectorRegistry, settings: Settings) -> None:
    for impl in registry.manager.hook.coordhub_connectors.get_hookimpls():
        try:
            offered = list(call_impl(impl, {"settings": settings}) or [])
        except Exception as exc:
            _problem(registry, f"plugin {impl.plugin_name} failed to offer connectors: {exc!r}")
            continue
        for connector in offered:
            if not isinstance(connector, Connector):
                _problem(
                    registry, f"plugin {impl.plugin_name} offered {connector!r}, not a Connector"
                )
                continue
            if connector.name in registry.connectors:
                _problem(
                    registry,
                    f"plugin {impl.plugin_name} offers connector '{connector.name}', already "
                    "offered by another plugin: skipped",
                )
                continue
            registry.connectors[connector.name] = connector
            registry.origins[connector.name] = registry.plugins.get(
                impl.plugin_name,
                PluginInfo(name=impl.plugin_name, version=None, module=impl.plugin_name),
            )


def load_registry(
    settings: Settings, *, use_entry_points: bool = True, plugins: Iterable[object] = ()
) -> ConnectorRegistry:
    """Find and load every plugin; report (and skip) the broken ones."""
    manager = pluggy.PluginManager("coordhub")
    manager.add_hookspecs(hookspecs)
    registry = ConnectorRegistry(manager=manager)
    if use_entry_points:
        _register_entry_points(registry)
    _register_modules(registry, settings.connector_modules)
    for plugin in plugins:
        manager.register(plugin)
    _collect_connectors(registry, settings)
    return registry
