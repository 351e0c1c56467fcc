"""Secrets the outlet simulators check, read from the environment (prefix ``COORDHUB_SIM_``).

The defaults are fixed, public demo values: they make ``make run``, the tests and the
benchmarks work out of the box and must never be used against a real outlet.
"""

from __future__ import annotations

import base64

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from standardwebhooks.webhooks import Webhook

DEMO_WEBHOOK_KEY = b"coordhub-simulator-webhook-demo!"
"""The 32 fixed bytes behind the default Standard Webhooks secret."""

DEMO_WEBHOOK_SECRET = "whsec_" + base64.b64encode(DEMO_WEBHOOK_KEY).decode("ascii")
"""``whsec_Y29vcmRodWItc2ltdWxhdG9yLXdlYmhvb2stZGVtbyE=``."""


class SimulatorSecrets(BaseSettings):
    """The credential each simulated outlet expects from coordhub's connectors."""

    model_config = SettingsConfigDict(env_prefix="COORDHUB_SIM_", env_file=".env", extra="ignore")

    akp_token: str = Field(
        default="akp-demo-token", min_length=1, description="Bearer token of the AKP agency."
    )
    tvk_secret: str = Field(
        default="tvk-demo-secret",
        min_length=1,
        description="HMAC-SHA256 key of TVK's X-TVK-Signature header.",
    )
    app_token: str = Field(
        default="app-demo-token", min_length=1, description="Bearer token of the ministry app."
    )
    webhook_secret: str = Field(
        default=DEMO_WEBHOOK_SECRET,
        description='Standard Webhooks secret, "whsec_" followed by base64.',
    )

    @field_validator("webhook_secret")
    @classmethod
    def _valid_webhook_secret(cls, value: str) -> str:
        """Refuse a secret the standardwebhooks package cannot use."""
        try:
            Webhook(value)
        except Exception as exc:
            raise ValueError(f"not a usable Standard Webhooks secret: {exc}") from exc
        return value


def simulator_connectors(
    base_url: str, secrets: SimulatorSecrets | None = None
) -> dict[str, dict[str, object]]:
    """Connector settings that point every built-in connector at simulators on ``base_url``."""
    secrets = secrets or SimulatorSecrets()
    tables: dict[str, dict[str, object]] = {
        "akp": {"endpoint": f"{base_url}/akp/items", "token": secrets.akp_token},
        "tvk": {"endpoint": f"{base_url}/tvk/newsml", "secret": secrets.tvk_secret},
        "ministry-app": {"endpoint": f"{base_url}/ministry-app/push", "token": secrets.app_token},
        "webhook": {"endpoint": f"{base_url}/webhook", "secret": secrets.webhook_secret},
    }
    for outlet, table in tables.items():
        table["health_url"] = f"{base_url}/{outlet}/health"
    return tables
