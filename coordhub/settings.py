"""Runtime configuration, read from the environment (prefix ``COORDHUB_``) or a ``.env`` file."""

from __future__ import annotations

from datetime import timedelta
from functools import cached_property
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an operator may change without touching code."""

    model_config = SettingsConfigDict(env_prefix="COORDHUB_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite://coordhub.db",
        description="Tortoise database URL: sqlite://PATH or postgres://USER@HOST:PORT/DB.",
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Base of the canonical public URLs of rebuttals.",
    )

    environment: Literal["development", "production"] = Field(
        default="production",
        description="`development` turns GraphiQL and introspection on unless set explicitly.",
    )
    graphiql: bool | None = Field(
        default=None,
        description="Serve GraphiQL at /graphql to browsers (default: in development).",
    )
    introspection: bool | None = Field(
        default=None, description="Allow schema introspection (default: in development)."
    )
    max_depth: int = Field(default=12, description="Deepest selection a query may nest.")
    max_aliases: int = Field(default=30, description="Most aliases in one document.")
    max_tokens: int = Field(default=2_000, description="Most lexical tokens in one document.")
    max_page_size: int = Field(default=100, description="Hard cap on `first` for every list.")
    default_page_size: int = Field(default=20, description="Page size when `first` is omitted.")
    max_body_bytes: int = Field(default=256 * 1024, description="Largest request body accepted.")

    sla_critical_hours: int = Field(default=4, description="Due-by for CRITICAL claims.")
    sla_high_hours: int = Field(default=24, description="Due-by for HIGH claims.")
    sla_normal_hours: int = Field(default=72, description="Due-by for NORMAL claims.")
    sla_low_hours: int = Field(default=168, description="Due-by for LOW claims.")

    @property
    def graphiql_enabled(self) -> bool:
        """Whether browsers get GraphiQL."""
        return self.graphiql if self.graphiql is not None else self.environment == "development"

    @property
    def introspection_enabled(self) -> bool:
        """Whether introspection queries are answered."""
        if self.introspection is not None:
            return self.introspection
        return self.environment == "development"

    @cached_property
    def sla(self) -> dict[str, timedelta]:
        """Time allowed from triage to a published rebuttal, by claim priority."""
        return {
            "CRITICAL": timedelta(hours=self.sla_critical_hours),
            "HIGH": timedelta(hours=self.sla_high_hours),
            "NORMAL": timedelta(hours=self.sla_normal_hours),
            "LOW": timedelta(hours=self.sla_low_hours),
        }
