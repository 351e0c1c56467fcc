"""GraphiQL served by coordhub itself: the page, its Content-Security-Policy, and its assets.

Strawberry's own page loads React and GraphiQL from a CDN (blank offline, and a third party
in the page of anyone holding a token). Here the same npm builds are vendored under
``static/graphiql/`` (``VENDORED`` pins each package's version and the integrity of its npm
tarball; ``python -m coordhub.web.graphiql_vendor``, or ``make graphiql-assets``, fetches them
again) and served at ``/static/graphiql/<package>-<version>/``. The page's one inline script
and style carry a nonce drawn afresh for every response, named in the page's CSP; nothing else
inline may run, nothing may be loaded from another origin, and the page may not be framed.
"""

from __future__ import annotations

import html
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from coordhub.settings import Settings

STATIC_DIR = Path(__file__).parent / "static" / "graphiql"
URL_PREFIX = "/static/graphiql"
#: The vendored files' digests, written by the vendoring script and checked by the tests.
CHECKSUMS = "SHA256SUMS"


@dataclass(frozen=True, slots=True)
class Vendored:
    """One npm package whose built files coordhub serves."""

    package: str
    version: str
    #: npm's ``dist.integrity`` of the tarball; the vendoring script refuses any other.
    integrity: str
    #: Served file name -> its path in the npm tarball.
    files: dict[str, str]
    #: Licence file name -> (the ``package@version`` whose tarball holds it, its path there).
    licences: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def spec(self) -> str:
        return f"{self.package}@{self.version}"

    @property
    def folder(self) -> str:
        """Its folder under ``static/graphiql`` (and in the URL): versioned, so cached for good."""
        return f"{self.package.removeprefix('@').replace('/', '-')}-{self.version}"

    def url(self, name: str) -> str:
        return f"{URL_PREFIX}/{self.folder}/{name}"


REACT = Vendored(
    "react",
    "18.3.1",
    "sha512-wS+hAgJShR0KhEvPJArfuPVN1+Hz1t0Y6n5jLrGQbkb4urgPE/0Rve+1kMB1v/oWgHgm4WIcV+i7F2pTVj+2iQ==",
    {"react.production.min.js": "package/umd/react.production.min.js"},
    {"LICENSE": ("react@18.3.1", "package/LICENSE")},
)
REACT_DOM = Vendored(
    "react-dom",
    "18.3.1",
    "sha512-5m4nQKp+rZRb09LNH59GM4BxTh9251/ylbKIbpe7TpGxfJ+9kv6BLkLBXIjjspbgbnIBNqlI23tRnTWT0snUIw==",
    {"react-dom.production.min.js": "package/umd/react-dom.production.min.js"},
    {"LICENSE": ("react-dom@18.3.1", "package/LICENSE")},
)
# 3.9.0 rather than strawberry's 3.8.3: the 3.8 "min" bundle is an unminified 3.5 MB build.
GRAPHIQL = Vendored(
    "graphiql",
    "3.9.0",
    "sha512-rJYFlHdBbug9+YbFSwRVvgfPjCayC7wHecZkx/qB4XLuQPFQZw/yB9pmHFtOJV6RiNBBHro3u1GdocKa3YcGRA==",
    {"graphiql.min.js": "package/graphiql.min.js", "graphiql.min.css": "package/graphiql.min.css"},
    {"LICENSE": ("graphiql@3.9.0", "package/LICENSE")},
)
# Its tarball has no licence file: it is MIT (package.json) from the same repository as
# graphiql (github.com/graphql/graphiql), whose LICENSE it shares; its UMD build bundles
# graphiql-explorer (MIT), whose licence comes from that package's tarball.
EXPLORER = Vendored(
    "@graphiql/plugin-explorer",
    "3.2.6",
    "sha512-MXzG/zVNzZfes4Em253bHyAbD/lwwAZkPKvxCAQkjz0i3dtcv4uF3D8iqJ7214iu3SCphbORYZZUC93fik1yew==",
    {"index.umd.js": "package/dist/index.umd.js", "style.css": "package/dist/style.css"},
    {
        "LICENSE": ("graphiql@3.9.0", "package/LICENSE"),
        "LICENSE.graphiql-explorer": ("graphiql-explorer@0.9.0", "package/LICENSE"),
    },
)
#: In the order the page loads them.
VENDORED: tuple[Vendored, ...] = (REACT, REACT_DOM, GRAPHIQL, EXPLORER)
#: Tarballs read only for a licence file, with their integrity.
LICENCE_ONLY: dict[str, str] = {
    "graphiql-explorer@0.9.0": "sha512-"
    "fZC/wsuatqiQDO2otchxriFO0LaWIo/ovF/CQJ1yOudmY0P7pzDiP+l9CEHUiWbizk3e99x6DQG4XG1VxA+d6A==",
}

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>coordhub GraphiQL</title>
<link rel="icon" href="data:,">
<style nonce="{nonce}">
  body {{ height: 100%; margin: 0; width: 100%; overflow: hidden; }}
  #graphiql {{ height: 100vh; display: flex; }}
