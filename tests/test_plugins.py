"""Plugin discovery: built-ins through entry points, broken plugins reported, not fatal."""

from __future__ import annotations

import gc
import sys
import types

import pytest

from coordhub.connectors import Connector, hookimpl
from coordhub.connectors.manager import load_registry
from coordhub.connectors.webhook import WebhookConnector
from coordhub.settings import Settings


class Impostor:
    """A plugin offering a connector under a name that is already taken."""

    @hookimpl
    def coordhub_connectors(self, settings: Settings) -> list[Connector]:
        return [WebhookConnector("akp")]


class Terse:
    """Hooks that declare fewer arguments than their specs, as pluggy allows."""

    def __init__(self) -> None:
        self.started = False

    @hookimpl
    def coordhub_connectors(self) -> list[Connector]:
        return [WebhookConnector("terse")]

    @hookimpl
    async def coordhub_startup(self) -> None:
        self.started = True


class Eager:
    @hookimpl
    async def coordhub_connectors(self, settings: Settings) -> list[Connector]:
        return [WebhookConnector("eager")]


class Broken:
    @hookimpl
    def coordhub_connectors(self, settings: Settings) -> list[Connector]:
        raise RuntimeError("misconfigured")


def test_built_in_outlets_are_found_through_entry_points() -> None:
    registry = load_registry(Settings())
    assert {"akp", "tvk", "ministry-app", "webhook"} <= set(registry.connectors)
    assert registry.origins["akp"].name == "coordhub-akp"
    assert registry.origins["akp"].version
    assert registry.problems == []


def test_a_plugin_module_that_fails_to_import_is_reported_and_skipped() -> None:
    settings = Settings(connector_modules=["no_such_coordhub_plugin"])
    registry = load_registry(settings)
    assert "akp" in registry.connectors
    assert any("no_such_coordhub_plugin" in problem for problem in registry.problems)


def test_a_plugin_module_named_in_settings_is_registered() -> None:
    module = types.ModuleType("coordhub_test_radio")

    @hookimpl
    def coordhub_connectors(settings: Settings) -> list[Connector]:
        return [WebhookConnector("radio")]

    module.coordhub_connectors = coordhub_connectors  # type: ignore[attr-defined]
    sys.modules["coordhub_test_radio"] = module
    try:
        registry = load_registry(Settings(connector_modules=["coordhub_test_radio"]))
    finally:
        del sys.modules["coordhub_test_radio"]
    assert "radio" in registry.connectors


def test_a_duplicate_name_and_a_failing_hook_are_reported_not_fatal() -> None:
    registry = load_registry(Settings(), plugins=[Impostor(), Broken()])
    assert not isinstance(registry.connectors["akp"], WebhookConnector)
    assert any("already offered" in problem for problem in registry.problems)
    assert any("misconfigured" in problem for problem in registry.problems)
    assert "tvk" in registry.connectors


async def test_a_hook_may_declare_fewer_arguments_than_its_spec() -> None:
    terse = Terse()
    registry = load_registry(Settings(), use_entry_points=False, plugins=[terse])
    await registry.broadcast("coordhub_startup", settings=Settings())
    assert "terse" in registry.connectors
    assert terse.started, "an async observing hook is awaited"


def test_coordhub_connectors_is_not_awaited_so_an_async_one_is_reported() -> None:
    with pytest.warns(RuntimeWarning, match="never awaited"):
        registry = load_registry(Settings(), use_entry_points=False, plugins=[Eager()])
        gc.collect()
    assert "eager" not in registry.connectors
    assert any("failed to offer connectors" in problem for problem in registry.problems)
