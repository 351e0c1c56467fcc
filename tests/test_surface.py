"""The HTTP surface's hardening: security headers, GraphiQL from coordhub's own assets (and in
a real headless Chromium), no field suggestions without introspection, and connector health
for operators only, cached and single-flight.

The browser test needs Debian's ``chromium`` and ``chromium-driver``: without them it is
skipped, saying why; under ``CI=true`` it fails instead (``.ci/run`` installs them).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import shutil
import socket
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
import uvicorn
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from coordhub.app import create_app
from coordhub.schema.deliveries import types as deliveries_types
from coordhub.schema.deliveries.types import HealthChecks
from coordhub.schema.suggestions import without_suggestion
from coordhub.settings import Settings
from coordhub.simulators import create_simulator_app, simulator_connectors
from coordhub.web.graphiql import CHECKSUMS, STATIC_DIR, URL_PREFIX, VENDORED
from coordhub.web.middleware import SecurityHeaders
from tests.live import free_port, spawn_server, wait_until_up
from tests.support import GraphQLClient, World

HTML = {"accept": "text/html"}
CONNECTORS = ("akp", "ministry-app", "tvk", "webhook")


@asynccontextmanager
async def client(settings: Settings, **changes: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app with ``changes`` made to the settings (the database already open)."""
    app = create_app(settings.model_copy(update=changes), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://coordhub.test") as http:
        yield http


# -- security headers ------------------------------------------------------------------------


async def test_every_answer_says_nosniff(http: httpx.AsyncClient) -> None:
    answers = [
        await http.get("/healthz"),
        await http.post("/graphql", json={"query": "{ institutions { slug } }"}),
        await http.post("/graphql", content=b"{", headers={"content-type": "application/json"}),
        await http.get("/no-such-address"),
        await http.get("/metrics"),
        await http.post("/graphql", json={}, headers={"authorization": "Bearer wrong"}),
    ]
    for answer in answers:
        assert answer.headers["x-content-type-options"] == "nosniff", answer.request.url


async def test_html_answers_get_the_security_headers_unless_they_set_their_own() -> None:
    async def plain(request: object) -> HTMLResponse:
        return HTMLResponse("<p>hello</p>")

    async def own(request: object) -> HTMLResponse:
        return HTMLResponse(
            "<p>mine</p>", headers={"content-security-policy": "default-src 'self'"}
        )

    app = SecurityHeaders(Starlette(routes=[Route("/plain", plain), Route("/own", own)]))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        plain_answer = await http.get("/plain")
        own_answer = await http.get("/own")
    csp = plain_answer.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert plain_answer.headers["x-frame-options"] == "DENY"
    assert plain_answer.headers["referrer-policy"] == "no-referrer"
    assert plain_answer.headers["x-content-type-options"] == "nosniff"
    assert own_answer.headers.get_list("content-security-policy") == ["default-src 'self'"]
    assert own_answer.headers["x-frame-options"] == "DENY"


async def test_the_public_pages_carry_the_security_headers(http: httpx.AsyncClient) -> None:
    page = await http.get("/en/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert "script-src" not in page.headers["content-security-policy"]  # no script at all
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"]
    assert len(page.headers.get_list("content-security-policy")) == 1


# -- GraphiQL --------------------------------------------------------------------------------


class _Page(HTMLParser):
    """The page's scripts, stylesheets and styles, with their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.links: list[dict[str, str | None]] = []
        self.styles: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {"script": self.scripts, "link": self.links, "style": self.styles}.get(tag)
        if found is not None:
            found.append(dict(attrs))


def parse_page(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


async def test_graphiql_loads_only_its_own_assets_under_a_nonce(
    settings: Settings, db: None
) -> None:
    async with client(settings, environment="development") as http:
        first = await http.get("/graphql", headers=HTML)
        second = await http.get("/graphql", headers=HTML)
        page = parse_page(first.text)
        sources = [str(script["src"]) for script in page.scripts if script.get("src")]
        sheets = [str(link["href"]) for link in page.links if link.get("rel") == "stylesheet"]
        assets = {url: await http.get(url) for url in [*sources, *sheets]}
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/html")
    csp = first.headers["content-security-policy"]
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", csp)
    assert nonce is not None, csp
    assert f"style-src 'self' 'nonce-{nonce[1]}'" in csp
    for directive in ("default-src 'none'", "frame-ancestors 'none'", "connect-src 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert nonce[1] not in second.headers["content-security-policy"]  # fresh every time
    assert first.headers["x-frame-options"] == "DENY"
    assert first.headers["x-content-type-options"] == "nosniff"
    assert first.headers["referrer-policy"] == "no-referrer"
    assert first.headers["cache-control"] == "no-store"
    # Every inline script and style carries the nonce; every file is coordhub's own.
    inline = [s for s in page.scripts if not s.get("src")] + page.styles
    assert inline and all(element.get("nonce") == nonce[1] for element in inline)
    assert len(sources) == 4 and len(sheets) == 2
    assert all(url.startswith(f"{URL_PREFIX}/") for url in [*sources, *sheets])
    assert "unpkg" not in first.text and "https://" not in first.text
    for url, answer in assets.items():
        assert answer.status_code == 200, url
        kind = "javascript" if url.endswith(".js") else "text/css"
        assert kind in answer.headers["content-type"], (url, answer.headers["content-type"])
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert "immutable" in answer.headers["cache-control"]
        assert len(answer.content) > 500


async def test_no_graphiql_and_no_assets_where_graphiql_is_off(
    settings: Settings, db: None
) -> None:
    url = VENDORED[0].url(next(iter(VENDORED[0].files)))
    async with client(settings) as http:
        page = await http.get("/graphql", headers=HTML)
        asset = await http.get(url)
    assert "GraphiQL" not in page.text
    assert asset.status_code == 404


def test_the_vendored_files_are_the_pinned_ones_with_their_licences() -> None:
    listed = {}
    for line in (STATIC_DIR / CHECKSUMS).read_text().splitlines():
        digest, path = line.split("  ", 1)
        listed[path] = digest
    on_disk = {
        path.relative_to(STATIC_DIR).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in STATIC_DIR.rglob("*")
        if path.is_file() and path.parent != STATIC_DIR
    }
    assert on_disk == listed
    for package in VENDORED:
        assert package.licences, package.spec
        for name in [*package.files, *package.licences]:
            assert f"{package.folder}/{name}" in listed, (package.spec, name)
        for name in package.licences:
            assert "MIT License" in (STATIC_DIR / package.folder / name).read_text()


def _chromium() -> tuple[str, str]:
    """Paths of the browser and its driver, or a skip (a failure under CI) naming what lacks."""
    browser = next(
        filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None
    )
    driver = shutil.which("chromedriver")
    if browser and driver:
        return browser, driver
    missing = " and ".join(
        name for name, path in (("chromium", browser), ("chromedriver", driver)) if not path
    )
    reason = f"{missing} not found: apt-get install -y chromium chromium-driver"
    if os.environ.get("CI") == "true":
        pytest.fail(f"the GraphiQL browser test must run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def chromium() -> Iterator[WebDriver]:
    binary, driver_path = _chromium()
    os.environ.setdefault("SE_OFFLINE", "true")  # never let selenium fetch a browser or driver
    options = Options()
    options.binary_location = binary
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,900",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
async def development_server(database_url: str) -> AsyncIterator[str]:
    """``coordhub serve`` in development (GraphiQL on) on the test's migrated database."""
    port = free_port()
    env = {
        "COORDHUB_DATABASE_URL": database_url,
        "COORDHUB_ENVIRONMENT": "development",
        "COORDHUB_EMBEDDED_WORKER": "false",
    }
    process = spawn_server(port, env)
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def run_in_graphiql(driver: WebDriver, url: str, query: str) -> str:
    """Open GraphiQL, run ``query`` with its run button, and return the response pane's text."""
    driver.get(f"{url}/graphql")
    wait = WebDriverWait(driver, 20)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".graphiql-query-editor .CodeMirror"))
    driver.execute_script(
        "document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue("
        "arguments[0])",
        query,
    )
    time.sleep(0.5)  # GraphiQL parses the edited document after a short pause
    driver.find_element(By.CSS_SELECTOR, ".graphiql-execute-button").click()
    wait.until(lambda d: '"data"' in d.find_element(By.CSS_SELECTOR, ".graphiql-response").text)
    return str(driver.find_element(By.CSS_SELECTOR, ".graphiql-response").text)


