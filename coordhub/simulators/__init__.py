"""Outlet simulators: loopback stand-ins for AKP, TVK, the ministry app and a webhook receiver.

Tests, benchmarks and ``make run`` deliver to these instead of the real outlets. See
:mod:`coordhub.simulators.app` for the app factory and the uvicorn helper.
"""

from coordhub.simulators.app import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    create_simulator_app,
    serve_simulators,
)
from coordhub.simulators.config import (
    DEMO_WEBHOOK_SECRET,
    SimulatorSecrets,
    simulator_connectors,
)
from coordhub.simulators.state import OUTLETS, Mode

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEMO_WEBHOOK_SECRET",
    "OUTLETS",
    "Mode",
    "SimulatorSecrets",
    "create_simulator_app",
    "serve_simulators",
    "simulator_connectors",
]