</style>
{stylesheets}
{scripts}
</head>
<body>
<div id="graphiql">Loading…</div>
<script nonce="{nonce}">
(function () {{
  "use strict";
  const parameters = new URLSearchParams(window.location.search);
  const fetchURL = window.location.href.split("?")[0];
  const socketURL = new URL(fetchURL);
  socketURL.protocol = socketURL.protocol === "https:" ? "wss:" : "ws:";
  socketURL.hash = "";
  const fetcher = GraphiQL.createFetcher({{
    url: fetchURL,
    subscriptionUrl: socketURL.toString(),
  }});
  function keep(name, value) {{
    if (value) {{ parameters.set(name, value); }} else {{ parameters.delete(name); }}
    history.replaceState(null, "", "?" + parameters.toString());
  }}
  const explorer = GraphiQLPluginExplorer.explorerPlugin();
  function App() {{
    return React.createElement(GraphiQL, {{
      fetcher: fetcher,
      plugins: [explorer],
      defaultEditorToolsVisibility: true,
      query: parameters.get("q") || undefined,
      variables: parameters.get("variables") || undefined,
      onEditQuery: function (query) {{ keep("q", query); }},
      onEditVariables: function (variables) {{ keep("variables", variables); }},
      inputValueDeprecation: true,
      isHeadersEditorEnabled: true,
      // A pasted bearer token stays in this tab, not in localStorage.
      shouldPersistHeaders: false,
    }});
  }}
  ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(App));
}})();
</script>
</body>
</html>
"""


def asset_urls() -> tuple[list[str], list[str]]:
    """(script URLs, stylesheet URLs) of the page, in load order."""
    scripts = [p.url(name) for p in VENDORED for name in p.files if name.endswith(".js")]
    sheets = [p.url(name) for p in VENDORED for name in p.files if name.endswith(".css")]
    return scripts, sheets


def content_security_policy(nonce: str) -> str:
    """The page's CSP: its own scripts and styles, the nonced inline ones, requests to itself
    (HTTP and the subscription websocket, which CSP 3's 'self' covers), nothing else."""
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        )
    )


def render_page(nonce: str) -> str:
    scripts, sheets = asset_urls()
    return PAGE.format(
        nonce=nonce,
        stylesheets="\n".join(
            f'<link rel="stylesheet" href="{html.escape(url)}">' for url in sheets
        ),
        scripts="\n".join(f'<script src="{html.escape(url)}"></script>' for url in scripts),
    )


def graphiql_response() -> HTMLResponse:
    """The GraphiQL page with a fresh nonce, never cached (the nonce must not repeat)."""
    nonce = secrets.token_urlsafe(18)
    return HTMLResponse(
        render_page(nonce),
        headers={
            "content-security-policy": content_security_policy(nonce),
            "x-frame-options": "DENY",
            "referrer-policy": "no-referrer",
            "cache-control": "no-store",
        },
    )


class _Assets:
    """The vendored files: versioned paths, so browsers keep them for a year."""

    def __init__(self) -> None:
        self.files = StaticFiles(directory=STATIC_DIR)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = list(message.get("headers", []))
                headers.append((b"cache-control", b"public, max-age=31536000, immutable"))
                message = {**message, "headers": headers}
            await send(message)

        await self.files(scope, receive, with_headers)


def graphiql_routes(settings: Settings) -> list[BaseRoute]:
    """The assets' route, when GraphiQL is on (mount it before any broader ``/static``)."""
    return [Mount(URL_PREFIX, app=_Assets())] if settings.graphiql_enabled else []
