"""The simulator app: every simulated outlet, their health checks and the control API.

``create_simulator_app`` builds the Starlette app (tests mount it over ASGI);
``serve_simulators`` runs it with uvicorn (``coordhub simulate-outlets``, ``make run``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from coordhub.simulators import akp, control, ministry_app, tvk, webhook
from coordhub.simulators.common import ORJSONResponse, mode_response
from coordhub.simulators.config import SimulatorSecrets
from coordhub.simulators.state import OUTLETS, Mode, SimulatorState

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8900
UNHEALTHY_MODES = frozenset({Mode.DOWN, Mode.ERROR, Mode.GONE})
"""Modes in which ``GET /{outlet}/health`` answers the mode's status instead of 200."""


def _health_routes(state: SimulatorState) -> list[BaseRoute]:
    """``GET /healthz`` for the whole simulator and ``GET /{outlet}/health`` per outlet."""

    async def healthz(request: Request) -> Response:
        """The simulator process is up."""
        return ORJSONResponse({"ok": True, "outlets": list(OUTLETS)})

    def outlet_health(name: str) -> Callable[[Request], Awaitable[Response]]:
        """The health endpoint of the outlet called ``name``."""

        async def health(request: Request) -> Response:
            """200 unless the outlet is down, erroring or gone (does not use up ``times``)."""
            setting = state[name].mode
            if setting.mode in UNHEALTHY_MODES:
                canned = mode_response(setting)
                assert canned is not None
                return canned
            return ORJSONResponse({"ok": True})

        return health

    routes: list[BaseRoute] = [Route("/healthz", healthz, methods=["GET"])]
    routes += [
        Route(f"/{name}/health", outlet_health(name), methods=["GET"], name=f"{name}-health")
        for name in OUTLETS
    ]
    return routes


def create_simulator_app(secrets: SimulatorSecrets | None = None) -> Starlette:
    """A fresh simulator app with its own in-memory state (``app.state.simulator``)."""
    secrets = secrets or SimulatorSecrets()
    state = SimulatorState()
    routes: list[BaseRoute] = []
    routes += akp.routes(state, secrets)
    routes += tvk.routes(state, secrets)
    routes += ministry_app.routes(state, secrets)
    routes += webhook.routes(state, secrets)
    routes += control.routes(state)
    routes += _health_routes(state)
    app = Starlette(routes=routes)
    app.state.simulator = state
    app.state.secrets = secrets
    return app


async def _announce(
    server: uvicorn.Server, task: asyncio.Task[None], ready: Callable[[str, int], None]
) -> None:
    """Call ``ready(host, port)`` once the server listens (port is the bound one)."""
    while not server.started:
        if task.done():
            return
        await asyncio.sleep(0.01)
    host, port = server.servers[0].sockets[0].getsockname()[:2]
    ready(host, port)


async def serve_simulators(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    secrets: SimulatorSecrets | None = None,
    *,
    log_level: str = "info",
    ready: Callable[[str, int], None] | None = None,
) -> None:
    """Serve the simulators with uvicorn until Ctrl-C, SIGTERM or cancellation.

    ``port=0`` binds a free port; ``ready(host, port)`` is then told which one. Cancelling
    the task running this coroutine shuts the server down cleanly before re-raising.
    """
    config = uvicorn.Config(
        create_simulator_app(secrets),
        host=host,
        port=port,
        log_level=log_level,
        lifespan="off",
        access_log=log_level == "debug",
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        if ready is not None:
            await _announce(server, task, ready)
        await asyncio.shield(task)
    except asyncio.CancelledError:
        server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await task
        raise
