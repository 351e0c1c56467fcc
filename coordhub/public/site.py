"""The public site: its routes, what each page shows, and how every answer is served.

Each page and feed is answered the same way (``PublicSite.serve``): read the event log's
sequence (one primary-key read), answer ``304 Not Modified`` when the client already holds the
page at that sequence, else take the page from memory or render it. ``ETag`` is the sequence
with the templates' tag; ``Cache-Control: no-cache`` lets browsers and proxies keep a copy but
ask each time, which costs us that one read. Every answer carries the security headers: a
Content-Security-Policy that allows no script at all (the pages need none), no framing, no
sniffing, and a referrer policy that gives other sites our origin only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coordhub.events.log import current_sequence
from coordhub.models import DismissalReason, Verdict
from coordhub.public import records, urls
from coordhub.public.cache import PageCache, Rendered
from coordhub.public.changes import changes
from coordhub.public.correction_form import CorrectionForm
from coordhub.public.feeds import atom, sitemap
from coordhub.public.languages import LANGUAGES, Language, negotiate, other
from coordhub.public.structured import claim_reviews
from coordhub.public.templates import build_tag, environment
from coordhub.public.texts import Strings
from coordhub.public.transparency import transparency_view
from coordhub.ratelimits import RateLimits
from coordhub.settings import Settings
from coordhub.workflow.statistics import statistics

PAGE_SIZE = 30
MAX_PAGE = 10_000
FEED_ENTRIES = 50
#: A sitemap file holds at most 50,000 addresses; each rebuttal has two.
SITEMAP_REBUTTALS = 24_000
#: Ids are 32-bit in the database; a larger number is simply no page.
MAX_ID = 2**31 - 1

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
REVALIDATE = "public, no-cache"
HTML = "text/html; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
XML = "application/xml; charset=utf-8"

Render = Callable[[], Awaitable[Rendered]]


class NotFound(Exception):
    """No public page at this address."""


class PublicSite:
    """The pages, feeds and sitemap of the public record, for one app."""

    def __init__(self, settings: Settings, limits: RateLimits) -> None:
        self.base_url = settings.public_base_url.rstrip("/")
        self.tag = build_tag()
        self.env = environment(self.tag)
        self.cache = PageCache(settings.page_cache_size)
        self.corrections = CorrectionForm(self._html, limits, self.base_url, SECURITY_HEADERS)

    def routes(self) -> list[BaseRoute]:
        """Every public route: ``/``, ``/km/...``, ``/en/...``, the canonical rebuttal address,
        feeds, ``sitemap.xml``, ``robots.txt`` and ``/static``."""
        routes: list[BaseRoute] = [
            Route("/", self.root),
            Route("/rebuttals/{rebuttal_id:int}", self.canonical_rebuttal),
            Route("/feed.atom", self.feed_redirect),
            Route("/feed", self.feed_redirect),
            Route("/atom", self.feed_redirect),
            Route("/transparency", self.transparency_redirect),
            Route("/sitemap.xml", self.sitemap),
            Route("/robots.txt", self.robots),
            Mount("/static", app=_StaticAssets()),
        ]
        for language in LANGUAGES:
            page = partial(self._endpoint, language)
            routes += [
                Route(f"/{language}/", page(self.home, paginated=True)),
                Route(f"/{language}/rebuttals/{{rebuttal_id:int}}", page(self.rebuttal)),
                Route(
                    f"/{language}/rebuttals/{{rebuttal_id:int}}/corrections",
                    self._form_endpoint(language),
                    methods=["GET", "POST"],
                ),
                Route(
                    f"/{language}/rebuttals/{{rebuttal_id:int}}/corrections/sent",
                    self._sent_endpoint(language),
                ),
                Route(f"/{language}/institutions", page(self.institutions)),
                Route(f"/{language}/institutions/{{slug}}", page(self.institution, paginated=True)),
                Route(f"/{language}/institutions/{{slug}}/feed.atom", page(self.feed)),
                Route(f"/{language}/dismissed", page(self.dismissed, paginated=True)),
                Route(f"/{language}/transparency", page(self.transparency)),
                Route(f"/{language}/about", page(self.about)),
                Route(f"/{language}/feed.atom", page(self.feed)),
            ]
        return routes

    # --- serving ------------------------------------------------------------------------------

    def _endpoint(
        self,
        language: Language,
        handler: Callable[..., Awaitable[Rendered]],
        *,
        paginated: bool = False,
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                number = _page_number(request) if paginated else 1
            except NotFound:
                return await self.serve(request, language, self._not_found(language))
            path = request.url.path + (f"?page={number}" if number > 1 else "")
            params = dict(request.path_params)

            async def render() -> Rendered:
                try:
                    if paginated:
                        params["number"] = number
                    return await handler(language, path, **params)
                except NotFound:
                    return await self._not_found(language)()

            return await self.serve(request, language, render, key=(path,))

        return endpoint

    def _form_endpoint(self, language: Language) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            rebuttal_id = int(request.path_params["rebuttal_id"])
            if rebuttal_id > MAX_ID:
                return await self.serve(request, language, self._not_found(language))
            if request.method == "POST":
                return await self.corrections.receive(request, language, rebuttal_id)
            return await self.corrections.show(request, language, rebuttal_id)

        return endpoint

    def _sent_endpoint(self, language: Language) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            rebuttal_id = min(int(request.path_params["rebuttal_id"]), MAX_ID)
            return self.corrections.sent(request, language, rebuttal_id)

        return endpoint

    async def serve(
        self, request: Request, language: Language | None, render: Render, key: tuple[str, ...] = ()
    ) -> Response:
        """Answer with the page ``render`` makes, through the cache and conditional requests."""
        seq = await current_sequence()
        etag = f'"{self.tag}-{seq}"'
        held = _entity_tags(request.headers.get("if-none-match", ""))
        validated = {**SECURITY_HEADERS, "ETag": etag, "Cache-Control": REVALIDATE}
        if language is not None:
            validated["Content-Language"] = language
        if etag in held:
            # The client holds this page as it is at this sequence (only a 200 carries an
            # ETag): nothing to render, whether or not the page is in memory.
            return Response(status_code=304, headers=validated)
        page = await self.cache.fetch(key, seq, render) if key else await render()
        if page.status != 200:
            headers = {**SECURITY_HEADERS, **page.headers, "Cache-Control": "no-store"}
            if language is not None:
                headers["Content-Language"] = language
            return Response(page.body, page.status, headers, media_type=page.media_type)
        if "*" in held:
            return Response(status_code=304, headers=validated)
        headers = {**validated, **page.headers}
        return Response(page.body, 200, headers, media_type=page.media_type)

    def _not_found(self, language: Language) -> Render:
        async def render() -> Rendered:
            page = self._html("not_found.html", language, urls.home(language), None)
            return Rendered(404, page.body, page.media_type)

        return render

    def _html(
        self, template: str, language: Language, path: str, section: str | None, **context: object
    ) -> Rendered:
        """A page: ``path`` is its own address (for ``canonical`` and the ``hreflang`` links)."""
        alternates = [
            (code, urls.absolute(self.base_url, urls.swap_language(path, code)))
            for code in LANGUAGES
        ]
        alternates.append(("x-default", str(context.pop("x_default", alternates[0][1]))))
        body = self.env.get_template(template).render(
            lang=language,
            other_lang=other(language),
            ui=Strings(language),
            section=section,
            path=path,
            canonical=urls.absolute(self.base_url, path),
            alternates=alternates,
            other_path=urls.swap_language(path, other(language)),
            feed_url=urls.feed(language),
            feed_title=Strings(language).site_title,
            **context,
        )
        return Rendered(200, body.encode(), HTML)

    # --- pages --------------------------------------------------------------------------------

    async def home(self, language: Language, path: str, number: int) -> Rendered:
        page = await records.latest_rebuttals(number, PAGE_SIZE)
        if number > 1 and not page.items:
            raise NotFound
        root = urls.absolute(self.base_url, "/") if number == 1 else None
        extra = {"x_default": root} if root else {}
        return self._html("home.html", language, path, "latest", page=page, **extra)

    async def rebuttal(self, language: Language, path: str, rebuttal_id: int) -> Rendered:
        view = await records.rebuttal(rebuttal_id) if rebuttal_id <= MAX_ID else None
        if view is None:
            raise NotFound
        newest_first = list(reversed(view.revisions))
        history = [
            (revision, changes(older, revision, language) if older else None)
            for revision, older in zip(newest_first, [*newest_first[1:], None], strict=True)
        ]
        return self._html(
            "rebuttal.html",
            language,
            path,
            "latest",
            rebuttal=view,
            history=history,
            reviews=claim_reviews(view, self.base_url),
            corrections=await records.correction_requests(view.id),
            x_default=urls.canonical_rebuttal(self.base_url, view.id),
        )

    async def institutions(self, language: Language, path: str) -> Rendered:
        everyone = await records.institutions()
        counts = await records.rebuttal_counts()
        return self._html(
            "institutions.html",
            language,
            path,
            "institutions",
            institutions=list(everyone.values()),
            counts=counts,
        )

    async def institution(self, language: Language, path: str, slug: str, number: int) -> Rendered:
        institution = await records.institution_by_slug(slug)
        if institution is None:
            raise NotFound
        page = await records.latest_rebuttals(number, PAGE_SIZE, institution_id=institution.id)
        if number > 1 and not page.items:
            raise NotFound
        dismissals = await records.dismissed_claims(1, PAGE_SIZE, institution_id=institution.id)
        return self._html(
            "institution.html",
            language,
            path,
            "institutions",
            institution=institution,
            page=page,
            dismissals=dismissals,
        )

    async def dismissed(self, language: Language, path: str, number: int) -> Rendered:
        page = await records.dismissed_claims(number, PAGE_SIZE)
        if number > 1 and not page.items:
            raise NotFound
        return self._html("dismissed.html", language, path, "dismissed", page=page)

    async def transparency(self, language: Language, path: str) -> Rendered:
        answer = await statistics(None)
        view = transparency_view(answer, await records.institutions(), Strings(language))
        return self._html("transparency.html", language, path, "transparency", view=view)

    async def about(self, language: Language, path: str) -> Rendered:
        return self._html(
            "about.html",
            language,
            path,
            "about",
            verdicts=[verdict.value for verdict in Verdict],
            reasons=[reason.value for reason in DismissalReason],
        )

    async def feed(self, language: Language, path: str, slug: str | None = None) -> Rendered:
        ui = Strings(language)
        title, page_path = ui.site_title, urls.home(language)
        if slug is not None:
            institution = await records.institution_by_slug(slug)
            if institution is None:
                raise NotFound
            title = f"{institution.name[language]} · {ui.site_title}"
            page_path = urls.institution(language, slug)
        rebuttals = await records.recently_changed(FEED_ENTRIES, institution_slug=slug)
        body = atom(
            rebuttals,
            env=self.env,
            language=language,
            title=title,
            feed_path=path,
            page_path=page_path,
            base_url=self.base_url,
        )
        return Rendered(200, body, ATOM)

    # --- outside a language -------------------------------------------------------------------

    async def root(self, request: Request) -> Response:
        return _negotiated_redirect(request, urls.home)

    async def canonical_rebuttal(self, request: Request) -> Response:
        """The address connectors send (``/rebuttals/<id>``): on to the reader's language."""
        rebuttal_id = int(request.path_params["rebuttal_id"])
        return _negotiated_redirect(request, lambda language: urls.rebuttal(language, rebuttal_id))

    async def feed_redirect(self, request: Request) -> Response:
        return _negotiated_redirect(request, urls.feed)

    async def transparency_redirect(self, request: Request) -> Response:
        return _negotiated_redirect(request, urls.transparency)

    async def sitemap(self, request: Request) -> Response:
        async def render() -> Rendered:
            everyone = await records.institutions()
            rebuttals = await records.sitemap_rebuttals(SITEMAP_REBUTTALS)
            pages = [
                ("/{lang}/", None),
                ("/{lang}/institutions", None),
                ("/{lang}/dismissed", None),
                ("/{lang}/transparency", None),
                ("/{lang}/about", None),
                *((f"/{{lang}}/institutions/{i.slug}", None) for i in everyone.values()),
                *((f"/{{lang}}/rebuttals/{i}", changed) for i, changed in rebuttals),
            ]
            return Rendered(200, sitemap(pages, base_url=self.base_url), XML)

        return await self.serve(request, None, render, key=("/sitemap.xml",))

    async def robots(self, request: Request) -> Response:
        text = f"User-agent: *\nAllow: /\nSitemap: {self.base_url}/sitemap.xml\n"
        return PlainTextResponse(text, headers={"X-Content-Type-Options": "nosniff"})


def _negotiated_redirect(request: Request, target: Callable[[Language], str]) -> Response:
    language = negotiate(request.headers.get("accept-language", ""))
    headers = {**SECURITY_HEADERS, "Vary": "Accept-Language", "Cache-Control": "no-cache"}
    return RedirectResponse(target(language), status_code=302, headers=headers)


def _page_number(request: Request) -> int:
    """``?page=N`` (1 when absent); anything else is no page."""
    value = request.query_params.get("page")
    if value is None:
        return 1
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise NotFound
    return int(value)


def _entity_tags(if_none_match: str) -> set[str]:
    """The tags an ``If-None-Match`` header names, for weak comparison (RFC 9110), ``*``
    included."""
    return {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}


class _StaticAssets:
    """The stylesheet, kept by browsers for a year: its address carries the templates' tag."""

    def __init__(self) -> None:
        self.files: ASGIApp = StaticFiles(packages=[("coordhub.public", "static")])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"cache-control", b"public, max-age=31536000, immutable"))
                message = {**message, "headers": headers}
            await send(message)

        await self.files(scope, receive, with_headers)