async def test_graphiql_renders_and_runs_a_query_in_headless_chromium(
    chromium: WebDriver, development_server: str
) -> None:
    answer = await asyncio.to_thread(
        run_in_graphiql, chromium, development_server, "{ institutions { slug } }"
    )
    assert '"institutions": []' in answer
    # The schema arrived (introspection), so the documentation explorer lists the root types.
    labels = [
        b.get_attribute("aria-label")
        for b in chromium.find_elements(By.CSS_SELECTOR, ".graphiql-sidebar button")
    ]
    assert "Show GraphiQL Explorer" in labels and "Show Documentation Explorer" in labels
    problems = [
        entry["message"]
        for entry in chromium.get_log("browser")
        if entry["level"] in ("SEVERE", "WARNING")
    ]
    assert problems == [], problems  # no CSP violation, no failed load, no script error


# -- suggestions -----------------------------------------------------------------------------

MISSPELT = [
    ("{ institutons { slug } }", None),
    ("{ claims(frist: 1) { edges { cursor } } }", None),
    ("query($f: ClaimFiltr) { claims(filter: $f) { edges { cursor } } }", None),
    ('{ claims(filter: {topik: "x"}) { edges { cursor } } }', None),
    ("{ claims(filter: {status: [REPORTD]}) { edges { cursor } } }", None),
    ("query($f: ClaimFilter) { claims(filter: $f) { edges { cursor } } }", {"f": {"topik": "x"}}),
    (
        "query($f: ClaimFilter) { claims(filter: $f) { edges { cursor } } }",
        {"f": {"status": ["REPORTD"]}},
    ),
    ('{ node(id: "x") { headline { en } } }', None),
]


