"""The correction request form of every public rebuttal page: sent without an account.

A ``POST`` to ``/{lang}/rebuttals/{id}/corrections`` is refused before anything else when it
comes from another site (``Sec-Fetch-Site``, else ``Origin``: no page elsewhere may make a
reader's browser post here), or is not an url-encoded form. Its fields are then checked with the
workflow's own rules (so the same text is refused on every path), and only a valid request is
counted against its address's budget (``COORDHUB_RATE_LIMIT_CORRECTION_REQUESTS``), so that a
typo costs nothing. A refused request is answered with the form again, the reader's text kept
and the reason given in the page's language; an accepted one with a redirect to a
confirmation (post/redirect/get: reloading it sends nothing twice). Nothing about the sender
is stored, not even the address the budget is counted for (it lives in the limiter's window).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from coordhub.public import records, urls
from coordhub.public.cache import Rendered
from coordhub.public.languages import Language
from coordhub.public.texts import Strings
from coordhub.ratelimits import RateLimits, client_address
from coordhub.workflow import corrections as flow
from coordhub.workflow.errors import ErrorCode, WorkflowError
from coordhub.workflow.inputs import printable

#: The form's fields; anything else in a post is ignored.
FIELDS = ("text", "source_url")
FORM = "application/x-www-form-urlencoded"

Html = Callable[..., Rendered]


class CorrectionForm:
    """Shows and receives the form; ``html`` renders a page as ``PublicSite._html`` does."""

    def __init__(self, html: Html, limits: RateLimits, base_url: str, headers: dict[str, str]):
        self.html = html
        self.limits = limits
        self.origins = {_origin(base_url)}
        self.headers = headers

    async def show(self, request: Request, language: Language, rebuttal_id: int) -> Response:
        """The form alone (where the rebuttal page's form posts to), or not found."""
        return await self._form(language, rebuttal_id, {}, [], status=200)

    async def receive(self, request: Request, language: Language, rebuttal_id: int) -> Response:
        ui = Strings(language)
        if not self._same_site(request):
            return await self._form(language, rebuttal_id, {}, [], 403, ui.correction_cross_site)
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM:
            return Response("Send the form as application/x-www-form-urlencoded.\n", 415)
        values = _fields(await request.body())
        if values is None:
            return Response("The form could not be read: send it as UTF-8.\n", 400)
        try:
            flow.clean_request_text(values["text"])
            flow.clean_source(values["source_url"])
        except WorkflowError as error:
            return await self._form(language, rebuttal_id, values, [_explain(ui, error)], 400)
        verdict = await self.limits.correction_request(client_address(request.scope))
        if not verdict.allowed:
            minutes = math.ceil(verdict.retry_after / 60)
            response = await self._form(
                language, rebuttal_id, values, [ui("correction_too_many", n=minutes)], 429
            )
            response.headers.update(verdict.headers())
            return response
        try:
            created = await flow.request_correction(
                rebuttal_id,
                language=language,
                text=values["text"],
                source_url=values["source_url"],
            )
        except WorkflowError as error:
            status = {ErrorCode.NOT_FOUND: 404, ErrorCode.CONFLICT: 409}.get(error.code, 400)
            return await self._form(language, rebuttal_id, values, [_explain(ui, error)], status)
        target = urls.correction_sent(language, rebuttal_id, created.id)
        return RedirectResponse(target, 303, headers={**self.headers, "Cache-Control": "no-store"})

    def sent(self, request: Request, language: Language, rebuttal_id: int) -> Response:
        """The confirmation after a request was accepted."""
        number = request.query_params.get("number", "")
        if not number.isdigit() or len(number) > 10:
            return RedirectResponse(urls.rebuttal(language, rebuttal_id), 303, self.headers)
        page = self.html(
            "correction_sent.html",
            language,
            urls.correction_requests(language, rebuttal_id),
            "latest",
            number=int(number),
            rebuttal_id=rebuttal_id,
        )
        return self._response(page, 200)

    def _same_site(self, request: Request) -> bool:
        """Whether the post comes from one of our pages (or from no browser at all: a client
        that sends neither header is not a browser another site can steer)."""
        fetch_site = request.headers.get("sec-fetch-site")
        if fetch_site is not None:
            return fetch_site == "same-origin"
        origin = request.headers.get("origin")
        if origin is None:
            return True
        own = f"{request.url.scheme}://{request.url.netloc}"
        return origin in self.origins or origin == own

    async def _form(
        self,
        language: Language,
        rebuttal_id: int,
        values: dict[str, str],
        errors: list[str],
        status: int,
        message: str | None = None,
    ) -> Response:
        view = await records.rebuttal(rebuttal_id)
        if view is None:
            page = self.html("not_found.html", language, urls.home(language), None)
            return self._response(page, 404)
        page = self.html(
            "correction_form.html",
            language,
            urls.correction_requests(language, rebuttal_id),
            "latest",
            rebuttal=view,
            values=_shown(values),
            errors=errors,
            message=message,
        )
        return self._response(page, status)

    def _response(self, page: Rendered, status: int) -> Response:
        headers = {**self.headers, "Cache-Control": "no-store"}
        return Response(page.body, status, headers, media_type=page.media_type)


def _fields(body: bytes) -> dict[str, str] | None:
    """The form's fields (the first value of each; missing ones empty), or ``None`` if the body
    is not UTF-8 or holds more fields than any form of ours."""
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=10)
    except (UnicodeDecodeError, ValueError):
        return None
    return {name: parsed.get(name, [""])[0] for name in FIELDS}


def _shown(values: dict[str, str]) -> dict[str, str]:
    """The fields as the form shows them back: without characters a page may not hold."""
    return {name: printable(value) for name, value in values.items()}


def _explain(ui: Strings, error: WorkflowError) -> str:
    """The reason, in the page's language: a sentence per field, and the workflow's own
    (English) explanation on English pages, where it adds the detail."""
    if error.code == ErrorCode.INVALID_TRANSITION:
        return ui.correction_error_retracted
    key = {"sourceUrl": "correction_error_sourceUrl", "rebuttalId": "correction_error_rebuttalId"}
    general = ui(key.get(error.field or "", "correction_error_text"))
    if ui.language == "en" and error.message not in general:
        return f"{general} ({error.message})"
    return general


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
