"""``bench.pages``' static server: a folder served by Starlette's ``StaticFiles`` under uvicorn.

    python -m bench.static_pages FOLDER --port PORT

It answers ``GET /healthz`` too, as ``bench.harness.Server.wait_until_up`` asks; no access log.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles


async def healthz(request: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    bodies = {path.name: path.read_bytes() for path in Path(args.folder).iterdir()}

    async def memory(request: Request) -> Response:
        return Response(bodies[request.path_params["name"]], media_type="text/html")

    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/memory/{name}", memory),
            Mount("/files", StaticFiles(directory=args.folder)),
        ]
    )
    uvicorn.run(app, host="127.0.0.1", port=args.port, access_log=False, log_level="warning")


if __name__ == "__main__":
    main()