async def messages(http: httpx.AsyncClient, query: str, variables: Any) -> list[str]:
    response = await http.post("/graphql", json={"query": query, "variables": variables})
    errors = response.json().get("errors")
    assert errors, (query, response.text)
    return [error["message"] for error in errors]


@pytest.mark.parametrize(("query", "variables"), MISSPELT)
async def test_no_suggestions_in_production(
    settings: Settings, db: None, query: str, variables: Any
) -> None:
    async with client(settings) as production, client(settings, environment="development") as dev:
        hidden = await messages(production, query, variables)
        hidden_again = await messages(production, query, variables)  # from the caches
        shown = await messages(dev, query, variables)
    assert not any("Did you mean" in message for message in hidden + hidden_again), hidden
    assert any("Did you mean" in message for message in shown), shown  # the case is real
    assert hidden == [without_suggestion(message) for message in shown]


async def test_suggestions_follow_introspection_when_set_explicitly(
    settings: Settings, db: None
) -> None:
    async with client(settings, environment="development", introspection=False) as http:
        hidden = await messages(http, "{ institutons { slug } }", None)
    async with client(settings, introspection=True) as http:
        shown = await messages(http, "{ institutons { slug } }", None)
    assert hidden == ["Cannot query field 'institutons' on type 'Query'."]
    assert "Did you mean 'institutions'" in shown[0]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Unknown type 'X'. Did you mean 'A', 'B', or 'C'?", "Unknown type 'X'."),
        ("Unknown argument 'frist'. Did you mean 'first'?", "Unknown argument 'frist'."),
        (
            "Value 'R' does not exist. Did you mean the enum value 'RE' or 'RO'?",
            "Value 'R' does not exist.",
        ),
        (
            "Cannot query field 'h' on type 'Node'. Did you mean to use an inline fragment on "
            "'Claim' or 'Rebuttal'?",
            "Cannot query field 'h' on type 'Node'.",
        ),
        (
            "not to include unknown field 'topik'. Did you mean 'topic'? Found: {'topik': 'x'}.",
            "not to include unknown field 'topik'. Found: {'topik': 'x'}.",
        ),
        (
            "Field 'claims' must have subfields. Did you mean 'claims { ... }'?",
            "Field 'claims' must have subfields.",
        ),
        ("Nothing to suggest here.", "Nothing to suggest here."),
    ],
)
def test_every_form_of_suggestion_is_stripped(message: str, expected: str) -> None:
    assert without_suggestion(message) == expected


# -- connector health ------------------------------------------------------------------------


class CountingOutlets:
    """The outlet simulators behind a counter of the health checks they get, each answered
    after ``delay`` seconds, or, if ``held``, once the test opens ``gate``."""

    def __init__(self, delay: float, held: bool) -> None:
        self.app = create_simulator_app()
        self.delay = delay
        self.gate = asyncio.Event()
        if not held:
            self.gate.set()
        self.checks: Counter[str] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path.endswith("/health"):
            self.checks[path.split("/")[1]] += 1
            await self.gate.wait()
            await asyncio.sleep(self.delay)
        await self.app(scope, receive, send)


