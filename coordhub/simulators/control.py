"""The ``/_control`` API that tests and demos use to inspect and steer the simulated outlets."""

from __future__ import annotations

import math
from typing import Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from coordhub.simulators.common import ORJSONResponse, error
from coordhub.simulators.state import OUTLETS, Mode, ModeSetting, OutletState, SimulatorState

MAX_DELAY_SECONDS = 300.0


class ModeRequest(BaseModel):
    """Body of ``POST /_control/{outlet}/mode``."""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["ok", "down", "error", "throttle", "gone", "slow", "reject"]
    retry_after: float = Field(default=1, ge=0, description="Retry-After seconds (throttle).")
    delay: float = Field(default=1.0, ge=0, le=MAX_DELAY_SECONDS, description="Sleep (slow).")
    times: int | None = Field(default=None, ge=1, description="Only the next N POSTs.")

    def to_setting(self) -> ModeSetting:
        """The outlet mode this request asks for."""
        return ModeSetting(
            mode=Mode(self.mode),
            retry_after=math.ceil(self.retry_after),
            delay=self.delay,
            remaining=self.times,
        )


def _outlet(state: SimulatorState, request: Request) -> OutletState | None:
    """The outlet named in the path, or None if there is none by that name."""
    name = request.path_params["outlet"]
    return state[name] if name in OUTLETS else None


def _unknown(request: Request) -> Response:
    """The 404 answer for an unknown outlet name."""
    known = ", ".join(OUTLETS)
    return error(404, f"unknown outlet {request.path_params['outlet']!r} (known: {known})")


def routes(state: SimulatorState) -> list[Route]:
    """The control routes, bound to ``state``."""

    async def received(request: Request) -> Response:
        """Recorded deliveries of one outlet, in arrival order."""
        outlet = _outlet(state, request)
        if outlet is None:
            return _unknown(request)
        return ORJSONResponse([delivery.to_dict() for delivery in outlet.deliveries])

    async def attempts(request: Request) -> Response:
        """How many POSTs the outlet got, including rejected ones and duplicates."""
        outlet = _outlet(state, request)
        if outlet is None:
            return _unknown(request)
        return ORJSONResponse({"outlet": outlet.name, "attempts": outlet.attempts})

    async def get_mode(request: Request) -> Response:
        """The outlet's current mode."""
        outlet = _outlet(state, request)
        if outlet is None:
            return _unknown(request)
        return ORJSONResponse(outlet.mode.to_dict())

    async def set_mode(request: Request) -> Response:
        """Switch the outlet's mode, optionally for the next ``times`` POSTs only."""
        outlet = _outlet(state, request)
        if outlet is None:
            return _unknown(request)
        try:
            wanted = ModeRequest.model_validate(orjson.loads(await request.body()))
        except orjson.JSONDecodeError as exc:
            return error(422, f"body is not valid JSON: {exc}")
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors()
            )
            return error(422, problems)
        outlet.set_mode(wanted.to_setting())
        return ORJSONResponse(outlet.mode.to_dict())

    async def reset(request: Request) -> Response:
        """Forget all deliveries, attempts and modes of every outlet."""
        state.reset()
        return ORJSONResponse({"ok": True})

    return [
        Route("/_control/reset", reset, methods=["POST"]),
        Route("/_control/{outlet}/received", received, methods=["GET"]),
        Route("/_control/{outlet}/attempts", attempts, methods=["GET"]),
        Route("/_control/{outlet}/mode", get_mode, methods=["GET"]),
        Route("/_control/{outlet}/mode", set_mode, methods=["POST"]),
    ]
