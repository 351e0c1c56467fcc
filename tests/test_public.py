"""The public record: pages in Khmer and English, feeds, the sitemap and ClaimReview JSON-LD.

Everything here is read without a token, as anyone on the web reads it: a published rebuttal
shows its verdict, evidence, claim, institution and every revision; a retraction shows its
reason; nothing unpublished appears on any page, feed or sitemap; every answer is validated by
the event log's sequence and costs one primary-key read when nothing changed.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import feedparser
import httpx
import orjson
import pytest
from lxml import etree, html

from coordhub.app import create_app
from coordhub.connectors import Action
from coordhub.connectors.formats import (
    render_claimreview,
    render_claimreview_translations,
    render_ninjs,
)
from coordhub.connectors.items import build_item
from coordhub.connectors.testing import sample_item
from coordhub.db import count_statements
from coordhub.models import Claim, Rebuttal
from coordhub.public.changes import text_changes
from coordhub.public.languages import language_of, negotiate
from coordhub.public.site import SECURITY_HEADERS
from coordhub.public.texts import DISMISSAL_REASONS, UI, VERDICTS, Strings
from coordhub.public.texts.ui_corrections import CORRECTIONS
from coordhub.public.texts.ui_pages import PAGES
from coordhub.public.texts.ui_transparency import TRANSPARENCY
from coordhub.settings import Settings
from tests.flows import (
    KHMER_SUMMARY,
    correct,
    drafted_rebuttal,
    ok,
    published_rebuttal,
    triaged_claim,
)
from tests.support import GraphQLClient, number

LANGUAGES = ("km", "en")
SECRET = "Working copy nobody outside may read"


def page(response: httpx.Response) -> html.HtmlElement:
    assert response.status_code == 200, response.text
    return html.fromstring(response.content)


def text_of(document: html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(node.text_content().split()) for node in document.xpath(xpath)]


def json_ld(document: html.HtmlElement) -> list[dict[str, Any]]:
    scripts = document.xpath('//script[@type="application/ld+json"]/text()')
    return [orjson.loads(str(script)) for script in scripts]


async def retract(gql: GraphQLClient, rebuttal_id: str, reason: str, khmer: str = "") -> None:
    """Retract with ``reason`` in English and ``khmer`` (by default the English text)."""
    retraction = {"rebuttalId": rebuttal_id, "reason": {"km": khmer or reason, "en": reason}}
    await ok(gql, "retractRebuttal", retraction, as_="health_approver")


async def dismiss(gql: GraphQLClient, claim_id: str) -> None:
    note = {"km": "ការអះអាងនេះពិត", "en": "The ministry did raise the fee, as reported."}
    dismissal = {"claimId": claim_id, "reason": "ACCURATE", "note": note}
    await ok(gql, "dismissClaim", dismissal, as_="coordinator")


async def everything_public(http: httpx.AsyncClient) -> str:
    """Every public page, feed and the sitemap, concatenated (to look for leaks)."""
    paths = ["/sitemap.xml"]
    for language in LANGUAGES:
        paths += [
            f"/{language}/",
            f"/{language}/institutions",
            f"/{language}/institutions/health",
            f"/{language}/dismissed",
            f"/{language}/transparency",
            f"/{language}/feed.atom",
            f"/{language}/institutions/health/feed.atom",
        ]
    bodies = []
    for path in paths:
        response = await http.get(path)
        assert response.status_code == 200, path
        bodies.append(response.text)
    return "\n".join(bodies)


# --- languages and addresses ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("", "km"),
        ("km", "km"),
        ("km-KH,km;q=0.9,en;q=0.8", "km"),
        ("en-US,en;q=0.9", "en"),
        ("fr-FR, en;q=0.5, km;q=0.4", "en"),
        ("fr, de", "km"),
        ("en;q=0, km;q=0.1", "km"),
        ("*", "km"),
        ("en;q=oops, km", "km"),
    ],
)
def test_accept_language_picks_khmer_or_english(header: str, language: str) -> None:
    assert negotiate(header) == language


async def test_the_root_leads_to_the_readers_language(http: httpx.AsyncClient) -> None:
    khmer = await http.get("/")
    english = await http.get("/", headers={"accept-language": "en-GB,en;q=0.9"})

    assert (khmer.status_code, khmer.headers["location"]) == (302, "/km/")
    assert english.headers["location"] == "/en/"
    assert english.headers["vary"] == "Accept-Language"
    api = await http.post("/graphql", json={"query": "{ institutions { slug } }"})
    assert api.status_code == 200  # the API stays where it was


async def test_the_address_connectors_send_resolves_to_the_page(
    gql: GraphQLClient, http: httpx.AsyncClient, settings: Settings
) -> None:
    _, rebuttal_id = await published_rebuttal(gql)
    rebuttal = await Rebuttal.get(id=number(rebuttal_id))
    item = await build_item(rebuttal, Action.PUBLISH, base_url=settings.public_base_url)
    uri = urlsplit(render_ninjs(item)["uri"])

    for header, language in (("km", "km"), ("en", "en")):
        response = await http.get(uri.path, headers={"accept-language": header})
        assert response.status_code == 302
        assert response.headers["location"] == f"/{language}/rebuttals/{rebuttal.id}"
        landed = await http.get(response.headers["location"])
        assert page(landed).xpath("string(//h1)") == getattr(item.headline, language)


# --- the rebuttal page ----------------------------------------------------------------------


async def test_a_rebuttal_page_shows_verdict_evidence_claim_and_institution(
    gql: GraphQLClient, http: httpx.AsyncClient, settings: Settings
) -> None:
    _, rebuttal_id = await published_rebuttal(gql)
    rebuttal = number(rebuttal_id)
    base = settings.public_base_url

    for language in LANGUAGES:
        response = await http.get(f"/{language}/rebuttals/{rebuttal}")
        document = page(response)
        assert document.get("lang") == language
        assert response.headers["content-language"] == language
        alternates = {
            link.get("hreflang"): link.get("href")
            for link in document.xpath('//link[@rel="alternate"][@hreflang]')
        }
        assert alternates == {
            "km": f"{base}/km/rebuttals/{rebuttal}",
            "en": f"{base}/en/rebuttals/{rebuttal}",
            "x-default": f"{base}/rebuttals/{rebuttal}",
        }
        verdict = text_of(document, '//*[contains(@class, "verdict-FALSE")]')[0]
        assert verdict == {"km": "មិនពិត", "en": "False"}[language]
        headline = {"km": "វ៉ាក់សាំងមានសុវត្ថិភាព", "en": "The vaccine is safe"}[language]
        assert text_of(document, "//h1") == [headline]
        title = {"km": "អង្គការសុខភាពពិភពលោកអំពីវ៉ាក់សាំង HPV", "en": "WHO on HPV vaccines"}
        assert text_of(document, '//ol[@class="evidence"]//a') == [title[language]]
        assert document.xpath('//ol[@class="evidence"]//a/@lang') == [language]
        assert document.xpath('//ol[@class="evidence"]//a/@href') == ["https://who.example/hpv"]
        note = {"km": "សុវត្ថិភាព", "en": "Safety"}[language]
        assert text_of(document, '//ol[@class="evidence"]//*[@class="note"]') == [note]
        claims = text_of(document, '//section[@id="claim"]//blockquote')
        assert claims == [
            {"km": KHMER_SUMMARY, "en": "Rumour that a vaccine causes infertility"}[language]
        ]
        appearance = document.xpath('//ul[@class="appearances"]//a')[0]
        assert appearance.get("href") == "https://social.example/p/1"
        assert "nofollow" in appearance.get("rel")
        assert "Facebook" in text_of(document, '//ul[@class="appearances"]/li')[0]
        institution = document.xpath(f'//a[@href="/{language}/institutions/health"]')
        assert institution, "the rebuttal links to its institution"
        assert document.xpath('//*[@id="retraction"]') == []


async def test_a_corrected_rebuttal_shows_every_revision_and_what_changed(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    _, rebuttal_id = await published_rebuttal(gql)
    await correct(gql, rebuttal_id, "The HPV vaccine is safe and does not cause infertility")

    document = page(await http.get(f"/en/rebuttals/{number(rebuttal_id)}"))

    assert text_of(document, "//h1") == ["The HPV vaccine is safe and does not cause infertility"]
    revisions = document.xpath('//ol[@class="revisions"]/li')
    assert [item.get("id") for item in revisions] == ["revision-2", "revision-1"]
    assert "current" in revisions[0].get("class")
    assert text_of(revisions[0], ".//del") == []
    assert text_of(revisions[0], ".//ins") == ["HPV", "and does not cause infertility"]
    assert text_of(revisions[1], ".//details//h4") == ["The vaccine is safe"]
    assert "First publication." in text_of(revisions[1], ".//p")


async def test_a_retracted_rebuttal_shows_its_reason(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    _, rebuttal_id = await published_rebuttal(gql)
    reasons = {
        "km": "តួលេខរបស់គ្លីនិកគឺជារបស់ឆ្នាំខុស។",
        "en": "The clinic's figures were from the wrong year.",
    }
    await retract(gql, rebuttal_id, reasons["en"], reasons["km"])

    for language in LANGUAGES:
        document = page(await http.get(f"/{language}/rebuttals/{number(rebuttal_id)}"))
        banner = document.xpath('//*[@id="retraction"]')
        assert len(banner) == 1
        assert text_of(banner[0], './/*[@class="reason"]') == [reasons[language]]
        assert banner[0].xpath('.//*[@class="reason"]/@lang') == [language]
        # The rating no longer stands: no ClaimReview keeps showing it in search results.
        assert json_ld(document) == []
    listing = page(await http.get("/en/"))
    assert text_of(listing, '//*[contains(@class, "badge retracted")]') == ["Retracted"]


async def test_unpublished_rebuttals_and_corrections_under_way_are_nowhere(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    _, draft_id = await drafted_rebuttal(gql)
    _, live_id = await published_rebuttal(gql)
    await ok(gql, "reviseRebuttal", {"rebuttalId": live_id}, as_="health_editor")
    secret = {"rebuttalId": live_id, "headline": {"km": SECRET, "en": SECRET}}
    await ok(gql, "updateRebuttal", secret, as_="health_editor")
    secret_draft = {"rebuttalId": draft_id, "headline": secret["headline"]}
    await ok(gql, "updateRebuttal", secret_draft, as_="health_editor")

    for language in LANGUAGES:
        missing = await http.get(f"/{language}/rebuttals/{number(draft_id)}")
        assert missing.status_code == 404
        assert html.fromstring(missing.content).get("lang") == language
        assert missing.headers["x-content-type-options"] == "nosniff"
        live = await http.get(f"/{language}/rebuttals/{number(live_id)}")
        assert SECRET not in live.text
    redirected = await http.get(f"/rebuttals/{number(draft_id)}", follow_redirects=True)
    assert redirected.status_code == 404
    assert (await http.get("/en/rebuttals/99999999999")).status_code == 404
    published = await everything_public(http)
    assert SECRET not in published
    assert f"/rebuttals/{number(draft_id)}<" not in published
    assert f'/rebuttals/{number(draft_id)}"' not in published


async def test_a_rebuttal_of_a_hidden_claim_is_not_found(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    claim_id, rebuttal_id = await published_rebuttal(gql)
    await Claim.filter(id=number(claim_id)).update(public=False)  # not reachable by the API
    await ok(gql, "reviseRebuttal", {"rebuttalId": rebuttal_id}, as_="health_editor")  # log moves

    assert (await http.get(f"/en/rebuttals/{number(rebuttal_id)}")).status_code == 404
    assert "The vaccine is safe" not in await everything_public(http)


# --- the other pages ------------------------------------------------------------------------


async def test_dismissed_claims_are_listed_with_their_public_reason(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    hidden = await triaged_claim(gql)  # triaged, never public
    claim_id = await triaged_claim(gql)
    await dismiss(gql, claim_id)

    english = page(await http.get("/en/dismissed"))
    khmer = page(await http.get("/km/dismissed"))
    assert text_of(english, '//ul[@class="cards"]/li//*[@class="badge"]') == ["Accurate"]
    assert "The ministry did raise the fee, as reported." in english.text_content()
    assert "ការអះអាងនេះពិត" in khmer.text_content()
    assert len(english.xpath('//ul[@class="cards"]/li')) == 1, hidden
    institution = page(await http.get("/en/institutions/health"))
    assert "The ministry did raise the fee, as reported." in institution.text_content()


async def test_institution_pages_list_their_rebuttals(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    await published_rebuttal(gql)

    listing = page(await http.get("/km/institutions"))
    names = text_of(listing, '//ul[@class="cards"]/li/h2')
    assert names[0] == "ក្រសួងព័ត៌មាន"  # the coordinator first
    assert "ក្រសួងសុខាភិបាល" in names
    health = page(await http.get("/en/institutions/health"))
    assert text_of(health, "//h1") == ["Ministry of Health"]
    assert text_of(health, '//ol[@class="cards"]/li/h3') == ["The vaccine is safe"]
    assert page(await http.get("/en/institutions/education")).xpath('//ol[@class="cards"]') == []
    assert (await http.get("/en/institutions/nowhere")).status_code == 404


async def test_lists_page_through_older_rebuttals(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    for _ in range(31):
        await published_rebuttal(gql)

    first = page(await http.get("/en/"))
    second = page(await http.get("/en/?page=2"))
    assert len(first.xpath('//ol[@class="cards"]/li')) == 30
    assert first.xpath('//a[@rel="next"]/@href') == ["/en/?page=2"]
    assert len(second.xpath('//ol[@class="cards"]/li')) == 1
    assert second.xpath('//a[@rel="prev"]/@href') == ["/en/"]
    for bad in ("3", "0", "-1", "x", "1e3"):
        assert (await http.get(f"/en/?page={bad}")).status_code == 404, bad


async def test_the_about_page_defines_news_every_verdict_and_reason(
    http: httpx.AsyncClient, db: None
) -> None:
    for language in LANGUAGES:
        document = page(await http.get(f"/{language}/about"))
        ids = set(document.xpath("//@id"))
        assert {"news", "method", "corrections", "verdicts", "dismissal-reasons"} <= ids
        assert {f"verdict-{verdict}" for verdict in VERDICTS} <= ids
        assert {f"reason-{reason}" for reason in DISMISSAL_REASONS} <= ids


def test_every_text_is_in_both_languages() -> None:
    for table in (UI, VERDICTS, DISMISSAL_REASONS):
        for key, texts in table.items():
            assert set(texts) == {"km", "en"}, key
            assert all(texts.values()), key
    # A key named like one of Strings' own attributes could never be read from a template.
    assert not set(UI) & set(dir(Strings("en")))
    assert Strings("km")("revision", n=12) == "កំណែទី ១២"
    # UI gathers one table per family of pages: a key in two would silently take one text.
    families = [PAGES, TRANSPARENCY, CORRECTIONS]
    assert sum(map(len, families)) == len(UI)


# --- security -------------------------------------------------------------------------------


async def test_every_page_sends_the_security_headers_and_escapes_text(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    hostile = "</script><script>alert(1)</script><b>bold</b>"
    claim_id = await triaged_claim(gql)
    draft = {
        "claimId": claim_id,
        "verdict": "FALSE",
        "headline": {"km": hostile, "en": hostile},
        "body": {"km": hostile, "en": hostile},
        "evidence": [
            {
                "url": "https://who.example/x",
                "title": {"km": hostile, "en": hostile},
                "note": {"km": hostile, "en": hostile},
            }
        ],
        "channels": [],
    }
    rebuttal = await ok(gql, "draftRebuttal", draft, as_="health_editor")
    await ok(gql, "submitRebuttal", {"rebuttalId": rebuttal["id"]}, as_="health_editor")
    approve = {"rebuttalId": rebuttal["id"], "decision": "APPROVE"}
    await ok(gql, "reviewRebuttal", approve, as_="health_approver")
    await ok(gql, "publishRebuttal", {"rebuttalId": rebuttal["id"]}, as_="health_editor")
    path = f"/en/rebuttals/{number(rebuttal['id'])}"

    for target in (path, "/en/", "/km/about", "/en/institutions", "/km/dismissed", "/en/nowhere"):
        response = await http.get(target)
        if response.status_code == 404 and target == "/en/nowhere":
            continue  # not a public page: Starlette's own 404
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value, (target, name)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "script-src" not in response.headers["content-security-policy"]
        assert "<script>alert(1)" not in response.text
        assert "<b>bold" not in response.text
    document = page(await http.get(path))
    assert text_of(document, "//h1") == [hostile]
    # The only scripts are the JSON-LD data blocks, and the headline did not end them.
    assert {s.get("type") for s in document.xpath("//script")} == {"application/ld+json"}
    assert [review["headline"] for review in json_ld(document)] == [hostile, hostile]
    feed = await http.get("/en/feed.atom")
    assert "<script>" not in feed.text


# --- structured data ------------------------------------------------------------------------

#: Google's required ClaimReview properties (and schema.org's Rating ones).
REQUIRED = {"@context", "@type", "url", "claimReviewed", "author", "reviewRating"}
RATING = {"@type", "ratingValue", "bestRating", "worstRating", "alternateName"}


async def test_each_page_embeds_a_claimreview_per_language_linked_as_translations(
    gql: GraphQLClient, http: httpx.AsyncClient, settings: Settings
) -> None:
    _, rebuttal_id = await published_rebuttal(gql)
    await correct(gql, rebuttal_id, "The HPV vaccine is safe")
    rebuttal = await Rebuttal.get(id=number(rebuttal_id))
    item = await build_item(rebuttal, Action.UPDATE, base_url=settings.public_base_url)
    base = settings.public_base_url
    addresses = {language: f"{base}/{language}/rebuttals/{rebuttal.id}" for language in LANGUAGES}

    for language in LANGUAGES:
        reviews = json_ld(page(await http.get(f"/{language}/rebuttals/{rebuttal.id}")))
        # The same renderer, on the same item, that a connector would have rendered.
        assert reviews == render_claimreview_translations(item, addresses)
        english, khmer = reviews
        for review in reviews:
            assert set(review) >= REQUIRED
            assert set(review["reviewRating"]) >= RATING
            assert review["@type"] == "ClaimReview"
            assert review["itemReviewed"]["appearance"][0]["url"] == "https://social.example/p/1"
        assert (english["inLanguage"], khmer["inLanguage"]) == ("en", "km")
        assert english["workTranslation"] == [{"@id": addresses["km"]}]
        assert khmer["translationOfWork"] == {"@id": addresses["en"]}
        assert khmer["reviewRating"]["alternateName"] == "មិនពិត"
        assert khmer["author"]["name"] == "ក្រសួងសុខាភិបាល"
        assert english["correction"]["text"] == "Revision 2 corrects revision 1."


def test_the_claimreview_renderer_speaks_khmer_and_english() -> None:
    item = sample_item()
    khmer = render_claimreview(item, "km", url="https://example.org/km/rebuttals/1")

    assert render_claimreview(item) == render_claimreview(item, "en")
    assert khmer["inLanguage"] == "km"
    assert khmer["headline"] == item.headline.km
    assert khmer["claimReviewed"] == item.claim.summary.km
    assert khmer["url"] == "https://example.org/km/rebuttals/1"
    assert khmer["author"]["alternateName"] == item.institution.name.en
    with pytest.raises(ValueError, match="language"):
        render_claimreview(item, "fr")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="km"):
        render_claimreview_translations(item, {"en": "https://example.org/en"})


# --- feeds and the sitemap ------------------------------------------------------------------


async def test_feeds_parse_and_carry_corrections_and_retractions_as_updated_entries(
    gql: GraphQLClient, http: httpx.AsyncClient, settings: Settings
) -> None:
    _, first = await published_rebuttal(gql)
    _, second = await published_rebuttal(gql)
    before = feedparser.parse((await http.get("/en/feed.atom")).content)
    await correct(gql, first, "Corrected headline")
    await retract(gql, second, "Withdrawn: the figures were wrong.")

    for language in LANGUAGES:
        response = await http.get(f"/{language}/feed.atom")
        assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
        assert feed.feed.language == language
        base = settings.public_base_url
        ids = [entry.id for entry in feed.entries]
        assert ids == [
            f"{base}/{language}/rebuttals/{number(second)}",
            f"{base}/{language}/rebuttals/{number(first)}",
        ]
        retracted, corrected = feed.entries
        assert retracted.title.startswith({"km": "បានដកហូតវិញ", "en": "Retracted"}[language])
        assert "Withdrawn: the figures were wrong." in retracted.content[0].value
        assert corrected.title.endswith("Corrected headline")
        assert corrected.updated_parsed >= corrected.published_parsed
    earlier = {entry.id: entry.updated for entry in before.entries}
    after = feedparser.parse((await http.get("/en/feed.atom")).content)
    now = {entry.id: entry.updated for entry in after.entries}
    assert set(earlier) == set(now)  # the same entries, updated: no new ones
    assert all(now[key] >= earlier[key] for key in now)


async def test_institution_feeds_hold_only_their_rebuttals(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    await published_rebuttal(gql)
    await drafted_rebuttal(gql)

    health = feedparser.parse((await http.get("/km/institutions/health/feed.atom")).content)
    education = feedparser.parse((await http.get("/en/institutions/education/feed.atom")).content)
    assert not health.bozo and not education.bozo
    assert len(health.entries) == 1
    assert education.entries == []
    assert (await http.get("/en/institutions/nowhere/feed.atom")).status_code == 404
    assert (await http.get("/feed.atom")).headers["location"] == "/km/feed.atom"


async def test_the_sitemap_names_every_public_page_in_both_languages(
    gql: GraphQLClient, http: httpx.AsyncClient, settings: Settings
) -> None:
    _, rebuttal_id = await published_rebuttal(gql)
    _, draft_id = await drafted_rebuttal(gql)
    base = settings.public_base_url

    root = etree.fromstring((await http.get("/sitemap.xml")).content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locations = root.xpath("//s:url/s:loc/text()", namespaces=ns)
    for language in LANGUAGES:
        assert f"{base}/{language}/rebuttals/{number(rebuttal_id)}" in locations
        assert f"{base}/{language}/about" in locations
        assert f"{base}/{language}/rebuttals/{number(draft_id)}" not in locations
    entry = root.xpath(
        "//s:url[s:loc=$loc]", namespaces=ns, loc=f"{base}/km/rebuttals/{number(rebuttal_id)}"
    )[0]
    assert entry.xpath("s:lastmod/text()", namespaces=ns)
    assert {
        link.get("hreflang"): link.get("href") for link in entry.xpath("x:link", namespaces=ns)
    } == {
        "km": f"{base}/km/rebuttals/{number(rebuttal_id)}",
        "en": f"{base}/en/rebuttals/{number(rebuttal_id)}",
    }
    robots = await http.get("/robots.txt")
    assert f"Sitemap: {base}/sitemap.xml" in robots.text


# --- freshness and cost ---------------------------------------------------------------------


async def test_pages_are_validated_by_the_event_sequence(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    _, rebuttal_id = await published_rebuttal(gql)
    path = f"/en/rebuttals/{number(rebuttal_id)}"

    first = await http.get(path)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, no-cache"
    unchanged = await http.get(path, headers={"if-none-match": etag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged.headers["etag"] == etag
    assert (await http.get(path, headers={"if-none-match": f"W/{etag}"})).status_code == 304

    await correct(gql, rebuttal_id, "Freshly corrected")
    changed = await http.get(path, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert text_of(page(changed), "//h1") == ["Freshly corrected"]


async def test_a_page_view_costs_one_primary_key_read_when_nothing_changed(
    gql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    _, rebuttal_id = await published_rebuttal(gql)
    await correct(gql, rebuttal_id, "Corrected")
    paths = [
        f"/{language}/{rest}"
        for language in LANGUAGES
        for rest in (
            f"rebuttals/{number(rebuttal_id)}",
            "",
            "institutions",
            "institutions/health",
            "dismissed",
            "transparency",
            "about",
            "feed.atom",
            "institutions/health/feed.atom",
        )
    ] + ["/sitemap.xml"]

    for path in paths:
        with count_statements() as cold:
            first = await http.get(path)
        with count_statements() as warm:
            again = await http.get(path)
        with count_statements() as conditional:
            revalidated = await http.get(path, headers={"if-none-match": first.headers["etag"]})
        assert again.content == first.content, path
        assert revalidated.status_code == 304, path
        print(f"{path}: {len(cold.statements)} statements cold, {len(warm.statements)} warm")
        assert len(warm.statements) == 1, (path, warm.statements)
        assert len(conditional.statements) == 1, path
        assert "counter" in warm.statements[0]
        assert len(cold.statements) <= 10, (path, cold.statements)


async def test_the_page_cache_can_be_turned_off(gql: GraphQLClient, settings: Settings) -> None:
    _, rebuttal_id = await published_rebuttal(gql)
    app = create_app(settings.model_copy(update={"page_cache_size": 0}), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://coordhub.test") as client:
        path = f"/km/rebuttals/{number(rebuttal_id)}"
        await client.get(path)
        with count_statements() as counter:
            response = await client.get(path)
    assert response.status_code == 200
    assert len(counter.statements) > 1


# --- what changed, and which language a text is in ------------------------------------------


def test_text_changes_mark_what_was_deleted_and_inserted() -> None:
    assert text_changes("same", "same") is None
    old, new = "The vaccine is safe. Ask a clinic.", "The HPV vaccine is safe. Ask a doctor."
    segments = text_changes(old, new)
    assert segments is not None
    assert "".join(s.text for s in segments if s.operation != "inserted") == old
    assert "".join(s.text for s in segments if s.operation != "deleted") == new
    assert [s.text.strip() for s in segments if s.operation == "inserted"] == ["HPV", "doctor."]
    assert [s.text.strip() for s in segments if s.operation == "deleted"] == ["clinic."]
    khmer = text_changes("វ៉ាក់សាំងមានសុវត្ថិភាព។ សូមកុំចែករំលែក។", "វ៉ាក់សាំងមានសុវត្ថិភាព។ សូមពិនិត្យប្រភព។")
    assert khmer is not None
    assert [s.operation for s in khmer] == ["same", "deleted", "inserted"]
    assert khmer[0].text == "វ៉ាក់សាំងមានសុវត្ថិភាព។ "


def test_a_text_in_one_language_is_tagged_with_it() -> None:
    assert language_of("ក្រសួងសុខាភិបាល") == "km"
    assert language_of("Ministry of Health") == "en"
    assert language_of("WHO ក្រសួងសុខាភិបាល") == "km"
    assert language_of("") == "en"


async def test_a_revalidation_renders_nothing(gql: GraphQLClient, http: httpx.AsyncClient) -> None:
    """A client holding a page at the current sequence gets 304 from one read, even for a page
    this process never rendered or does not keep (the sitemap of a large record)."""
    await published_rebuttal(gql)
    etag = (await http.get("/en/")).headers["etag"]
    for path in ("/en/dismissed", "/km/transparency", "/sitemap.xml"):
        with count_statements() as counter:
            response = await http.get(path, headers={"if-none-match": f'W/{etag}, "other"'})
        assert response.status_code == 304, path
        assert response.headers["etag"] == etag
        assert len(counter.statements) == 1, (path, counter.statements)
    # "*" names any current representation: none for an address that shows nothing.
    assert (
        await http.get("/en/rebuttals/999999", headers={"if-none-match": "*"})
    ).status_code == 404