@asynccontextmanager
async def counting_outlets(
    delay: float = 0.0, held: bool = False
) -> AsyncIterator[tuple[CountingOutlets, str]]:
    """The counting outlets on a loopback socket bound (and listening) before uvicorn starts,
    so the first check may come at once: the kernel queues it until uvicorn accepts."""
    outlets = CountingOutlets(delay, held)
    listening = socket.create_server(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(outlets, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[listening]))
    try:
        yield outlets, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        listening.close()


def aliased(count: int) -> str:
    fields = " ".join(f"c{n}: connectors {{ name health {{ ok detail }} }}" for n in range(count))
    return f"{{ {fields} }}"


async def test_thirty_aliases_make_one_check_per_connector(
    settings: Settings, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The outlets hold every check until each health resolver of the requests in flight has
    # asked, so the requests overlap however busy the machine is (timed delays flaked in CI).
    asked, awaited, all_asked = 0, 0, asyncio.Event()
    real_get = HealthChecks.get

    async def counted_get(self: HealthChecks, check: Any, keep_seconds: float) -> Any:
        nonlocal asked
        asked += 1
        if asked == awaited:
            all_asked.set()
        return await real_get(self, check, keep_seconds)

    monkeypatch.setattr(HealthChecks, "get", counted_get)
    monkeypatch.setattr(deliveries_types, "HEALTH_TIMEOUT_SECONDS", 60.0)
    async with counting_outlets(held=True) as (outlets, base):
        connectors = simulator_connectors(base)

        async def released(*requests: Any) -> list[Any]:
            """The requests' answers, the outlets let go once all their resolvers asked."""
            nonlocal awaited
            awaited = asked + 30 * len(CONNECTORS) * len(requests)
            all_asked.clear()
            tasks = [asyncio.ensure_future(request) for request in requests]
            async with asyncio.timeout(30):
                await all_asked.wait()
            outlets.gate.set()
            answers = await asyncio.gather(*tasks)
            outlets.gate.clear()
            return answers

        # No answer is kept: only the sharing of checks in flight can spare the outlets.
        async with client(
            settings, connectors=connectors, connector_health_cache_seconds=0
        ) as http:
            gql = GraphQLClient(http, world)
            (data,) = await released(gql.execute(aliased(30), as_="coordinator"))
            first = outlets.checks.copy()
            # Two operators at once: their checks overlap and are shared too.
            both = await released(
                gql.execute(aliased(30), as_="coordinator"),
                gql.execute(aliased(30), as_="observer"),
            )
    assert len(data) == 30
    for result in (data, *both):
        for listed in result.values():
            assert {c["name"]: c["health"] for c in listed} == {
                name: {"ok": True, "detail": "HTTP 200"} for name in CONNECTORS
            }
    assert first == {name: 1 for name in CONNECTORS}
    assert outlets.checks == {name: 2 for name in CONNECTORS}


async def test_health_answers_are_kept_for_a_few_seconds(settings: Settings, world: World) -> None:
    query = "{ connectors { name health { ok detail } } }"
    async with (
        counting_outlets() as (outlets, base),
        client(
            settings, connectors=simulator_connectors(base), connector_health_cache_seconds=0.5
        ) as http,
    ):
        gql = GraphQLClient(http, world)
        for _ in range(5):
            await gql.execute(query, as_="coordinator")
        kept = outlets.checks.copy()
        await asyncio.sleep(0.6)
        await gql.execute(query, as_="observer")
    assert kept == {name: 1 for name in CONNECTORS}
    assert outlets.checks == {name: 2 for name in CONNECTORS}


@pytest.mark.parametrize("role", ["service", "reporter", "health_editor", "health_approver"])
async def test_only_operators_get_connector_health(
    settings: Settings, world: World, role: str
) -> None:
    async with (
        counting_outlets() as (outlets, base),
        client(settings, connectors=simulator_connectors(base)) as http,
    ):
        data = await GraphQLClient(http, world).execute(aliased(30), as_=role)
    for listed in data.values():
        assert sorted(c["name"] for c in listed) == list(CONNECTORS)
        assert all(c["health"] is None for c in listed)
    assert outlets.checks == {}  # not one outbound call
