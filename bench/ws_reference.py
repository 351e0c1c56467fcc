"""The floor for ``bench.subscriptions``: a bare Starlette websocket fan-out, served by uvicorn.

``/ws`` accepts any number of plain websockets (no subprotocol, no handshake of its own) and
holds them; ``POST /broadcast`` answers at once and then, as a background task once the
response is sent, sends its body as one text message to every connected socket, one after
the other. That is the least a server can do to push one event to N subscribers, and it
mirrors coordhub, which also answers the mutation before fanning the event out.

    python -m uvicorn bench.ws_reference:app --port 8100
"""

from __future__ import annotations

import contextlib

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

clients: set[WebSocket] = set()


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok", "clients": len(clients)})


async def subscribe(websocket: WebSocket) -> None:
    await websocket.accept()
    clients.add(websocket)
    try:
        while True:  # hold the connection until the client goes; ignore what it sends
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
    except WebSocketDisconnect:
        pass
    finally:
        clients.discard(websocket)


async def _send_to_all(text: str) -> None:
    for websocket in list(clients):
        with contextlib.suppress(Exception):
            await websocket.send_text(text)


async def broadcast(request: Request) -> Response:
    text = (await request.body()).decode()
    return JSONResponse({"clients": len(clients)}, background=BackgroundTask(_send_to_all, text))


app = Starlette(
    routes=[
        Route("/healthz", healthz),
        Route("/broadcast", broadcast, methods=["POST"]),
        WebSocketRoute("/ws", subscribe),
    ]
)
