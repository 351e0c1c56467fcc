"""``create_app(settings)``: assembles the Starlette application from its parts: routes,
middleware and lifespan. The parts live in ``coordhub.web`` (and the schema in
``coordhub.schema``); nothing is defined here that a part could hold."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.routing import Route, WebSocketRoute
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from coordhub.auth import TokenBackend
from coordhub.connectors.manager import ConnectorRegistry, load_registry
from coordhub.connectors.runtime import running_connectors
from coordhub.db import database, require_schema
from coordhub.events.tail import LogTail
from coordhub.events.wakeups import wakeups
from coordhub.logs import configure_logging
from coordhub.public.site import PublicSite
from coordhub.ratelimits import RateLimits
from coordhub.schema import create_schema
from coordhub.settings import Settings
from coordhub.web.graphiql import graphiql_routes
from coordhub.web.graphql import GraphQLView
from coordhub.web.middleware import BodySizeLimit, RequestId, SecurityHeaders, unauthenticated
from coordhub.web.probes import MetricsAccess, healthz, metrics, readyz
from coordhub.web.rate_limits import AuthLockout, PageLimit, RequestLimit
from coordhub.web.response_cache import CachedGraphQL, ResponseCache
from coordhub.workflow.timers import running_timers

#: Paths no rate limit applies to: orchestrators and scrapers poll them (``/metrics`` has a token).
PROBES = ("/healthz", "/readyz", "/metrics")


def create_app(
    settings: Settings | None = None,
    *,
    manage_database: bool = True,
    registry: ConnectorRegistry | None = None,
) -> Starlette:
    """The ASGI app. ``manage_database=False`` leaves opening the ORM, and running a delivery
    worker, to the caller (tests)."""
    settings = settings or Settings()
    registry = registry or load_registry(settings)
    tail = LogTail(settings)
    rate_limits = RateLimits(settings)
    graphql = GraphQLView(create_schema(settings, rate_limits), settings, registry, tail)
    cached_graphql = CachedGraphQL(graphql, ResponseCache(settings.response_cache_size))
    # The public record (pages, feeds, sitemap); "/" leads to it in the reader's language.
    public = PublicSite(settings, rate_limits)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if not manage_database:
            yield
            return
        async with database(settings):
            await require_schema(settings)
            async with (
                wakeups(settings),
                running_connectors(settings, registry),
                running_timers(settings, enabled=settings.embedded_worker),
            ):
                await tail.start()
                try:
                    yield
                finally:
                    await tail.stop()

    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
            Route("/graphql", cached_graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            *graphiql_routes(settings),  # /static/graphiql, before the public site's /static
            *public.routes(),
        ],
        middleware=[
            Middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies),
            Middleware(SecurityHeaders),
            Middleware(RequestId),
            Middleware(AuthLockout, limits=rate_limits),
            Middleware(MetricsAccess, settings=settings),
            Middleware(BodySizeLimit, max_bytes=settings.max_body_bytes),
            Middleware(AuthenticationMiddleware, backend=TokenBackend(), on_error=unauthenticated),
            Middleware(RequestLimit, limits=rate_limits, paths=("/graphql",)),
            Middleware(PageLimit, limits=rate_limits, exempt=("/graphql", *PROBES)),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.registry = registry
    app.state.tail = tail
    app.state.rate_limits = rate_limits
    return app


def app_from_environment() -> Starlette:
    """The app of one of several server processes (``serve --workers N``): settings and
    logging from the environment, as each process starts on its own."""
    settings = Settings()
    configure_logging(settings)
    return create_app(settings)
