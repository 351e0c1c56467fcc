"""Plugin discovery: built-ins through entry points, broken plugins reported, not fatal."""

from __future__ import annotations

import sys
import types

from coordhub.connectors import Connector, hookimpl
from coordhub.connectors.manager import load_registry
from coordhub.connectors.webhook import WebhookConnector
from coordhub.settings import Settings


class Impostor:
    """A plugin offering a connector under a name that is already taken."""

    @hookimpl
    def coordhub_connectors(self, settings: Settings) -> list[Connector]:
        return [WebhookConnector("akp")]


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
