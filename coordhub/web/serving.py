"""How uvicorn serves the app: the connection, header and websocket limits of every process.

The client address is taken from ``X-Forwarded-For`` only when the peer is one of
``Settings.trusted_proxies`` (``coordhub.app`` applies uvicorn's proxy-headers middleware with
that list), so uvicorn's own proxy handling, which trusts 127.0.0.1 by default, is off.
Half-sent requests are bounded by ``max_connections`` (uvicorn answers 503 past it); a reverse
proxy in front (docs/security.md) cuts them short by time.
"""

from __future__ import annotations

from typing import Any

from coordhub.settings import Settings

#: The largest incomplete request head uvicorn buffers (h11): request line and headers.
MAX_HEAD_BYTES = 16 * 1024


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` / ``uvicorn.Config``."""
    return {
        "log_config": None,
        "proxy_headers": False,
        "server_header": False,
        "limit_concurrency": settings.max_connections,
        "timeout_keep_alive": settings.keep_alive_seconds,
        "timeout_graceful_shutdown": 10,
        "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
        "ws_max_size": settings.max_body_bytes,
    }
