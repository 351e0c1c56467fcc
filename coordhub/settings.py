"""Runtime configuration, read from the environment (prefix ``COORDHUB_``) or a ``.env`` file."""

from __future__ import annotations

from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an operator may change without touching code."""

    model_config = SettingsConfigDict(env_prefix="COORDHUB_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite://coordhub.db",
        description="Tortoise database URL: sqlite://PATH or postgres://USER@HOST:PORT/DB.",
    )
    db_pool_min: int = Field(default=1, ge=1, description="PostgreSQL pool: connections kept.")
    db_pool_max: int = Field(default=10, ge=1, description="PostgreSQL pool: most connections.")
    db_statement_timeout_ms: int = Field(
        default=15_000, ge=0, description="PostgreSQL statement_timeout for every connection."
    )
    db_connection_lifetime_seconds: float = Field(
        default=300.0, ge=0, description="Idle PostgreSQL connections are closed after this."
    )
    broker_url: str | None = Field(
        default=None,
        description="redis://HOST:PORT/DB to carry wake-ups between processes through Redis "
        "pub/sub; by default PostgreSQL LISTEN/NOTIFY does (SQLite needs none).",
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
    metrics_token: SecretStr | None = Field(
        default=None,
        min_length=16,
        description="Bearer token a scraper must send to GET /metrics (`Authorization: Bearer "
        "...`, compared in constant time). Without one, /metrics is refused (403) in production "
        "and open in development.",
    )
    max_depth: int = Field(default=12, description="Deepest selection a query may nest.")
    max_aliases: int = Field(default=30, description="Most aliases in one document.")
    max_tokens: int = Field(default=2_000, description="Most lexical tokens in one document.")
    max_page_size: int = Field(default=100, description="Hard cap on `first` for every list.")
    default_page_size: int = Field(default=20, description="Page size when `first` is omitted.")
    max_search_chars: int = Field(
        default=200,
        ge=1,
        description="Longest text a search filter (`claims(filter: {text})`) may give, counted "
        "once NFC-normalised and case-folded; longer is refused (INVALID).",
    )
    max_body_bytes: int = Field(default=256 * 1024, description="Largest request body accepted.")
    max_query_cost: int = Field(
        default=5_000,
        ge=1,
        description="Most an operation may cost (see docs/security.md: objects 1, lists and "
        "connections multiply their items, outbound checks 100); refused before it runs.",
    )
    operation_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description="Deadline of a query (HTTP or websocket): past it, TIMEOUT and nothing kept.",
    )
    rate_limits_enabled: bool = Field(default=True, description="Apply the rate limits below.")
    rate_limit_token_requests: str = Field(
        default="2000/minute", description="Requests per token (e.g. `2000/minute`)."
    )
    rate_limit_address_requests: str = Field(
        default="2000/minute", description="Requests per client address without a token."
    )
    rate_limit_token_cost: str = Field(
        default="100000/minute", description="Query cost per token per window."
    )
    rate_limit_address_cost: str = Field(
        default="50000/minute", description="Query cost per client address without a token."
    )
    rate_limit_page_requests: str = Field(
        default="600/minute",
        description="Public pages, feeds and files (everything but the API and the probes) "
        "per client address: a reader opens a few a minute, a crawler should slow down.",
    )
    rate_limit_correction_requests: str = Field(
        default="5/hour",
        description="Correction requests a client address may send from the public pages.",
    )
    rate_limit_auth_failures: str = Field(
        default="20/minute",
        description="Failed authentications per client address before it is locked out for "
        "the rest of the window.",
    )
    max_connections: int = Field(
        default=1_000,
        ge=1,
        description="Connections and requests in flight per process; past it uvicorn answers 503.",
    )
    keep_alive_seconds: int = Field(
        default=5, ge=1, description="How long an idle HTTP keep-alive connection is kept."
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses or networks (CIDR) of reverse proxies whose X-Forwarded-For "
        "names the client; none by default (the peer address is the client).",
    )
    compiled_reads: bool = Field(
        default=True,
        description="Answer the queries the compiled read path knows without field-by-field "
        "execution (false: every query field by field, e.g. to compare the two).",
    )
    response_cache_size: int = Field(
        default=1024,
        ge=0,
        description="Public GraphQL responses kept in memory per process until the event log "
        "moves (0: off).",
    )
    page_cache_size: int = Field(
        default=1024,
        ge=0,
        description="Public pages and feeds (/km/..., /en/..., sitemap.xml) kept in memory per "
        "process until the event log moves (0: off).",
    )

    sla_critical_hours: int = Field(default=4, description="Due-by for CRITICAL claims.")
    sla_high_hours: int = Field(default=24, description="Due-by for HIGH claims.")
    sla_normal_hours: int = Field(default=72, description="Due-by for NORMAL claims.")
    sla_low_hours: int = Field(default=168, description="Due-by for LOW claims.")

    connectors_file: Path | None = Field(
        default=None,
        description="TOML file with one table per connector (endpoint, secrets). Read at send "
        "time, so edits apply without a restart.",
    )
    connectors: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Connector settings as JSON, merged over the file's (e.g. in containers).",
    )
    connector_health_cache_seconds: float = Field(
        default=5.0,
        ge=0,
        description="How long a connector's `health` answer is reused; concurrent asks of one "
        "connector share one outbound check.",
    )
    connector_modules: list[str] = Field(
        default_factory=list,
        description="Extra plugin modules to register, besides installed entry points.",
    )
    embedded_worker: bool = Field(
        default=True, description="Run the delivery worker inside `coordhub serve`."
    )
    delivery_concurrency: int = Field(default=8, ge=1, description="Sends in flight per worker.")
    delivery_batch: int = Field(default=32, ge=1, description="Deliveries claimed at once.")
    delivery_lease_seconds: float = Field(
        default=120.0, gt=0, description="How long a claimed delivery is reserved for a worker."
    )
    delivery_poll_seconds: float = Field(
        default=2.0, gt=0, description="How often an idle worker looks for due deliveries."
    )
    delivery_backoff_seconds: list[float] = Field(
        default=[
            5,
            30,
            120,
            600,
            1800,
            3600,
            7200,
            14400,
            28800,
            43200,
            43200,
            43200,
            43200,
            28800,
        ],
        description="Waits between attempts (about three days in all); then the delivery fails.",
    )
    delivery_jitter: float = Field(
        default=0.2, ge=0, le=1, description="Random spread of each wait, as a fraction."
    )

    subscriber_buffer: int = Field(
        default=256, ge=1, description="Events a subscriber may fall behind before it is cut off."
    )
    ws_ping_seconds: float = Field(
        default=15.0, gt=0, description="How often the server pings subscription connections."
    )
    ws_pong_timeout_seconds: float = Field(
        default=45.0, gt=0, description="Close a connection that has not answered a ping since."
    )
    ws_init_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description="How long a new connection may wait to send connection_init.",
    )
    ws_max_subscriptions: int = Field(
        default=20,
        ge=1,
        description="Subscriptions one websocket connection may run at once; one more is "
        "refused with TOO_MANY_SUBSCRIPTIONS.",
    )
    ws_max_sockets_per_token: int = Field(
        default=20,
        ge=1,
        description="Websocket connections one token may hold open on each API process; one "
        "more is closed with 4429.",
    )

    log_level: str = Field(default="info", description="debug, info, warning or error.")
    log_format: Literal["json", "text"] | None = Field(
        default=None, description="Log lines as JSON (default in production) or text."
    )

    @property
    def log_format_resolved(self) -> str:
        """JSON in production, text in development, unless ``log_format`` says otherwise."""
        if self.log_format is not None:
            return self.log_format
        return "text" if self.environment == "development" else "json"

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
